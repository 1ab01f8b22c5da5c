import type { Exchange } from '../../http/exchange.ts';
import { header } from '../../http/exchange.ts';
import { describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { tlsNote } from './headers.ts';
import { defineRule } from '../define.ts';
import { securityHttpUrlProbe } from '../../probes/security.ts';
import { outputOf } from '../../probes/types.ts';

/** Transport outcomes that mean the plain-http address refuses: nothing listens, or it hangs up. */
const REFUSALS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_CONNECT_TIMEOUT: 'no connection (filtered)',
  TIMEOUT: 'no answer (filtered)',
  EHOSTUNREACH: 'host unreachable',
};

type Judgement = { refused: string } | { served: string } | { unknown: string };

export function judgePlainHttp(e: Exchange): Judgement {
  if (!e.response) {
    const code = e.error?.code ?? '';
    return REFUSALS[code] ? { refused: REFUSALS[code]! } : { unknown: e.error?.message ?? 'no response' };
  }
  const status = e.response.status;
  if (status >= 300 && status < 400) {
    const location = header(e, 'location');
    if (location?.toLowerCase().startsWith('https://')) return { refused: `redirects to ${location}` };
    return { served: `redirects to ${location ?? '(no Location)'}, not to https` };
  }
  if (status === 401) return { served: 'the API is served over plain http and asks for credentials in clear text' };
  if (status >= 400 && status < 500) return { refused: `refused with ${status}` };
  if (status < 300) return { served: 'the API is served over plain http' };
  return { served: 'neither a redirect to https nor a refusal' };
}

/**
 * SPEC §6 security.https-only (https targets): the plain-http address redirects to https or
 * refuses (refused/reset connection, or a 4xx that serves no API content; SPEC §8), on the
 * health path and one API path; it never serves the API. A 401 is the API asking for
 * credentials over plain http: served. Probed without credentials.
 */
export const securityHttpsOnly = defineRule('security.https-only', {
  probes: [securityHttpUrlProbe],
  check(rec, ctx) {
    const out = outputOf(rec, securityHttpUrlProbe);
    if (!out) return skipped('nothing-to-check', 'the plain-http address was not probed');
    if ('skipped' in out) return skipped('missing-prerequisite', out.skipped);
    const exchanges = out.exchanges.map((id) => exchangeById(rec, id)).filter((e): e is Exchange => !!e);
    const judged = exchanges.map((e) => ({ e, j: judgePlainHttp(e) }));
    const unknown = judged.filter(({ j }) => 'unknown' in j);
    if (unknown.length === judged.length) {
      return unanswered(exchanges, out.httpUrl, 'unknown' in unknown[0]!.j ? unknown[0]!.j.unknown : '');
    }
    const findings: Finding[] = judged.flatMap(({ e, j }) =>
      'served' in j
        ? [
            {
              message: `${describe(e)}: ${j.served}`,
              exchanges: [e.id],
              expected: 'a redirect to https or a refusal',
              received: j.served,
            },
          ]
        : [],
    );
    const where = `${out.httpUrl}${out.derived ? ' (derived from base_url)' : ''}`;
    if (findings.length) return failed(`plain http at ${where} serves the API: ${findings[0]!.message}${tlsNote(ctx)}`, findings);
    const how = judged.map(
      ({ e, j }) => `${new URL(e.request.url).pathname} ${'refused' in j ? j.refused : 'unknown' in j ? `not judged (${j.unknown})` : ''}`,
    );
    return passed(`plain http at ${where} never serves the API: ${how.join('; ')}${tlsNote(ctx)}`, exchanges);
  },
});
