/**
 * Which rate budget a request falls under (SPEC §7: per origin and credential, within the
 * authenticated and the anonymous budget). Pure: the client paces by it and `run --dry-run`
 * plans with it, so both always agree.
 */
import { createHash } from 'node:crypto';
import type { SecretName, Target } from '../config/target.ts';
import type { Credential } from './exchange.ts';
import type { Budget } from './pacer.ts';

export interface PacingKey {
  /** Pacing-ledger key: scope, then the credential (a fingerprint of its value, never the value). */
  readonly key: string;
  /** The same for people: scope and credential name. */
  readonly label: string;
  readonly budget: Budget;
  readonly anonymous: boolean;
}

/** Requests a service cannot attribute to a caller count against the anonymous budget. */
export function isAnonymous(credential: Credential): boolean {
  return credential === 'none' || credential === 'invalid' || credential === 'expired_bearer';
}

const SECRET_OF: Partial<Record<Credential, SecretName>> = {
  bearer: 'bearer',
  api_key: 'api_key',
  limited_bearer: 'limited_bearer',
  expired_bearer: 'expired_bearer',
  other_tenant_bearer: 'other_tenant_bearer',
};

/**
 * The budget scope of `url`: the target's origin, or its base URL when the target declares
 * `rate_limit.scope: base_url` (a gateway that keeps one budget per service prefix). Other
 * origins (http_url) are their own scope.
 */
export function scopeOf(target: Target, url: URL): string {
  if (url.origin !== target.origin) return url.origin;
  if (target.rateLimit.scope === 'base_url') {
    const path = url.pathname;
    if (path === target.basePath || path.startsWith(`${target.basePath}/`) || target.basePath === '') return target.baseUrl;
  }
  return target.origin;
}

export function pacingKey(target: Target, credential: Credential, url: URL): PacingKey {
  const scope = scopeOf(target, url);
  const rl = target.rateLimit;
  if (isAnonymous(credential) || url.origin !== target.origin) {
    return { key: `${scope} anonymous`, label: `${scope} anonymous`, budget: rl.anonymous, anonymous: true };
  }
  const secretName = SECRET_OF[credential];
  const value = secretName ? target.auth[secretName] : undefined;
  // Two targets with the same token share a budget; the same name with different tokens does not.
  const fingerprint = value ? createHash('sha256').update(value).digest('hex').slice(0, 16) : 'unset';
  return {
    key: `${scope} credential#${fingerprint}`,
    label: `${scope} ${credential}`,
    budget: { limit: rl.limit, windowS: rl.windowS },
    anonymous: false,
  };
}

/** Pacing waits up to this long are taken whatever max_wait_s says: a per-minute budget never needs more. */
export const ORDINARY_PACING_S = 60;

/**
 * The longest single wait for a budget the harness takes (SPEC §3 max_wait_s, at least a
 * minute); a request that would wait longer is not sent, and its rules report rate-limit-wait.
 */
export function longestPacingWaitS(target: Target): number {
  return Math.max(target.rateLimit.maxWaitS, ORDINARY_PACING_S);
}
