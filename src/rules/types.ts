/**
 * What checks read and return. Checks are pure: they read a Recording (what the probes saw)
 * and return an Outcome; they never do I/O.
 */
import type { Exchange } from '../http/exchange.ts';
import type { DiscoveryReport, Target } from '../config/target.ts';
import type { SchemaSet } from '../spec/schemas.ts';
import type { ReasonCode } from '../spec/vocabulary.ts';

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
  | { readonly status: 'error'; readonly reason: ReasonCode; readonly message: string; readonly exchanges: readonly number[] };

/** Everything the probes of one target saw, as the checks read it. */
export interface Recording {
  readonly target: string;
  readonly exchanges: readonly Exchange[];
  /** Outputs of named probes (created ids, walk results...), JSON-serialisable. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Probes that threw: name → message. Rules reading them are `error`. */
  readonly probeErrors: Readonly<Record<string, string>>;
  /** Set when the reachability check failed: every rule is `error` with this message. */
  readonly unreachable?: { readonly message: string; readonly exchange?: number };
  /** Items the harness created and could not delete. */
  readonly leftovers: readonly string[];
  /** Resources derived from the OpenAPI document (targets that declare none). */
  readonly discovery?: DiscoveryReport;
}

export interface CheckContext {
  readonly target: Target;
  readonly schemas: SchemaSet;
}

export type Check = (recording: Recording, ctx: CheckContext) => Outcome;

/** The behaviour half of a rule: which probes it reads and how it judges them. */
export interface RuleBehaviour {
  /** Named probes whose exchanges and outputs the check reads (they run before it). */
  readonly probes: readonly string[];
  /** Run-wide rules judge every API exchange of the run, not only their own probes. */
  readonly runWide?: boolean;
  readonly check: Check;
}
