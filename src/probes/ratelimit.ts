/**
 * Rate-limit probes: five sequential requests to watch Remaining count down, and the burst
 * that provokes the 429. The burst runs in the final phase, after every other probe of the
 * target (SPEC §7), only when the target says `rate_limit.burst: true`.
 */
import type { Resource, Target } from '../config/target.ts';
import { paginationOf } from '../spec/conventions.ts';
import { credentialFor } from './resources.ts';
import { versionPrefix } from './support.ts';
import { defineProbe, type ProbeContext, type ProbeDef } from './types.ts';

/** Requests in flight at once during the burst: fast enough to beat refill, gentle on sockets. */
export const BURST_CONCURRENCY = 8;
export const SEQUENCE_LENGTH = 5;

export interface BurstOutput {
  readonly path: string;
  readonly limit: number;
  readonly windowS: number;
  /** limit + 10: the most the burst may send (SPEC §7). */
  readonly maxRequests: number;
  readonly concurrency: number;
  /** Requests the burst sent (it stops at the first 429; those in flight still complete). */
  readonly sent: number;
  readonly durationMs: number;
  /** Exchange id of the first 429, and how many burst requests had been answered before it. */
  readonly first429?: number;
  readonly answeredBefore429?: number;
  readonly retryAfter?: string;
  /** The 429's body (first 500 characters). */
  readonly body?: string;
}

/** The cheapest authenticated API request: the smallest page of the first resource. */
function cheapRequest(target: Target): { path: string; query: Record<string, string>; resource?: Resource } {
  const resource = target.resources.find((r) => r.requiresAuth) ?? target.resources[0];
  if (!resource) return { path: `${versionPrefix(target)}/conformance-rate-limit-probe`, query: {} };
  return { path: resource.collection, query: { [paginationOf(target).sizeParam]: '1' }, resource };
}

export const ratelimitSequenceProbe = defineProbe({
  name: 'ratelimit:sequence',
  estimate: (t) => ({ [credentialFor(t, cheapRequest(t).resource)]: SEQUENCE_LENGTH }),
  run: async (ctx) => {
    const { path, query, resource } = cheapRequest(ctx.target);
    const ids: number[] = [];
    // Sequential on purpose: each response must reflect every request before it.
    for (let i = 1; i <= SEQUENCE_LENGTH; i++) {
      ids.push(
        (
          await ctx.send({
            purpose: `request ${i} of ${SEQUENCE_LENGTH} in a row with one credential (X-RateLimit-Remaining should count down)`,
            method: 'GET',
            path,
            query,
            credential: credentialFor(ctx.target, resource),
          })
        ).id,
      );
    }
    return ids;
  },
});

export const ratelimitBurstProbe = defineProbe({
  name: 'ratelimit:burst',
  phase: 'final',
  estimate: (t) => ({ [credentialFor(t, cheapRequest(t).resource)]: { expected: t.rateLimit.limit + 1, max: t.rateLimit.limit + 10 } }),
  run: (ctx) => burst(ctx),
});

export const RATELIMIT_PROBES: readonly ProbeDef[] = [ratelimitSequenceProbe, ratelimitBurstProbe];

async function burst(ctx: ProbeContext): Promise<BurstOutput> {
  const target = ctx.target;
  const { path, query, resource } = cheapRequest(target);
  const credential = credentialFor(target, resource);
  const { limit, windowS } = target.rateLimit;
  const maxRequests = limit + 10;
  const started = performance.now();
  let sent = 0;
  let answered = 0;
  let transportErrors = 0;
  let first: { id: number; answeredBefore: number; retryAfter?: string; body: string } | undefined;
  const worker = async (): Promise<void> => {
    while (!first && sent < maxRequests && transportErrors < 3) {
      sent++;
      const e = await ctx.send({
        purpose: `burst request ${sent} of at most ${maxRequests} (declared limit ${limit} per ${windowS} s)`,
        method: 'GET',
        path,
        query,
        credential,
        expect429: true,
      });
      if (e.response?.status === 429 && !first) {
        const ra = e.response.headers['retry-after'];
        first = {
          id: e.id,
          answeredBefore: answered,
          body: e.response.body.slice(0, 500),
          ...(ra !== undefined ? { retryAfter: typeof ra === 'string' ? ra : ra.join(', ') } : {}),
        };
      }
      answered++;
      // A dead target must not cost limit+10 time-outs.
      if (e.error) transportErrors++;
    }
  };
  await Promise.all(Array.from({ length: BURST_CONCURRENCY }, worker));
  return {
    path,
    limit,
    windowS,
    maxRequests,
    concurrency: BURST_CONCURRENCY,
    sent,
    durationMs: Math.round(performance.now() - started),
    ...(first
      ? {
          first429: first.id,
          answeredBefore429: first.answeredBefore,
          body: first.body,
          ...(first.retryAfter !== undefined ? { retryAfter: first.retryAfter } : {}),
        }
      : {}),
  };
}
