import type { RuleBehaviour } from '../types.ts';
import { body429 } from './429-body.ts';
import { headers } from './headers.ts';
import { remainingDecrements } from './remaining-decrements.ts';
import { retryAfter } from './retry-after.ts';
import { tooManyRequests } from './429.ts';

export const RATELIMIT_RULES: Record<string, RuleBehaviour> = {
  'ratelimit.headers': headers,
  'ratelimit.remaining-decrements': remainingDecrements,
  'ratelimit.429': tooManyRequests,
  'ratelimit.retry-after': retryAfter,
  'ratelimit.429-body': body429,
};
