/**
 * The release gate (SPEC §2): policy over a summary and its waivers. Decides ready / not
 * ready / incomplete and why, and the exit code; report/gate-view.ts presents the decision.
 */
import type { Summary, SummaryRule, TargetSummary, Verdict, WaiverProblem } from '../spec/summary.ts';
import { applyWaivers } from './apply-waivers.ts';
import { verdictOf } from './verdict.ts';
import type { WaiverSet } from './waivers.ts';

export interface GateItem {
  readonly target: string;
  readonly rule: SummaryRule;
}

export interface TargetGate {
  readonly name: string;
  readonly profile: string;
  readonly base_url: string;
  readonly verdict: Verdict;
  readonly must: {
    readonly passed: number;
    readonly failed: number;
    readonly error: number;
    readonly waived: number;
    readonly notJudged: number;
  };
  readonly shouldFailed: number;
}

export interface GateDecision {
  readonly verdict: Verdict;
  /** 0 ready (or incomplete with allowIncomplete), 1 not ready or incomplete. */
  readonly exitCode: 0 | 1;
  readonly allowIncomplete: boolean;
  /** The summary with the waivers applied. */
  readonly summary: Summary;
  readonly targets: readonly TargetGate[];
  /** `must` rules that failed or could not be judged: they make the verdict not-ready. */
  readonly blocking: readonly GateItem[];
  /** `must` rules skipped for a missing prerequisite or not selected: they make it incomplete. */
  readonly notJudged: readonly GateItem[];
  readonly waived: readonly GateItem[];
  /** `should` rules that failed or errored: reported, never blocking. */
  readonly warnings: readonly GateItem[];
  readonly waiverProblems: readonly WaiverProblem[];
}

const isBad = (r: SummaryRule): boolean => r.status === 'failed' || r.status === 'error';
const isNotJudged = (r: SummaryRule): boolean =>
  r.status === 'skipped' && (r.reason === 'missing-prerequisite' || r.reason === 'not-selected');

export function decideGate(input: Summary, waivers: WaiverSet | undefined, options: { allowIncomplete?: boolean } = {}): GateDecision {
  const summary = waivers ? applyWaivers(input, waivers) : input;
  const all = (pick: (r: SummaryRule) => boolean): GateItem[] =>
    summary.targets.flatMap((t) => t.rules.filter(pick).map((rule) => ({ target: t.name, rule })));
  const verdict = verdictOf(summary.targets.flatMap((t) => t.rules));
  const allowIncomplete = options.allowIncomplete ?? false;
  return {
    verdict,
    exitCode: verdict === 'ready' || (verdict === 'incomplete' && allowIncomplete) ? 0 : 1,
    allowIncomplete,
    summary,
    targets: summary.targets.map(targetGate),
    blocking: all((r) => r.severity === 'must' && isBad(r)),
    notJudged: all((r) => r.severity === 'must' && isNotJudged(r)),
    waived: all((r) => r.status === 'waived'),
    warnings: all((r) => r.severity === 'should' && isBad(r)),
    waiverProblems: summary.waivers?.problems ?? [],
  };
}

function targetGate(t: TargetSummary): TargetGate {
  const must = t.rules.filter((r) => r.severity === 'must');
  const n = (pick: (r: SummaryRule) => boolean): number => must.filter(pick).length;
  return {
    name: t.name,
    profile: t.profile,
    base_url: t.base_url,
    verdict: verdictOf(t.rules),
    must: {
      passed: n((r) => r.status === 'passed'),
      failed: n((r) => r.status === 'failed'),
      error: n((r) => r.status === 'error'),
      waived: n((r) => r.status === 'waived'),
      notJudged: n(isNotJudged),
    },
    shouldFailed: t.rules.filter((r) => r.severity === 'should' && isBad(r)).length,
  };
}
