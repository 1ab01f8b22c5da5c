/**
 * Rate limiting ("Rate Limiting"): at most `limit` requests in any `windowS` seconds per
 * principal (per client address when anonymous), as a sliding log.
 *
 * Why not @fastify/rate-limit: its X-RateLimit-Reset is seconds-until-reset, while this API
 * promises an epoch timestamp (the guideline's `X-RateLimit-Reset: 1642261800`), and it has
 * no X-RateLimit-Window. A fixed window would also let a client send 2×limit across a boundary.
 */
export interface Decision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Epoch seconds when the oldest counted request leaves the window (X-RateLimit-Reset). */
  readonly reset: number;
  /** Whole seconds until a request can succeed again: at least 1, at most the window (Retry-After). */
  readonly retryAfter: number;
  readonly windowS: number;
}

export class SlidingWindow {
  private readonly log = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowS: number,
  ) {}

  /** Counts a request for `key` at `nowMs` unless it is over the limit (refused requests are not counted). */
  hit(key: string, nowMs = Date.now()): Decision {
    const windowMs = this.windowS * 1000;
    let times = this.log.get(key);
    if (!times) this.log.set(key, (times = []));
    let expired = 0;
    while (expired < times.length && times[expired]! <= nowMs - windowMs) expired++;
    if (expired) times.splice(0, expired);
    const allowed = times.length < this.limit;
    if (allowed) times.push(nowMs);
    const freesAt = times[0]! + windowMs;
    return {
      allowed,
      limit: this.limit,
      remaining: this.limit - times.length,
      reset: Math.ceil(freesAt / 1000),
      retryAfter: Math.min(this.windowS, Math.max(1, Math.ceil((freesAt - nowMs) / 1000))),
      windowS: this.windowS,
    };
  }
}

export function rateLimitHeaders(d: Decision): Record<string, string> {
  return {
    'x-ratelimit-limit': String(d.limit),
    'x-ratelimit-remaining': String(d.remaining),
    'x-ratelimit-reset': String(d.reset),
    'x-ratelimit-window': String(d.windowS),
  };
}
