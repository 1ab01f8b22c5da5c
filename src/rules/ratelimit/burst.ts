/** Reading the burst: its output and its 429. */
import type { Exchange } from '../../http/exchange.ts';
import { exchangeById, skipped } from '../support.ts';
import type { Outcome, Recording } from '../types.ts';
import { ratelimitBurstProbe, type BurstOutput } from '../../probes/ratelimit.ts';
import { outputOf } from '../../probes/types.ts';

export function burstOf(rec: Recording): BurstOutput | undefined {
  return outputOf(rec, ratelimitBurstProbe);
}

/** The first 429 of the burst, or the outcome that says why there is none to judge. */
export function first429(rec: Recording): Exchange | Outcome {
  const out = burstOf(rec);
  const e = exchangeById(rec, out?.first429);
  if (e) return e;
  return skipped(
    'nothing-to-check',
    out ? `the burst saw no 429 in ${out.sent} requests (ratelimit.429 says why)` : 'the burst did not run',
  );
}

export const isExchange = (v: Exchange | Outcome): v is Exchange => 'request' in v;
