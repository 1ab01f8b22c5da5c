/** Reading the burst: its output and its 429. */
import type { Exchange } from '../../http/exchange.ts';
import { exchangeById, skipped } from '../support.ts';
import type { Outcome, Recording } from '../types.ts';

/** The burst's output as the ratelimit:burst probe writes it (src/probes/ratelimit.ts). */
export interface BurstReading {
  readonly path: string;
  readonly limit: number;
  readonly windowS: number;
  readonly maxRequests: number;
  readonly concurrency: number;
  readonly sent: number;
  readonly durationMs: number;
  readonly first429?: number;
  readonly answeredBefore429?: number;
  readonly retryAfter?: string;
  readonly body?: string;
}

export function burstOf(rec: Recording): BurstReading | undefined {
  return rec.outputs['ratelimit:burst'] as BurstReading | undefined;
}

/** The first 429 of the burst, or the outcome that says why there is none to judge. */
export function first429(rec: Recording): Exchange | Outcome {
  const out = burstOf(rec);
  const e = exchangeById(rec, out?.first429);
  if (e) return e;
  return skipped('nothing-to-check', out ? `the burst saw no 429 in ${out.sent} requests (ratelimit.429 says why)` : 'the burst did not run');
}

export const isExchange = (v: Exchange | Outcome): v is Exchange => 'request' in v;
