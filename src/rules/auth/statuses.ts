/** Shared judging of auth probes: each exchange must answer one of the expected statuses, with a reading of what else it means. */
import type { AuthAttempt } from '../../probes/auth.ts';
import type { PerResource } from '../../probes/resources.ts';
import { outputOf, type ProbeDef } from '../../probes/types.ts';
import type { Exchange } from '../../http/exchange.ts';
import { describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding, Outcome, Recording } from '../types.ts';

export function attemptsOf(
  rec: Recording,
  probe: ProbeDef<PerResource<AuthAttempt[]> | undefined>,
): { attempt: AuthAttempt; exchange: Exchange }[] {
  const out = outputOf(rec, probe) ?? {};
  return Object.values(out)
    .flat()
    .flatMap((attempt) => {
      const exchange = exchangeById(rec, attempt.exchange);
      return exchange ? [{ attempt, exchange }] : [];
    });
}

/** What a status means when a credential should have been refused. */
export function meaning(status: number): string {
  if (status >= 200 && status < 300) return 'the request was served';
  if (status === 401) return 'treated as unauthenticated';
  if (status === 403) return 'refused as forbidden';
  if (status === 404) return 'answered not found';
  if (status >= 500) return 'a server error';
  return `answered ${status}`;
}

/**
 * Outcome of "each exchange answers one of `expected`": findings name the operation, the
 * variant and what the status means; findings of one operation and status collapse.
 */
export function judgeStatuses(exchanges: readonly Exchange[], expected: readonly number[], what: string, nothing: string): Outcome {
  if (!exchanges.length) return skipped('nothing-to-check', nothing);
  const answered = exchanges.filter((e) => e.response);
  if (!answered.length) return unanswered(exchanges);
  const findings: Finding[] = [];
  for (const e of answered) {
    const status = e.response!.status;
    if (expected.includes(status)) continue;
    findings.push({
      message: `${e.purpose}: received ${status} (${meaning(status)}), expected ${expected.join(' or ')}`,
      exchanges: [e.id],
      expected: expected.join(' or '),
      received: String(status),
    });
  }
  if (findings.length) return failed(`${findings.length} of ${answered.length} ${what} did not answer ${expected.join('/')}`, findings);
  return passed(
    `all ${answered.length} ${what} answered ${[...new Set(answered.map((e) => e.response!.status))].join('/')} (e.g. ${describe(answered[0]!)})`,
    answered,
  );
}
