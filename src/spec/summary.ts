/**
 * The shape of summary.json (SPEC §5, schemas/summary.schema.json) as types: what the harness
 * writes, what policy rewrites (waivers, verdict) and what gate, diff and history read back.
 * Types only, so every layer that handles a summary can import it without importing reports.
 */
import type { ReasonCode, RuleStatus, Severity } from './vocabulary.ts';

export const SUMMARY_SCHEMA_VERSION = 1;

/** The release verdict (SPEC §5). */
export type Verdict = 'ready' | 'not-ready' | 'incomplete';

/** Where something was written: file:line:column (1-based). */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** One finding of a failed rule: what a check returns (rules' Finding) and what summary.json reports. */
export interface ReportedFinding {
  readonly message: string;
  /** Exchange ids (see Exchange.id) that show the finding. */
  readonly exchanges: readonly number[];
  /** JSON path or header name the finding is about, when there is one. */
  readonly at?: string;
  readonly expected?: string;
  readonly received?: string;
  /** How many times the same finding repeated (collapsed). */
  readonly count?: number;
  /**
   * The cause this finding is an instance of, named the same for each instance ("description is
   * null where the document says string"); evaluation derives it from the message when a check
   * names none (see finding_kinds).
   */
  readonly kind?: string;
}

/** How many findings of one kind (one cause) a rule had. */
export interface FindingKindCount {
  readonly kind: string;
  readonly count: number;
}

/** One exchange shown as evidence: redacted, bodies cut, with a curl to reproduce it. */
export interface EvidenceItem {
  readonly purpose: string;
  readonly request: { method: string; url: string; headers: Record<string, string>; body?: string };
  readonly response?: EvidenceResponse;
  readonly error?: string;
  readonly curl: string;
  readonly notes?: readonly string[];
  readonly duration_ms: number;
}

/** A response as evidence: its body cut for the report; `truncated` when the harness itself did not read it whole (SPEC §7). */
export interface EvidenceResponse {
  readonly status: number;
  readonly headers: Record<string, string | readonly string[]>;
  readonly body: string;
  /** Bytes of the body read from the wire. */
  readonly body_bytes: number;
  /** The harness kept only `kept_bytes` of the body (of `declared_bytes`, the Content-Length, when one was sent). */
  readonly truncated?: true;
  readonly kept_bytes?: number;
  readonly declared_bytes?: number;
  /** A body that is not text (compressed, binary), kept as its hash. */
  readonly sha256?: string;
  readonly content_encoding?: string;
}

/** A rule's result as judged for one target: the harness's RuleResult is this type. */
export interface ReportedRule {
  readonly id: string;
  readonly area: string;
  readonly title: string;
  readonly expectation: string;
  readonly severity: Severity;
  readonly status: RuleStatus;
  readonly message: string;
  readonly reason?: ReasonCode;
  /** With reason `blocked`: the id of the failed rule whose result this rule depends on. */
  readonly blocked_by?: string;
  readonly guideline?: { readonly document: string; readonly file: string; readonly section: string };
  /** At most 50 (SPEC §5), every kind represented. */
  readonly findings?: readonly ReportedFinding[];
  /** Every finding the check reported, including those not kept in `findings`. */
  readonly findings_total?: number;
  /** Findings per kind, most frequent first. */
  readonly finding_kinds?: readonly FindingKindCount[];
  readonly evidence: readonly EvidenceItem[];
}

/** What a waived rule carries, so that every output shows who accepted what, until when. */
export interface AppliedWaiver {
  readonly target: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
  readonly source: string;
  /** The status (and reason code) the rule had before it was waived. */
  readonly was: { readonly status: 'failed' | 'error'; readonly reason?: ReasonCode };
}

/**
 * `error`: the waiver does not count (malformed, unknown rule, expired).
 * `warning`: it counts (or harms nothing) but someone should look (unused, unknown target, expiring soon).
 */
export interface WaiverProblem extends SourcePosition {
  readonly level: 'error' | 'warning';
  readonly kind: 'malformed' | 'unknown-rule' | 'expired' | 'unused' | 'unknown-target' | 'expiring';
  readonly message: string;
  readonly fix?: string;
}

export interface WaiverReport {
  readonly file?: string;
  readonly applied: number;
  readonly problems: readonly WaiverProblem[];
}

/** A rule's result as reported: what the check found, plus the waiver that accepted it, if any. */
export interface SummaryRule extends ReportedRule {
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
  /** Generation settings of the inputs.* rules: the same seed sends the same cases again. */
  readonly inputs?: { readonly seed: number; readonly examples: number; readonly max_requests: number };
  readonly rules: readonly SummaryRule[];
}

export interface DiscoverySummary {
  readonly source: string;
  readonly problem?: string;
  readonly resources: readonly {
    name: string;
    collection: string;
    item: string;
    requires_auth: boolean;
    create_body?: string;
    update_body?: string;
    /** Always true: derived from the document, not declared in targets.yaml. */
    discovered: true;
    /** How ids made up to not exist are shaped: the path parameter's schema, or the service's ids. */
    made_up_ids: string;
  }[];
  /** Set when discovered resources are probed read-only (discovery.mutate is not true): why. */
  readonly read_only?: string;
  readonly uploads: readonly { path: string; resource?: string; field: string; max_bytes: number; allowed_types: readonly string[] }[];
  readonly streams: readonly { path: string; resource?: string }[];
  readonly not_probed: readonly { operation: string; reason: string }[];
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
