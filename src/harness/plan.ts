/**
 * What a run would send, without sending anything (`run --dry-run`, SPEC §2): the probes the
 * selected rules need (the same `planProbes` a run uses), each probe's static estimate per
 * credential, grouped by the budget (origin or base URL, and credential) the pacer would
 * charge them to — so the plan and the pacing agree by construction.
 */
import type { Target } from '../config/target.ts';
import { pacingKey } from '../http/budget.ts';
import type { Credential } from '../http/exchange.ts';
import type { Budget } from '../http/pacer.ts';
import type { ProbeDef } from '../probes/types.ts';
import type { Rule } from '../rules/registry.ts';
import { planProbes } from './recording.ts';

export interface Requests {
  readonly expected: number;
  readonly max: number;
}

export interface ProbePlan extends Requests {
  readonly probe: string;
  readonly credential: Credential;
}

export interface BudgetPlan extends Requests {
  /** Pacing key (shared across targets when origin or base URL and credential agree). */
  readonly key: string;
  readonly label: string;
  readonly budget: Budget;
  readonly probes: readonly ProbePlan[];
}

export interface BurstPlan {
  readonly label: string;
  readonly key: string;
  readonly budget: Budget;
  readonly max: number;
}

export interface TargetPlan {
  readonly target: Target;
  readonly probes: readonly string[];
  readonly budgets: readonly BudgetPlan[];
  readonly burst?: BurstPlan;
}

export interface SharedBudget extends Requests {
  readonly label: string;
  readonly budget: Budget;
  readonly targets: readonly string[];
}

export interface RunPlan {
  readonly targets: readonly TargetPlan[];
  /** Budgets several targets draw on together (same scope and credential). */
  readonly shared: readonly SharedBudget[];
}

const asRequests = (v: number | Requests): Requests => (typeof v === 'number' ? { expected: v, max: v } : v);

function estimateOf(probe: ProbeDef, target: Target): ProbePlan[] {
  return Object.entries(probe.estimate(target)).map(([credential, v]) => ({
    probe: probe.name,
    credential: credential as Credential,
    ...asRequests(v!),
  }));
}

export function planTarget(target: Target, rules: readonly Rule[]): TargetPlan {
  const probes = planProbes(target, rules);
  const url = new URL(target.baseUrl);
  const budgets = new Map<string, { label: string; budget: Budget; probes: ProbePlan[] }>();
  const add = (p: ProbePlan): void => {
    const k = pacingKey(target, p.credential, url);
    const entry = budgets.get(k.key) ?? { label: k.label, budget: k.budget, probes: [] };
    entry.probes.push(p);
    budgets.set(k.key, entry);
  };
  // The reachability check every run starts with.
  add({ probe: 'reachability', credential: 'none', expected: 1, max: 1 });
  let burst: BurstPlan | undefined;
  for (const probe of probes) {
    for (const p of estimateOf(probe, target)) {
      if (probe.phase === 'final') {
        const k = pacingKey(target, p.credential, url);
        burst = { label: k.label, key: k.key, budget: k.budget, max: p.max };
      } else add(p);
    }
  }
  return {
    target,
    probes: ['reachability', ...probes.map((p) => p.name)],
    budgets: [...budgets].map(([key, b]) => ({
      key,
      ...b,
      expected: b.probes.reduce((n, p) => n + p.expected, 0),
      max: b.probes.reduce((n, p) => n + p.max, 0),
    })),
    ...(burst ? { burst } : {}),
  };
}

export function planRun(targets: readonly Target[], rulesFor: (t: Target) => readonly Rule[]): RunPlan {
  const plans = targets.map((t) => planTarget(t, rulesFor(t)));
  const byKey = new Map<string, { label: string; budget: Budget; targets: string[]; expected: number; max: number }>();
  for (const plan of plans) {
    for (const b of plan.budgets) {
      const entry = byKey.get(b.key) ?? { label: b.label, budget: b.budget, targets: [], expected: 0, max: 0 };
      entry.targets.push(plan.target.name);
      entry.expected += b.expected;
      entry.max += b.max;
      // Targets may declare different budgets for one key: the smallest one binds.
      if (b.budget.limit / b.budget.windowS < entry.budget.limit / entry.budget.windowS) entry.budget = b.budget;
      byKey.set(b.key, entry);
    }
  }
  return { targets: plans, shared: [...byKey.values()].filter((s) => s.targets.length > 1) };
}

/** Seconds of pacing `requests` need at least under `budget` (the first window's worth goes at once). */
export function pacingSeconds(requests: number, budget: Budget): number {
  if (requests <= budget.limit) return 0;
  return Math.ceil((requests - budget.limit) / budget.limit) * budget.windowS;
}
