/**
 * summary.json (SPEC §5): every catalogue rule once per target, whatever the run selected.
 * Pure: built from the rule results the tests attached, the targets and the catalogue.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DiscoveryReport, Target } from '../config/target.ts';
import { severityFor } from '../policy/applicability.ts';
import type { RuleResult } from '../harness/evaluate.ts';
import { unjudgedResult } from '../harness/contract.ts';
import { CATALOGUE } from '../spec/catalogue.ts';
import { verdictOf } from '../policy/verdict.ts';
import { SUMMARY_SCHEMA_VERSION, type DiscoverySummary, type Summary, type TargetSummary } from '../spec/summary.ts';
import type { RuleStatus } from '../spec/vocabulary.ts';

/** The made-up-id shape a resource's path parameter asks for, in words (SPEC §8). */
function madeUpIds(schema: Readonly<Record<string, unknown>> | undefined): string {
  if (!schema) return 'shaped like the ids the service returned (the document declares no schema for the path parameter)';
  const facets = Object.entries(schema)
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
  return `following the path parameter's schema (${facets})`;
}

/** Bumped when rule ids are added or their meaning changes. */
export const CATALOGUE_VERSION = `1.${CATALOGUE.length}`;
export const HARNESS_VERSION = (
  JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }
).version;

/** `readOnly`: why discovered resources were probed read-only, when they were. */
export function discoverySummary(d: DiscoveryReport, readOnly?: string): DiscoverySummary {
  return {
    source: d.source,
    ...(d.problem ? { problem: d.problem } : {}),
    resources: d.resources.map((r) => ({
      name: r.name,
      collection: r.collection,
      item: r.item,
      requires_auth: r.requiresAuth,
      ...(d.bodies[r.name]?.create ? { create_body: d.bodies[r.name]!.create } : {}),
      ...(d.bodies[r.name]?.update ? { update_body: d.bodies[r.name]!.update } : {}),
      discovered: true as const,
      made_up_ids: madeUpIds(r.idSchema),
    })),
    ...(readOnly ? { read_only: readOnly } : {}),
    uploads: d.uploads.map((u) => ({
      path: u.path,
      ...(u.resource ? { resource: u.resource } : {}),
      field: u.field,
      max_bytes: u.maxBytes,
      allowed_types: u.allowedTypes,
    })),
    streams: d.streams.map((s) => ({ path: s.path, ...(s.resource ? { resource: s.resource } : {}) })),
    not_probed: d.notProbed,
  };
}

/** Why discovered resources were only read, in the words of targets.yaml (undefined when they were written to). */
function readOnlyReason(run: TargetRun): string | undefined {
  const t = run.target;
  if (!t || !run.discovery?.resources.length) return undefined;
  if (t.mode === 'read-only')
    return 'read-only: the target is read-only (mode: read-only, the default), so discovered resources are only read';
  if (!t.discoveryMutate)
    return 'read-only: writes go only to declared resources; discovery.mutate: true lets the harness write to discovered ones';
  return undefined;
}

export interface TargetRun {
  readonly name: string;
  /** Known when the target could be loaded; a run on a merged report may lack it. */
  readonly target?: Target;
  readonly baseUrl: string;
  readonly profile: string;
  readonly results: ReadonlyMap<string, RuleResult>;
  readonly sentByMethod: Record<string, number>;
  readonly leftovers: readonly string[];
  readonly discovery?: DiscoveryReport;
  readonly inputs?: { readonly seed: number; readonly examples: number; readonly maxRequests: number };
}

export function buildSummary(runs: readonly TargetRun[], startedAt: Date, durationMs: number): Summary {
  const targets = runs.map((run): TargetSummary => {
    // From the catalogue: what a rule not judged needs is its id, words and severity, and the
    // reporter need not load every check to say so (about 0.4 s at the end of each run).
    const rules = CATALOGUE.map((rule): RuleResult => {
      const seen = run.results.get(rule.id);
      if (seen) return seen;
      const severity = run.target ? severityFor(rule, run.target) : (rule.severity[run.profile as 'platform' | 'backend'] ?? 'should');
      return unjudgedResult(rule, {
        severity,
        status: 'skipped',
        reason: 'not-selected',
        message: 'not selected in this run (--grep, --project or --shard)',
      });
    });
    const counts: Record<RuleStatus, number> = { passed: 0, failed: 0, skipped: 0, waived: 0, error: 0 };
    for (const r of rules) counts[r.status]++;
    const total = Object.values(run.sentByMethod).reduce((a, b) => a + b, 0);
    return {
      name: run.name,
      base_url: run.baseUrl,
      profile: run.profile,
      counts,
      requests: { total, by_method: run.sentByMethod },
      leftovers: run.leftovers,
      ...(run.target?.tlsVerify === false ? { tls_verify: false as const } : {}),
      ...(run.discovery ? { discovery: discoverySummary(run.discovery, readOnlyReason(run)) } : {}),
      ...(run.inputs ? { inputs: { seed: run.inputs.seed, examples: run.inputs.examples, max_requests: run.inputs.maxRequests } } : {}),
      rules,
    };
  });
  return {
    schema_version: SUMMARY_SCHEMA_VERSION,
    harness_version: HARNESS_VERSION,
    catalogue_version: CATALOGUE_VERSION,
    started_at: startedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    duration_ms: Math.round(durationMs),
    verdict: verdictOf(targets.flatMap((t) => t.rules)),
    targets,
  };
}
