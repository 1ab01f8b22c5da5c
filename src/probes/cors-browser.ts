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
  readonly launchMs: number;
  readonly durationMs: number;
  readonly pages: readonly BrowserPage[];
}

const PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>conformance cors.browser probe</title></head><body></body></html>';

export const corsBrowserProbe = defineProbe({
  name: 'cors:browser',
  // Per page, Chromium's simple GET, its preflight and (once allowed) the preflighted GET, then our
  // replay: 4 from the allowed origin, 3 from the denied one (4 if its preflight is wrongly allowed).
  // Chromium's requests do not go through the client, so the pacer never sees them.
  estimate: (t) => (t.cors.allowedOrigins.length ? { none: { expected: 7, max: 8 } } : {}),
  run: async (ctx): Promise<BrowserOutput> => {
    const started = performance.now();
    const t = ctx.target;
    const allowed = t.cors.allowedOrigins[0];
    if (!allowed) throw new Error('no allowed origin is declared (cors.allowed_origins)');
    const denied = t.cors.deniedOrigins[0] ?? DEFAULT_DENIED_ORIGIN;
    const r = t.resources.find((x) => x.requiresAuth) ?? t.resources[0];
    const path = r ? r.collection : t.health;
    const url = `${t.baseUrl}${path}`;
    const credentials = t.cors.allowCredentials ? 'include' : 'omit';

    const { chromium } = await import('@playwright/test');
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--disable-gpu'], timeout: 30_000 });
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
      probe: ProbeContext,
      b: Awaited<ReturnType<typeof chromium.launch>>,
      role: 'allowed' | 'denied',
      origin: string,
      target: string,
      mode: 'include' | 'omit',
    ): Promise<BrowserPage> {
      // A fresh context per page: no cookie, no HTTP cache shared between the two origins.
      const context = await b.newContext({ ignoreHTTPSErrors: !t.tlsVerify });
      try {
        // A loopback target (the self-tests) is in Chromium's local address space: the permission a
        // user would grant. A public target needs none.
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
