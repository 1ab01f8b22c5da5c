/**
 * What checks read and return. Checks are pure: they read a Recording (what the probes saw)
 * and return an Outcome; they never do I/O.
 */
import type { Target } from '../config/target.ts';
import type { ProbeDef, Recording } from '../probes/types.ts';
import type { SchemaSet } from '../spec/schemas.ts';
import type { ReasonCode } from '../spec/vocabulary.ts';

export type { Recording };

/** One concrete thing a check found wrong, pointing at the exchanges that show it. */
export interface Finding {
  readonly message: string;
  /** Exchange ids (see Exchange.id) that show the finding. */
  readonly exchanges: readonly number[];
  /** JSON path or header name the finding is about, when there is one. */
  readonly at?: string;
  readonly expected?: string;
  readonly received?: string;
  /** How many times the same finding repeated (collapsed). */
  readonly count?: number;
}

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

/** The behaviour half of a rule: which probes it reads and how it judges them. */
export interface RuleBehaviour {
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
