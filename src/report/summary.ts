/**
 * summary.json (SPEC §5): every catalogue rule once per target, whatever the run selected.
 * Pure: built from the rule results the tests attached, the targets and the catalogue.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Target } from '../config/target.ts';
import { applicability } from '../harness/applicability.ts';
import type { RuleResult } from '../harness/evaluate.ts';
import { CATALOGUE } from '../rules/catalogue.ts';
import { RULES } from '../rules/registry.ts';
import type { RuleStatus } from '../rules/types.ts';
import { verdictOf, type Verdict } from './verdict.ts';
import type { AppliedWaiver, WaiverReport } from './waivers.ts';

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
  readonly rules: readonly SummaryRule[];
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
      requests: { total, by_method: run.sentByMethod }, leftovers: run.leftovers, rules,
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
