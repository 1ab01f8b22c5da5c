/**
 * summary.json (SPEC §5): every catalogue rule once per target, whatever the run selected.
 * Pure: built from the rule results the tests attached, the targets and the catalogue.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DiscoveryReport, Target } from '../config/target.ts';
import { applicability } from '../harness/applicability.ts';
import type { RuleResult } from '../harness/evaluate.ts';
import { CATALOGUE } from '../spec/catalogue.ts';
import { RULES } from '../rules/registry.ts';
import { verdictOf, type Verdict } from './verdict.ts';
import type { AppliedWaiver, WaiverReport } from './waivers.ts';
import type { RuleStatus } from '../spec/vocabulary.ts';

export const SUMMARY_SCHEMA_VERSION = 1;
/** Bumped when rule ids are added or their meaning changes. */
export const CATALOGUE_VERSION = `1.${CATALOGUE.length}`;
export const HARNESS_VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;

/** A rule's result as reported: what the check found, plus the waiver that accepted it, if any. */
export interface SummaryRule extends RuleResult {
  readonly waiver?: AppliedWaiver;
}

export interface TargetSummary {
  readonly name: string;
  readonly base_url: string;
  readonly profile: string;
  readonly counts: Record<RuleStatus, number>;
  readonly requests: { readonly total: number; readonly by_method: Record<string, number> };
  readonly leftovers: readonly string[];
  /** Present (false) when the target's TLS certificate was not verified: every https result is weaker. */
  readonly tls_verify?: false;
  /** What the harness derived from the OpenAPI document (targets that declare no resources). */
  readonly discovery?: DiscoverySummary;
  readonly rules: readonly SummaryRule[];
}

export interface DiscoverySummary {
  readonly source: string;
  readonly problem?: string;
  readonly resources: readonly { name: string; collection: string; item: string; requires_auth: boolean; create_body?: string; update_body?: string }[];
  readonly uploads: readonly { path: string; resource?: string; field: string; max_bytes: number; allowed_types: readonly string[] }[];
  readonly streams: readonly { path: string; resource?: string }[];
  readonly not_probed: readonly { operation: string; reason: string }[];
}

export function discoverySummary(d: DiscoveryReport): DiscoverySummary {
  return {
    source: d.source,
    ...(d.problem ? { problem: d.problem } : {}),
    resources: d.resources.map((r) => ({
      name: r.name, collection: r.collection, item: r.item, requires_auth: r.requiresAuth,
      ...(d.bodies[r.name]?.create ? { create_body: d.bodies[r.name]!.create } : {}),
      ...(d.bodies[r.name]?.update ? { update_body: d.bodies[r.name]!.update } : {}),
    })),
    uploads: d.uploads.map((u) => ({ path: u.path, ...(u.resource ? { resource: u.resource } : {}), field: u.field, max_bytes: u.maxBytes, allowed_types: u.allowedTypes })),
    streams: d.streams.map((s) => ({ path: s.path, ...(s.resource ? { resource: s.resource } : {}) })),
    not_probed: d.notProbed,
  };
}

export interface Summary {
  readonly schema_version: number;
  readonly harness_version: string;
  readonly catalogue_version: string;
  readonly started_at: string;
  readonly duration_ms: number;
  readonly verdict: Verdict;
  readonly targets: readonly TargetSummary[];
  /** Present when waivers were applied (run --waivers, or gate). */
  readonly waivers?: WaiverReport;
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
}

export function buildSummary(runs: readonly TargetRun[], startedAt: Date, durationMs: number): Summary {
  const targets = runs.map((run): TargetSummary => {
    const rules = RULES.map((rule): RuleResult => {
      const seen = run.results.get(rule.id);
      if (seen) return seen;
      const severity = run.target ? applicability(rule, run.target).severity : rule.severity[run.profile as 'platform' | 'backend'] ?? 'should';
      return {
        id: rule.id, area: rule.area, title: rule.title, expectation: rule.expectation, severity,
        status: 'skipped', reason: 'not-selected', message: 'not selected in this run (--grep, --project or --shard)', evidence: [],
      };
    });
    const counts: Record<RuleStatus, number> = { passed: 0, failed: 0, skipped: 0, waived: 0, error: 0 };
    for (const r of rules) counts[r.status]++;
    const total = Object.values(run.sentByMethod).reduce((a, b) => a + b, 0);
    return {
      name: run.name, base_url: run.baseUrl, profile: run.profile, counts,
      requests: { total, by_method: run.sentByMethod }, leftovers: run.leftovers,
      ...(run.target?.tlsVerify === false ? { tls_verify: false as const } : {}),
      ...(run.discovery ? { discovery: discoverySummary(run.discovery) } : {}),
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
