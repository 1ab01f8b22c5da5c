import type { BrowserPage } from '../../probes/cors-browser.ts';
import { exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { corsBrowserProbe } from '../../probes/cors-browser.ts';
import { outputOf } from '../../probes/types.ts';

const corsConsole = (page: BrowserPage): string | undefined =>
  page.console.find((l) => /CORS policy|Access-Control/i.test(l)) ?? page.console.find((l) => !/status of \d+/.test(l));

/**
 * Browser policies that are not CORS (SPEC §8): when one of them blocked a fetch, the service's
 * CORS answer was never judged. Matched on Chromium's console wording.
 */
const POLICIES: readonly [RegExp, string][] = [
  [/address space|private network|local network|more-private|unknown address space/i, 'Local/Private Network Access'],
  [/mixed content/i, 'mixed content'],
  [/not a secure context|insecure context|secure context/i, 'secure context'],
  [/ERR_BLOCKED_BY_CLIENT|ERR_BLOCKED_BY_ADMINISTRATOR/i, 'a browser block list'],
];

function policyBlock(page: BrowserPage): { policy: string; line: string } | undefined {
  if (page.fetches.every((f) => f.read)) return undefined;
  for (const line of page.console) {
    const hit = POLICIES.find(([re]) => re.test(line));
    if (hit) return { policy: hit[1], line };
  }
  return undefined;
}

/**
 * SPEC §6 cors.browser: in real Chromium, a page on an allowed origin can read the target's
 * response and a page on a denied origin cannot. Each page makes a simple GET and a preflighted
 * one (JSON Content-Type), with credentials mode "include" when allow_credentials, and no
 * credential sent. Judged on what the page could read, with Chromium's console message.
 */
export const corsBrowser = defineRule('cors.browser', {
  probes: [corsBrowserProbe],
  check(rec) {
    const out = outputOf(rec, corsBrowserProbe);
    if (!out) return skipped('nothing-to-check', 'the browser probe did not run');
    if (out.notLaunched !== undefined) {
      const refused = exchangeById(rec, out.notLaunched);
      return unanswered(
        refused ? [refused] : [],
        undefined,
        `no browser page was opened: ${refused?.error?.message ?? 'the target stopped answering'}`,
      );
    }
    const findings: Finding[] = [];
    for (const page of out.pages) {
      const replay = exchangeById(rec, page.replay);
      const ids = replay ? [replay.id] : [];
      for (const f of page.fetches) {
        if (page.role === 'allowed' && !f.read) {
          findings.push({
            message: `a page on allowed origin ${page.origin} could not read the ${f.kind} GET ${out.url}: ${f.error ?? 'unreadable'}${corsConsole(page) ? ` — Chromium: ${corsConsole(page)}` : ''}`,
            exchanges: ids,
            expected: 'readable',
            received: f.error ?? 'unreadable',
          });
        }
        if (page.role === 'denied' && f.read) {
          findings.push({
            message: `a page on denied origin ${page.origin} read the ${f.kind} GET ${out.url} (${f.status}, ${f.bodyBytes} characters)`,
            exchanges: ids,
            expected: 'blocked by CORS',
            received: `read ${f.status}`,
          });
        }
      }
    }
    const timing = `${out.browser}, ${(out.durationMs / 1000).toFixed(1)} s`;
    const replays = out.pages.map((p) => exchangeById(rec, p.replay)).filter((e) => e !== undefined);
    // A denied page that read the response is the service's doing, whatever else happened.
    const leaks = findings.filter((f) => f.expected === 'blocked by CORS');
    if (leaks.length) return failed(`in ${timing}: ${leaks[0]!.message}`, leaks);
    // A fetch a browser policy blocked says nothing about CORS, on either page (SPEC §8).
    for (const page of out.pages) {
      const block = policyBlock(page);
      if (block)
        return skipped(
          'environment',
          `in ${timing}: Chromium's ${block.policy} policy blocked the page on ${page.role} origin ${page.origin} from fetching ${out.url}, so the service's CORS answer could not be judged — Chromium: ${block.line}`,
        );
    }
    if (findings.length) return failed(`in ${timing}: ${findings[0]!.message}`, findings);
    const allowed = out.pages.filter((p) => p.role === 'allowed');
    const denied = out.pages.filter((p) => p.role === 'denied');
    const statuses = allowed.flatMap((p) => p.fetches.map((f) => f.status));
    const blocked = denied.map((p) => corsConsole(p)).find(Boolean);
    return passed(
      `in ${timing}: a page on ${allowed.map((p) => p.origin).join(', ')} read both responses (${statuses.join(', ')}); a page on ${denied.map((p) => p.origin).join(', ')} could read neither${blocked ? ` (${blocked})` : ''}`,
      replays,
    );
  },
});
