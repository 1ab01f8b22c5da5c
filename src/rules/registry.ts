/**
 * The one registry: the catalogue (data, src/spec/catalogue.ts) joined with the one list of
 * checks below. Each check declares its rule id in its own file (defineRule). Unknown,
 * duplicate and missing ids are rejected when it loads.
 */
import { CATALOGUE, type CatalogueEntry } from '../spec/catalogue.ts';
import type { RuleBehaviour, RuleCheck } from './types.ts';
import { authApiKey } from './auth/api-key.ts';
import { authCrossTenant } from './auth/cross-tenant.ts';
import { authExpired401 } from './auth/expired-401.ts';
import { authForbidden403 } from './auth/forbidden-403.ts';
import { authInvalid401 } from './auth/invalid-401.ts';
import { authMissing401 } from './auth/missing-401.ts';
import { authPublicHealth } from './auth/public-health.ts';
import { authQueryTokenRejected } from './auth/query-token-rejected.ts';
import { authReadOnlyFields } from './auth/read-only-fields.ts';
import { authWwwAuthenticate } from './auth/www-authenticate.ts';
import { corsBrowser } from './cors/browser.ts';
import { corsCredentials } from './cors/credentials.ts';
import { corsDeniedOrigin } from './cors/denied-origin.ts';
import { corsMaxAge } from './cors/max-age.ts';
import { corsOriginBypass } from './cors/origin-bypass.ts';
import { corsPreflightAllowed } from './cors/preflight-allowed.ts';
import { corsVaryOrigin } from './cors/vary-origin.ts';
import { docsDescriptions } from './docs/descriptions.ts';
import { docsErrorStatuses } from './docs/error-statuses.ts';
import { docsExamples } from './docs/examples.ts';
import { docsOpenapi } from './docs/openapi.ts';
import { docsResponseSchema } from './docs/response-schema.ts';
import { errorsCodeFormat } from './errors/code-format.ts';
import { errorsContentType } from './errors/content-type.ts';
import { errorsNoInternalLeak } from './errors/no-internal-leak.ts';
import { errorsProblemMembers } from './errors/problem-members.ts';
import { errorsShape } from './errors/shape.ts';
import { errorsStatusMatches } from './errors/status-matches.ts';
import { errorsValidationDetails } from './errors/validation-details.ts';
import { formatBooleanPrefix } from './format/boolean-prefix.ts';
import { formatJsonContentType } from './format/json-content-type.ts';
import { formatResponseEnvelope } from './format/response-envelope.ts';
import { formatSnakeCase } from './format/snake-case.ts';
import { formatTimestamps } from './format/timestamps.ts';
import { formatUuidIds } from './format/uuid-ids.ts';
import { inputsInvalidRejected } from './inputs/invalid-rejected.ts';
import { inputsNoServerErrors } from './inputs/no-server-errors.ts';
import { inputsValidAccepted } from './inputs/valid-accepted.ts';
import { methodsDeleteIdempotent } from './methods/delete-idempotent.ts';
import { methodsGetSafe } from './methods/get-safe.ts';
import { methodsPutIdempotent } from './methods/put-idempotent.ts';
import { observabilityHealth } from './observability/health.ts';
import { observabilityReady } from './observability/ready.ts';
import { observabilityRequestIdEcho } from './observability/request-id-echo.ts';
import { observabilityRequestId } from './observability/request-id.ts';
import { paginationCursorOpaque } from './pagination/cursor-opaque.ts';
import { paginationDefaultLimit } from './pagination/default-limit.ts';
import { paginationEnvelope } from './pagination/envelope.ts';
import { paginationInvalidCursor } from './pagination/invalid-cursor.ts';
import { paginationLimitBounds } from './pagination/limit-bounds.ts';
import { paginationPageBounds } from './pagination/page-bounds.ts';
import { paginationStableUnderWrites } from './pagination/stable-under-writes.ts';
import { paginationTerminalPage } from './pagination/terminal-page.ts';
import { paginationTotalConsistent } from './pagination/total-consistent.ts';
import { paginationWalkComplete } from './pagination/walk-complete.ts';
import { ratelimit429Body } from './ratelimit/429-body.ts';
import { ratelimit429 } from './ratelimit/429.ts';
import { ratelimitHeaders } from './ratelimit/headers.ts';
import { ratelimitRemainingDecrements } from './ratelimit/remaining-decrements.ts';
import { ratelimitRetryAfter } from './ratelimit/retry-after.ts';
import { securityCookieFlags } from './security/cookie-flags.ts';
import { securityCsp } from './security/csp.ts';
import { securityFrameDeny } from './security/frame-deny.ts';
import { securityHeadersOnErrors } from './security/headers-on-errors.ts';
import { securityHsts } from './security/hsts.ts';
import { securityHttpsOnly } from './security/https-only.ts';
import { securityNoStoreAuthenticated } from './security/no-store-authenticated.ts';
import { securityNoVersionDisclosure } from './security/no-version-disclosure.ts';
import { securityNosniff } from './security/nosniff.ts';
import { securityTraceDisabled } from './security/trace-disabled.ts';
import { securityXssProtection } from './security/xss-protection.ts';
import { statusCreate201 } from './status/create-201.ts';
import { statusDelete204 } from './status/delete-204.ts';
import { statusMalformedBody400 } from './status/malformed-body-400.ts';
import { statusMethodNotAllowed405 } from './status/method-not-allowed-405.ts';
import { statusNoServerErrors } from './status/no-server-errors.ts';
import { statusNotFound404 } from './status/not-found-404.ts';
import { statusRead200 } from './status/read-200.ts';
import { statusUnknownRoute404 } from './status/unknown-route-404.ts';
import { statusUpdate200 } from './status/update-200.ts';
import { statusValidation422 } from './status/validation-422.ts';
import { streamingSse } from './streaming/sse.ts';
import { uploadsContentType } from './uploads/content-type.ts';
import { uploadsTooLarge } from './uploads/too-large.ts';
import { versioningDeprecationHeader } from './versioning/deprecation-header.ts';
import { versioningPrefix } from './versioning/prefix.ts';
import { versioningUnknownVersion } from './versioning/unknown-version.ts';

export interface Rule extends CatalogueEntry {
  /** Always set by buildRegistry (a catalogue entry without a check is rejected); optional for callers that still handle "not implemented". */
  readonly behaviour?: RuleBehaviour;
}

/** Every check of the harness: one literal list, no registration by import side effect. */
export const CHECKS: readonly RuleCheck[] = [
  statusCreate201,
  statusRead200,
  statusUpdate200,
  statusDelete204,
  statusNotFound404,
  statusUnknownRoute404,
  statusValidation422,
  statusMalformedBody400,
  statusMethodNotAllowed405,
  statusNoServerErrors,
  errorsShape,
  errorsStatusMatches,
  errorsProblemMembers,
  errorsContentType,
  errorsValidationDetails,
  errorsCodeFormat,
  errorsNoInternalLeak,
  paginationEnvelope,
  paginationDefaultLimit,
  paginationLimitBounds,
  paginationWalkComplete,
  paginationTerminalPage,
  paginationInvalidCursor,
  paginationCursorOpaque,
  paginationPageBounds,
  paginationTotalConsistent,
  paginationStableUnderWrites,
  ratelimitHeaders,
  ratelimitRemainingDecrements,
  ratelimit429,
  ratelimitRetryAfter,
  ratelimit429Body,
  authMissing401,
  authInvalid401,
  authExpired401,
  authWwwAuthenticate,
  authForbidden403,
  authApiKey,
  authQueryTokenRejected,
  authCrossTenant,
  authPublicHealth,
  authReadOnlyFields,
  formatJsonContentType,
  formatSnakeCase,
  formatTimestamps,
  formatBooleanPrefix,
  formatUuidIds,
  formatResponseEnvelope,
  versioningPrefix,
  versioningDeprecationHeader,
  versioningUnknownVersion,
  observabilityRequestId,
  observabilityRequestIdEcho,
  observabilityHealth,
  observabilityReady,
  methodsPutIdempotent,
  methodsDeleteIdempotent,
  methodsGetSafe,
  securityHsts,
  securityNosniff,
  securityFrameDeny,
  securityCsp,
  securityXssProtection,
  securityHeadersOnErrors,
  securityNoVersionDisclosure,
  securityNoStoreAuthenticated,
  securityTraceDisabled,
  securityCookieFlags,
  securityHttpsOnly,
  corsPreflightAllowed,
  corsCredentials,
  corsDeniedOrigin,
  corsOriginBypass,
  corsVaryOrigin,
  corsMaxAge,
  corsBrowser,
  docsOpenapi,
  docsDescriptions,
  docsExamples,
  docsResponseSchema,
  docsErrorStatuses,
  uploadsTooLarge,
  uploadsContentType,
  streamingSse,
  inputsNoServerErrors,
  inputsInvalidRejected,
  inputsValidAccepted,
];

/**
 * Joins the catalogue with the checks. Throws on an id the catalogue holds twice, a check for
 * an id the catalogue lacks, two checks for one id, and a catalogue entry with no check.
 */
export function buildRegistry(catalogue: readonly CatalogueEntry[], checks: readonly RuleCheck[]): Rule[] {
  const ids = new Set<string>();
  for (const entry of catalogue) {
    if (ids.has(entry.id)) throw new Error(`rule id "${entry.id}" is registered twice`);
    ids.add(entry.id);
  }
  const behaviours = new Map<string, RuleBehaviour>();
  for (const { id, ...behaviour } of checks) {
    if (!ids.has(id)) throw new Error(`a check is registered for "${id}", which is not in the catalogue`);
    if (behaviours.has(id)) throw new Error(`rule id "${id}" has two checks`);
    behaviours.set(id, behaviour);
  }
  const missing = catalogue.filter((entry) => !behaviours.has(entry.id)).map((entry) => entry.id);
  if (missing.length) throw new Error(`no check is registered for ${missing.map((id) => `"${id}"`).join(', ')}`);
  for (const [id, behaviour] of behaviours) {
    for (const dep of behaviour.dependsOn ?? []) {
      if (!behaviours.has(dep.rule)) throw new Error(`rule "${id}" depends on "${dep.rule}", which has no check`);
    }
  }
  const cycle = dependencyCycle(behaviours);
  if (cycle) throw new Error(`rule dependencies form a cycle: ${cycle.join(' → ')}`);
  return catalogue.map((entry) => {
    const behaviour = behaviours.get(entry.id);
    return behaviour ? { ...entry, behaviour } : { ...entry };
  });
}

/** A path of `dependsOn` edges that comes back to where it started, if there is one. */
function dependencyCycle(behaviours: ReadonlyMap<string, RuleBehaviour>): string[] | undefined {
  const done = new Set<string>();
  const visit = (id: string, path: readonly string[]): string[] | undefined => {
    if (path.includes(id)) return [...path.slice(path.indexOf(id)), id];
    if (done.has(id)) return undefined;
    for (const dep of behaviours.get(id)?.dependsOn ?? []) {
      const found = visit(dep.rule, [...path, id]);
      if (found) return found;
    }
    done.add(id);
    return undefined;
  };
  for (const id of behaviours.keys()) {
    const found = visit(id, []);
    if (found) return found;
  }
  return undefined;
}

export const RULES: readonly Rule[] = buildRegistry(CATALOGUE, CHECKS);

const byId = new Map(RULES.map((r) => [r.id, r]));
export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
