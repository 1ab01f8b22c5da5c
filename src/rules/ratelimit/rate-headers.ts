/** Reading rate-limit headers: the guideline's X-RateLimit-* and the IETF RateLimit fields. */
import { header, type Exchange } from '../../http/exchange.ts';

export const X_RATELIMIT = ['limit', 'remaining', 'reset', 'window'] as const;
export type XRateLimitField = (typeof X_RATELIMIT)[number];

export const headerName = (field: XRateLimitField): string => `X-RateLimit-${field[0]!.toUpperCase()}${field.slice(1)}`;

export function rateHeader(e: Exchange, field: XRateLimitField): string | undefined {
  return header(e, `x-ratelimit-${field}`)?.trim();
}

export function intHeader(e: Exchange, field: XRateLimitField): number | undefined {
  const v = rateHeader(e, field);
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Epoch seconds below this are taken for delta-seconds (2001-09-09: no window lasts that long). */
export const EPOCH_FLOOR = 1_000_000_000;

/** The response's clock, in epoch seconds: its Date header, else when the harness sent the request. */
export function nowOf(e: Exchange): number {
  const date = header(e, 'date');
  const parsed = date ? Date.parse(date) : NaN;
  return Math.floor((Number.isNaN(parsed) ? Date.parse(e.startedAt) : parsed) / 1000);
}

/**
 * The instants a response may be judged at, in epoch seconds: the service's Date header and the
 * harness's own clock when the response arrived. Date has a one-second resolution and servers
 * cache it (uvicorn and nginx refresh it once a second, later under load), while the two clocks
 * may be skewed: a Reset is wrong only when it is wrong by both.
 */
export function clocksOf(e: Exchange): { earliest: number; latest: number } {
  const arrived = Math.floor((Date.parse(e.startedAt) + e.durationMs) / 1000);
  const date = header(e, 'date');
  const served = date ? Math.floor(Date.parse(date) / 1000) : NaN;
  if (Number.isNaN(served)) return { earliest: arrived, latest: arrived };
  return { earliest: Math.min(served, arrived), latest: Math.max(served, arrived) };
}

/** The epoch second the window resets, whether Reset was sent as an epoch or as delta-seconds. */
export function resetEpoch(e: Exchange): number | undefined {
  const reset = intHeader(e, 'reset');
  if (reset === undefined) return undefined;
  return reset >= EPOCH_FLOOR ? reset : nowOf(e) + reset;
}

/** IETF rate-limit headers (draft-ietf-httpapi-ratelimit-headers: RateLimit, RateLimit-Policy; older drafts: RateLimit-Limit/-Remaining/-Reset). */
export const IETF_HEADERS = ['ratelimit-policy', 'ratelimit', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'] as const;

export function ietfHeaders(e: Exchange): { name: string; value: string }[] {
  return IETF_HEADERS.flatMap((name) => {
    const value = header(e, name);
    return value === undefined ? [] : [{ name, value }];
  });
}

const DISPLAY: Record<string, string> = {
  'ratelimit-policy': 'RateLimit-Policy',
  ratelimit: 'RateLimit',
  'ratelimit-limit': 'RateLimit-Limit',
  'ratelimit-remaining': 'RateLimit-Remaining',
  'ratelimit-reset': 'RateLimit-Reset',
};

/** "IETF rate-limit headers also seen on 12 of 40 responses: RateLimit-Policy: …; RateLimit: …" (informational). */
export function ietfSummary(exchanges: readonly Exchange[]): string {
  const carrying = exchanges.filter((e) => ietfHeaders(e).length);
  if (!carrying.length) return 'no IETF RateLimit / RateLimit-Policy headers seen';
  const example = new Map<string, string>();
  for (const e of carrying) for (const h of ietfHeaders(e)) if (!example.has(h.name)) example.set(h.name, h.value);
  const shown = [...example].map(([n, v]) => `${DISPLAY[n] ?? n}: ${v}`).join('; ');
  return `IETF rate-limit headers (informational) also seen on ${carrying.length} of ${exchanges.length} responses, e.g. ${shown}`;
}
