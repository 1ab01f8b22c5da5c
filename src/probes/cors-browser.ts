/**
 * cors.browser's I/O: real Chromium (Debian's, through Playwright) loads a page whose origin is an
 * allowed origin and one whose origin is a denied origin, and each page fetches the target. What
 * the page could read (fetch resolved or TypeError) and Chromium's console are the output; the
 * check judges them. The harness sends no credential from the browser (SPEC §6): fetches use
 * `credentials: 'include'` (when allow_credentials) so Chromium applies the credentialed CORS
 * checks, but the fresh browser context holds no cookie and no Authorization header is set.
 *
 * The page documents are synthetic (context.route fulfils them, so no DNS or server is needed for
 * the page origins), and routing is switched off before the fetches: while any route is active,
 * Playwright answers CORS preflights itself with an allow-all 204, which would hide the target's.
 */
import { DEFAULT_DENIED_ORIGIN } from './cors-origins.ts';
import { defineProbe, type ProbeContext } from './types.ts';
import type { Target } from '../config/target.ts';
import { CHROMIUM_PATH } from '../config/environment.ts';

export interface BrowserFetch {
  readonly kind: 'simple' | 'preflighted';
  /** The page could read the response (fetch resolved and the body was read). */
  readonly read: boolean;
  readonly status?: number;
  readonly bodyBytes?: number;
  readonly error?: string;
}

export interface BrowserPage {
  readonly role: 'allowed' | 'denied';
  readonly origin: string;
  readonly fetches: readonly BrowserFetch[];
  /** Chromium's console errors and warnings while the page fetched (CORS messages among them). */
  readonly console: readonly string[];
  /** What went over the network, as Chromium saw it (a blocked response still arrives). */
  readonly network: readonly { method: string; status: number; acao?: string; acac?: string }[];
  /** The page's simple request replayed by the harness (same URL, Origin, no credentials), for evidence. */
  readonly replay: number;
}

export interface BrowserOutput {
  readonly browser: string;
  readonly url: string;
  readonly credentials: 'include' | 'omit';
  /** How long the probe waited for Chromium (it starts with the recording: often 0 by then). */
  readonly launchMs: number;
  readonly durationMs: number;
  readonly pages: readonly BrowserPage[];
  /** No browser page was opened because the target had stopped answering: the request the client refused. */
  readonly notLaunched?: number;
}

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>conformance cors.browser probe</title></head><body></body></html>';

/**
 * Chromium's flags for judging CORS only (SPEC §8). An http page origin is not a secure context,
 * and Local Network Access (Chromium 14x+) refuses insecure pages any fetch to a more private
 * address space, whatever the CORS answer; an https page fetching an http target is mixed
 * content. So the page origins (and an http target) are treated as secure, mixed content is
 * allowed, and each context is granted `local-network-access` (the permission a user would
 * give). Verified on Chromium 150: with these, an http page origin reads an http loopback
 * target that allows it, and is refused by CORS alone when the target does not.
 * `--disable-features` is not used: Playwright passes its own list, which a second flag would
 * replace (its HTTPS-upgrade opt-out among them, which the synthetic http pages need).
 */
export function browserArgs(origins: readonly string[], target: string): string[] {
  const insecure = new Set<string>();
  for (const o of [...origins, target]) {
    try {
      const u = new URL(o);
      if (u.protocol === 'http:') insecure.add(u.origin);
    } catch {
      // `null` and other opaque origins: nothing to treat as secure.
    }
  }
  return [
    '--disable-gpu',
    // Both pages in one renderer process: CORS is enforced in the network service, not by the
    // process model, and a renderer per page cost about 0.35 s of CPU per target (measured).
    '--renderer-process-limit=1',
    '--disable-site-isolation-trials',
    '--allow-running-insecure-content',
    ...(insecure.size ? [`--unsafely-treat-insecure-origin-as-secure=${[...insecure].join(',')}`] : []),
  ];
}

type Browser = Awaited<ReturnType<typeof import('@playwright/test')['chromium']['launch']>>;

/** The target's page origins, denied one included: what the browser's flags and pages use. */
function pageOrigins(t: Target): { allowed?: string; denied: string } {
  return {
    ...(t.cors.allowedOrigins[0] ? { allowed: t.cors.allowedOrigins[0] } : {}),
    denied: t.cors.deniedOrigins[0] ?? DEFAULT_DENIED_ORIGIN,
  };
}

/** Chromium for `t`'s pages; its flags depend only on the target's origin and page origins. */
async function launchFor(t: Target): Promise<Browser> {
  const { allowed, denied } = pageOrigins(t);
  const { chromium } = await import('@playwright/test');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: browserArgs([...(allowed ? [allowed] : []), denied], t.baseUrl),
    timeout: 30_000,
  });
}

export const corsBrowserProbe = defineProbe<BrowserOutput, Browser>({
  name: 'cors:browser',
  // Chromium takes about a second to start: begun with the recording, it starts while the
  // probes before this one run.
  warmUp: launchFor,
  release: async (browser) => {
    await browser.close().catch(() => undefined);
  },
  // Per page, Chromium's simple GET, its preflight and (once allowed) the preflighted GET, then our
  // replay: 4 from the allowed origin, 3 from the denied one (4 if its preflight is wrongly allowed).
  // Chromium's requests do not go through the client, so the pacer never sees them.
  estimate: (t) => (t.cors.allowedOrigins.length ? { none: { expected: 7, max: 8 } } : {}),
  run: async (ctx): Promise<BrowserOutput> => {
    const started = performance.now();
    const t = ctx.target;
    const { allowed, denied } = pageOrigins(t);
    if (!allowed) {
      await ctx.warm?.then((b) => b.close()).catch(() => undefined);
      throw new Error('no allowed origin is declared (cors.allowed_origins)');
    }
    const r = t.resources.find((x) => x.requiresAuth) ?? t.resources[0];
    const path = r ? r.collection : t.health;
    const url = `${t.baseUrl}${path}`;
    const credentials = t.cors.allowCredentials ? 'include' : 'omit';

    // A target that stopped answering (the client gave up on it) is not worth opening pages for.
    if (ctx.client.gaveUp) {
      await ctx.warm?.then((b) => b.close()).catch(() => undefined);
      const refused = await ctx.send({
        purpose: `the browser page's GET from allowed origin ${allowed} (no browser page opened)`,
        method: 'GET',
        url,
        credential: 'none',
        scope: 'cors',
        headers: { origin: allowed },
      });
      return { browser: 'Chromium (not used)', url, credentials, launchMs: 0, durationMs: 0, pages: [], notLaunched: refused.id };
    }
    const browser = await (ctx.warm ?? launchFor(t));
    const launchMs = Math.round(performance.now() - started);
    const pages: BrowserPage[] = [];
    try {
      for (const [role, origin] of [
        ['allowed', allowed],
        ['denied', denied],
      ] as const) {
        pages.push(await visit(ctx, browser, role, origin, url, credentials));
      }
      return {
        browser: `Chromium ${browser.version()}`,
        url,
        credentials,
        launchMs,
        durationMs: Math.round(performance.now() - started),
        pages,
      };
    } finally {
      await browser.close().catch(() => undefined);
    }

    async function visit(
      probe: ProbeContext<Browser>,
      b: Browser,
      role: 'allowed' | 'denied',
      origin: string,
      target: string,
      mode: 'include' | 'omit',
    ): Promise<BrowserPage> {
      // A fresh context per page: no cookie, no HTTP cache shared between the two origins.
      const context = await b.newContext({ ignoreHTTPSErrors: !t.tlsVerify });
      try {
        // A loopback or private target is in a more private address space than the synthetic page:
        // grant the permission a user would (Local Network Access). A public target needs none.
        await context.grantPermissions(['local-network-access']).catch(() => undefined);
        await context.route(`${origin}/**`, (route) =>
          route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: PAGE_HTML }),
        );
        const page = await context.newPage();
        const consoleLines: string[] = [];
        const network: { method: string; status: number; acao?: string; acac?: string }[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning')
            consoleLines.push(probe.client.redactor.text(`${m.type()}: ${m.text()}`).slice(0, 500));
        });
        page.on('response', (res) => {
          if (!res.url().startsWith(target)) return;
          const h = res.headers();
          network.push({
            method: res.request().method(),
            status: res.status(),
            ...(h['access-control-allow-origin'] !== undefined ? { acao: h['access-control-allow-origin'] } : {}),
            ...(h['access-control-allow-credentials'] !== undefined ? { acac: h['access-control-allow-credentials'] } : {}),
          });
        });
        await page.goto(`${origin}/conformance-cors-probe.html`, { timeout: t.timeoutMs * 2 });
        await context.unrouteAll();
        const fetches = await page.evaluate(
          async ({ target: u, mode: m, timeoutMs }) => {
            const out: { kind: 'simple' | 'preflighted'; read: boolean; status?: number; bodyBytes?: number; error?: string }[] = [];
            const inits: ['simple' | 'preflighted', RequestInit][] = [
              ['simple', { credentials: m }],
              // A JSON Content-Type is not CORS-safelisted: Chromium sends a preflight first.
              ['preflighted', { credentials: m, headers: { 'Content-Type': 'application/json' } }],
            ];
            for (const [kind, init] of inits) {
              try {
                const res = await fetch(u, { ...init, cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
                const body = await res.text();
                out.push({ kind, read: true, status: res.status, bodyBytes: body.length });
              } catch (e) {
                out.push({ kind, read: false, error: String(e) });
              }
            }
            return out;
          },
          { target, mode, timeoutMs: t.timeoutMs },
        );
        // Console messages of a failed fetch can arrive a moment after the promise settles.
        await page.waitForTimeout(50);
        const replay = await probe.send({
          purpose: `replay of the browser page's request from ${role} origin ${origin} (no credentials, as the page sent it)`,
          method: 'GET',
          url: target,
          credential: 'none',
          scope: 'cors',
          headers: { origin },
        });
        return { role, origin, fetches, console: consoleLines, network, replay: replay.id };
      } finally {
        await context.close().catch(() => undefined);
      }
    }
  },
});
