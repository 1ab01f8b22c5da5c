/**
 * Keeps a run under a declared budget: at most `limit` requests in any `window_s` seconds,
 * per origin and credential (SPEC §7). A sliding log, so short runs go at full speed and
 * long ones wait exactly as long as the budget demands.
 */
export interface Budget {
  readonly limit: number;
  readonly windowS: number;
}

export type Sleep = (ms: number) => Promise<void>;
export type Clock = () => number;

/**
 * The window the pacer keeps, padded so that a server counting arrival times (which jitter by
 * connection set-up and scheduling) still never sees more than `limit` requests in one window.
 */
export function paddedWindowMs(budget: Budget): number {
  const windowMs = budget.windowS * 1000;
  return windowMs + Math.max(100, windowMs * 0.02);
}

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class Pacer {
  private readonly sent = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    /** Fraction of the declared limit the harness allows itself (headroom for other clients). */
    private readonly share = 1,
    private readonly now: Clock = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /** How long the next request on `key` would wait now (for dry runs and evidence). */
  delayFor(key: string, budget: Budget): number {
    const allowed = Math.max(1, Math.floor(budget.limit * this.share));
    const windowMs = paddedWindowMs(budget);
    const log = this.prune(key, windowMs);
    if (log.length < allowed) return 0;
    return log[log.length - allowed]! + windowMs - this.now();
  }

  /** Resolves when a request on `key` may be sent, and counts it. Calls on one key are serialised. */
  acquire(key: string, budget: Budget): Promise<number> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    let waited = 0;
    const next = previous.then(async () => {
      let delay = this.delayFor(key, budget);
      while (delay > 0) {
        waited += delay;
        await this.sleep(delay);
        delay = this.delayFor(key, budget);
      }
      this.prune(key, paddedWindowMs(budget)).push(this.now());
    });
    this.queues.set(key, next.catch(() => undefined));
    return next.then(() => waited);
  }

  private prune(key: string, windowMs: number): number[] {
    const log = this.sent.get(key) ?? [];
    const cutoff = this.now() - windowMs;
    let drop = 0;
    while (drop < log.length && log[drop]! <= cutoff) drop++;
    if (drop) log.splice(0, drop);
    this.sent.set(key, log);
    return log;
  }
}
