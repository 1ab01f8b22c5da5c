/** Helpers the checks share: selecting exchanges, building outcomes, collapsing findings. */
import { jsonBody, type Exchange } from '../http/exchange.ts';
import { outputOf, type ProbeDef } from '../probes/types.ts';
import type { Finding, Outcome, Recording, RuleBehaviour } from './types.ts';
import type { ReasonCode } from '../spec/vocabulary.ts';

/** Methods whose responses run-wide rules judge (SPEC §8). */
const JUDGED_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export function exchangesOf(rec: Recording, ...probes: ProbeDef[]): Exchange[] {
  const names = new Set(probes.map((p) => p.name));
  return rec.exchanges.filter((e) => names.has(e.probe));
}

export function exchangeById(rec: Recording, id: number | undefined): Exchange | undefined {
  return id === undefined ? undefined : rec.exchanges.find((e) => e.id === id);
}

/** Exchanges by the ids a probe output lists (number, number[], or a per-resource map of those). */
export function exchangesFromOutput<Output>(rec: Recording, probe: ProbeDef<Output>, pick?: (value: unknown) => unknown): Exchange[] {
  const out = outputOf(rec, probe);
  const ids: number[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'number') ids.push(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(pick ? pick(x) : x);
  };
  collect(out);
  return ids.map((id) => exchangeById(rec, id)).filter((e): e is Exchange => e !== undefined);
}

/** Responses to GET/POST/PUT/PATCH/DELETE on API paths (and optionally health): what run-wide rules judge. */
export function apiExchanges(rec: Recording, options: { includeHealth?: boolean } = {}): Exchange[] {
  return rec.exchanges.filter(
    (e) =>
      e.response && JUDGED_METHODS.has(e.request.method) && (e.scope === 'api' || (options.includeHealth === true && e.scope === 'health')),
  );
}

export function errorResponses(rec: Recording): Exchange[] {
  return apiExchanges(rec).filter((e) => e.response!.status >= 400);
}

export const statusOf = (e: Exchange): number | undefined => e.response?.status;

export function describe(e: Exchange): string {
  const url = new URL(e.request.url);
  let path = url.pathname + url.search;
  if (path.length > 120) path = `${path.slice(0, 100)}…(${path.length} chars)`;
  const result = e.response ? String(e.response.status) : `no response (${e.error?.message ?? 'unknown'})`;
  return `${e.request.method} ${path} → ${result}`;
}

export function passed(message: string, exchanges: readonly Exchange[]): Outcome {
  return { status: 'passed', message, exchanges: exchanges.slice(0, 5).map((e) => e.id) };
}

export function failed(message: string, findings: readonly Finding[]): Outcome {
  return { status: 'failed', message, findings: collapse(findings) };
}

export function skipped(reason: ReasonCode, message: string): Outcome {
  return { status: 'skipped', reason, message };
}

export function errored(reason: ReasonCode, message: string, exchanges: readonly Exchange[] = []): Outcome {
  return { status: 'error', reason, message, exchanges: exchanges.slice(0, 5).map((e) => e.id) };
}

/**
 * "Could not check": the exchanges a check needed got no usable answer (transport error,
 * reset, or a request the rate-limit budget held back). Evaluation (src/harness/evaluate.ts)
 * turns it into `error` with reason `transport-error`, or `rate-limit-wait` when the budget
 * held back every one of them. The message reads "could not check[ subject]: <why>", where why
 * is `detail`, else the first exchange's transport error.
 */
export function unanswered(exchanges: readonly Exchange[], subject?: string, detail?: string): Outcome {
  const why = detail ?? exchanges[0]?.error?.message ?? 'no response';
  return {
    status: 'unanswered',
    message: `could not check${subject ? ` ${subject}` : ''}: ${why}`,
    exchanges: exchanges.slice(0, 5).map((e) => e.id),
  };
}

/** Same message at the same place → one finding with a count and up to 5 exchanges. */
export function collapse(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding & { count: number; exchanges: number[] }>();
  for (const f of findings) {
    const key = `${f.message}\u0000${f.at ?? ''}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { ...f, exchanges: [...f.exchanges], count: f.count ?? 1 });
    else {
      g.count += f.count ?? 1;
      for (const id of f.exchanges) if (g.exchanges.length < 5 && !g.exchanges.includes(id)) g.exchanges.push(id);
    }
  }
  return [...groups.values()]
    .map((g) => (g.count === 1 ? { ...g, count: undefined } : g))
    .map(({ count, ...rest }) => (count ? { ...rest, count } : rest));
}

/** Outcome of "each of these exchanges must have a status in `expected`". */
export function expectStatuses(exchanges: readonly Exchange[], expected: readonly number[], what: string, nothing: string): Outcome {
  if (!exchanges.length) return skipped('nothing-to-check', nothing);
  // A response that never completed (reset, stalled, truncated) is not evidence of a status.
  const complete = (e: Exchange): boolean => !!e.response && !e.response.incomplete;
  const broken = exchanges.filter((e) => !complete(e));
  if (broken.length === exchanges.length) {
    return unanswered(broken, undefined, broken[0]!.error?.message ?? broken[0]!.response?.incomplete ?? 'no response');
  }
  const findings: Finding[] = [];
  for (const e of exchanges) {
    if (!complete(e)) continue;
    const status = e.response!.status;
    if (!expected.includes(status)) {
      findings.push({
        message: `${e.purpose}: received ${status}, expected ${expected.join(' or ')}`,
        exchanges: [e.id],
        expected: expected.join(' or '),
        received: String(status),
      });
    }
  }
  const judged = exchanges.filter(complete);
  if (findings.length) return failed(`${findings.length} of ${judged.length} ${what} did not answer ${expected.join('/')}`, findings);
  return passed(`${judged.length} ${what} answered ${[...new Set(judged.map((e) => e.response!.status))].join('/')}`, judged);
}

export function bodyExcerpt(e: Exchange, max = 200): string {
  const body = e.response?.body ?? '';
  return body.length > max ? `${body.slice(0, max)}…` : body;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export { jsonBody };

/** A rule that is "the exchanges of this probe must answer one of these statuses". */
export function probeStatusRule<Output>(probe: ProbeDef<Output>, statuses: number[], what: string, nothing: string): RuleBehaviour {
  return {
    probes: [probe],
    check: (rec) => expectStatuses(exchangesFromOutput(rec, probe), statuses, what, nothing),
  };
}
