/**
 * Whether a rule is judged for a target at all: its severity for the profile (and the
 * target's overrides), `rules.skip`, and its prerequisites. Policy, not verdict.
 */
import { existsSync } from 'node:fs';
import { hasCredential, type Target } from '../config/target.ts';
import { CHROMIUM_PATH } from '../config/environment.ts';
import type { Rule } from '../rules/registry.ts';
import type { CatalogueEntry } from '../spec/catalogue.ts';
import type { Prerequisite, ReasonCode, Severity } from '../spec/vocabulary.ts';

export type Applicability =
  | { status: 'applicable'; severity: Exclude<Severity, 'off'> }
  | { status: 'skipped'; severity: Severity; reason: ReasonCode; message: string };

/** The rule's severity for the target: its profile's, or the target's override (a catalogue entry will do). */
export function severityFor(rule: Pick<CatalogueEntry, 'id' | 'severity'>, target: Target): Severity {
  return target.rules.severity[rule.id] ?? rule.severity[target.profile];
}

export function applicability(rule: Rule, target: Target): Applicability {
  const severity = severityFor(rule, target);
  if (rule.severity[target.profile] === 'off' && target.rules.severity[rule.id] === undefined) {
    return { status: 'skipped', severity: 'off', reason: 'not-applicable', message: `not part of the ${target.profile} profile` };
  }
  if (severity === 'off')
    return { status: 'skipped', severity, reason: 'turned-off', message: 'turned off in targets.yaml (rules.severity)' };
  if (target.rules.skip.includes(rule.id))
    return { status: 'skipped', severity, reason: 'turned-off', message: 'listed in rules.skip of targets.yaml' };
  // A rule that does not apply at all says so before naming what it would need.
  const missing = rule.requires.flatMap((p) => missingPrerequisite(p, target) ?? []);
  const first = missing.find((m) => m.reason === 'not-applicable') ?? missing[0];
  if (first) return { status: 'skipped', severity, reason: first.reason, message: first.message };
  if (!rule.behaviour) return { status: 'skipped', severity, reason: 'not-implemented', message: 'not implemented yet' };
  // A rule whose every probe writes has nothing to read on a read-only target: say read-only, not
  // "nothing to probe" (issue 12: status.method-not-allowed-405 on json-server with six resources).
  const probes = rule.behaviour.probes;
  if (probes.length && probes.every((p) => p.mutating) && !rule.behaviour.runWide) {
    const readOnly = missingPrerequisite('mutating', target);
    if (readOnly) return { status: 'skipped', severity, reason: readOnly.reason, message: readOnly.message };
  }
  return { status: 'applicable', severity };
}

function missingPrerequisite(p: Prerequisite, t: Target): { reason: ReasonCode; message: string } | undefined {
  const need = (message: string): { reason: ReasonCode; message: string } => ({ reason: 'missing-prerequisite', message });
  switch (p) {
    case 'resource':
      // Protected resources read without a credential answer 401: that says nothing of the rule.
      if (t.resources.length && t.resources.every((r) => r.requiresAuth) && !hasCredential(t, 'bearer') && !hasCredential(t, 'api_key'))
        return need('the resources require authentication and neither auth.bearer nor auth.api_key is configured');
      if (t.resources.length) return undefined;
      return need(
        t.discovery
          ? `no resources declared (targets.yaml resources:) and none discovered from the OpenAPI document${t.discovery.problem ? ` (${t.discovery.problem})` : ''}`
          : 'no resources declared (targets.yaml resources:)',
      );
    case 'protected-resource':
      return t.resources.some((r) => r.requiresAuth) ? undefined : need('no resource declared with requires_auth: true');
    case 'mutating':
      if (t.mode === 'mutating') return undefined;
      return {
        reason: 'read-only',
        message:
          t.discovery?.resources.length && !t.discoveryMutate
            ? 'needs writes; the resources were discovered from the OpenAPI document and discovery.mutate is not true (writes go only to declared resources)'
            : 'needs writes; the target is read-only (mode: mutating enables them)',
      };
    case 'update-body':
      return t.resources.some((r) => r.update) ? undefined : need('no resource declares an `update` body');
    case 'bearer':
    case 'limited_bearer':
    case 'expired_bearer':
    case 'other_tenant_bearer':
    case 'api_key':
      return hasCredential(t, p) ? undefined : need(`auth.${p} is not configured`);
    case 'https':
      return t.baseUrl.startsWith('https://')
        ? undefined
        : { reason: 'not-applicable', message: 'the target is plain http; the rule applies to https targets' };
    case 'burst':
      return t.rateLimit.burst ? undefined : need('rate_limit.burst is not true (the 429 is provoked only when the target allows it)');
    case 'cors-allowed-origins':
      return t.cors.allowedOrigins.length ? undefined : need('cors.allowed_origins is not configured');
    case 'chromium':
      return existsSync(CHROMIUM_PATH) ? undefined : need(`no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`);
    case 'deprecated-prefixes':
      return t.deprecatedPrefixes.length ? undefined : need('no deprecated_prefixes declared');
    case 'openapi':
      return undefined; // judged at run time: the document may or may not be served
    case 'uploads':
      return t.uploads.length ? undefined : need('no uploads declared');
    case 'streams':
      return t.streams.length ? undefined : need('no streams declared');
    case 'cursor-pagination':
    case 'page-pagination': {
      const style = p === 'cursor-pagination' ? 'cursor' : 'page';
      return t.conventions.pagination === style
        ? undefined
        : {
            reason: 'not-applicable',
            message: `the target paginates by ${t.conventions.pagination} (conventions.pagination), not by ${style}`,
          };
    }
  }
}
