/**
 * The words every layer shares: profiles, severities, areas, prerequisites, statuses and
 * reason codes (SPEC §5, §6). This module imports nothing, so config, probes, rules, the
 * harness, reports and the reference API can all read it.
 */
export type Profile = 'platform' | 'backend';
export type Severity = 'must' | 'should' | 'off';
export type Area =
  | 'status'
  | 'errors'
  | 'auth'
  | 'pagination'
  | 'ratelimit'
  | 'security'
  | 'cors'
  | 'versioning'
  | 'format'
  | 'observability'
  | 'docs'
  | 'uploads'
  | 'streaming'
  | 'methods'
  | 'inputs';

export const AREAS: readonly Area[] = [
  'status',
  'errors',
  'auth',
  'pagination',
  'ratelimit',
  'security',
  'cors',
  'versioning',
  'format',
  'observability',
  'docs',
  'uploads',
  'streaming',
  'methods',
  'inputs',
];

/** What a target must declare (or be) for a rule to be judged at all. */
export type Prerequisite =
  | 'resource'
  | 'protected-resource'
  | 'mutating'
  | 'update-body'
  | 'bearer'
  | 'limited_bearer'
  | 'expired_bearer'
  | 'other_tenant_bearer'
  | 'api_key'
  | 'https'
  | 'burst'
  | 'cors-allowed-origins'
  | 'chromium'
  | 'deprecated-prefixes'
  | 'openapi'
  | 'uploads'
  | 'streams'
  | 'cursor-pagination'
  | 'page-pagination';

export type RuleStatus = 'passed' | 'failed' | 'skipped' | 'waived' | 'error';

/** Stable reason codes for `skipped` and `error` (SPEC §5). */
export type ReasonCode =
  | 'not-applicable'
  | 'missing-prerequisite'
  /** A rule it depends on failed, so its input is unusable (SPEC §5, §7 "one cause, one finding"); see `blocked_by`. */
  | 'blocked'
  | 'read-only'
  | 'not-selected'
  | 'not-implemented'
  | 'turned-off'
  | 'nothing-to-check'
  | 'unreachable'
  | 'transport-error'
  | 'probe-failed'
  | 'rate-limit-wait'
  | 'inconclusive'
  | 'truncated'
  /** The harness's own environment prevented judging (a browser policy unrelated to the service); counts like not-applicable. */
  | 'environment'
  | 'waived';
