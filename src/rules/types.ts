/**
 * What checks read and return. Checks are pure: they read a Recording (what the probes saw)
 * and return an Outcome; they never do I/O.
 */
import type { Target } from '../config/target.ts';
import type { ProbeDef, Recording } from '../probes/types.ts';
import type { SchemaSet } from '../spec/schemas.ts';
import type { ReasonCode } from '../spec/vocabulary.ts';
import type { ReportedFinding } from '../spec/summary.ts';

export type { Recording };

/** One concrete thing a check found wrong, pointing at the exchanges that show it (as summary.json reports it). */
export type Finding = ReportedFinding;

export type Outcome =
  | { readonly status: 'passed'; readonly message: string; readonly exchanges: readonly number[] }
  | { readonly status: 'failed'; readonly message: string; readonly findings: readonly Finding[] }
  | { readonly status: 'skipped'; readonly reason: ReasonCode; readonly message: string }
  | { readonly status: 'error'; readonly reason: ReasonCode; readonly message: string; readonly exchanges: readonly number[] }
  /** Could not check: the exchanges got no usable answer (see `unanswered` in support.ts). */
  | { readonly status: 'unanswered'; readonly message: string; readonly exchanges: readonly number[] };

export interface CheckContext {
  readonly target: Target;
  readonly schemas: SchemaSet;
}

export type Check = (recording: Recording, ctx: CheckContext) => Outcome;

/**
 * A rule whose result this rule's input rests on (SPEC §7 "one cause, one finding"). When that
 * rule fails (and `when`, if given, says the failure makes this rule's input unusable), this
 * rule is not judged: evaluation skips it with reason `blocked` and `blocked_by` naming it.
 */
export interface Dependency {
  /** The id of the rule depended on (checked when the registry loads; no cycles). */
  readonly rule: string;
  /** What this rule needs from it, for the message: "a list in the profile's shape". */
  readonly needs: string;
  /** Whether the failure touches what this rule reads; default: any failure does. */
  readonly when?: (recording: Recording, ctx: CheckContext) => boolean;
}

/** The behaviour half of a rule: which probes it reads and how it judges them. */
export interface RuleBehaviour {
  /** Rules whose failure leaves this rule nothing usable to judge (see Dependency). */
  readonly dependsOn?: readonly Dependency[];
  /**
   * A refused or reset connection is itself what this rule judges (security.https-only), so an
   * exchange without a response counts as evidence for it. For every other rule it does not.
   */
  readonly judgesRefusals?: boolean;
  /** Probes whose exchanges and outputs the check reads (they run before it). */
  readonly probes: readonly ProbeDef[];
  /** Run-wide rules judge every API exchange of the run, not only their own probes. */
  readonly runWide?: boolean;
  readonly check: Check;
}

/** A check bound to its rule id (see defineRule); the registry joins it with the catalogue. */
export interface RuleCheck extends RuleBehaviour {
  readonly id: string;
}
