/**
 * `conformance run --dry-run` (SPEC §2): prints, per target and credential, the requests the
 * run would send and how they sit within the declared rate budgets; sends nothing, starts
 * nothing. Selection follows `--target` and, after `--`, Playwright's `--grep`/`--grep-invert`.
 */
import type { Target } from '../config/target.ts';
import { pacingSeconds, type BudgetPlan, type RunPlan } from '../harness/plan.ts';
import { ruleTitle } from '../runner/selection.ts';
import { longestPacingWaitS } from '../http/budget.ts';
import { RULES, type Rule } from '../rules/registry.ts';

function grepOf(rest: readonly string[], names: readonly string[]): RegExp | undefined {
  for (let i = 0; i < rest.length; i++) {
    for (const name of names) {
      if (rest[i] === name && rest[i + 1] !== undefined) return new RegExp(rest[i + 1]!);
      if (rest[i]!.startsWith(`${name}=`)) return new RegExp(rest[i]!.slice(name.length + 1));
    }
  }
  return undefined;
}

export function selectedFor(rest: readonly string[]): (t: Target) => Rule[] {
  const grep = grepOf(rest, ['--grep', '-g']);
  const invert = grepOf(rest, ['--grep-invert']);
  return (t) =>
    RULES.filter((r) => {
      const title = ruleTitle(t.name, r);
      return (!grep || grep.test(title)) && !invert?.test(title);
    });
}

const pct = (n: number, d: number): string => `${Math.round((100 * n) / d)}%`;
const range = (r: { expected: number; max: number }): string => (r.expected === r.max ? String(r.max) : `${r.expected}–${r.max}`);

function budgetLine(
  b: BudgetPlan | { label: string; budget: BudgetPlan['budget']; expected: number; max: number },
  longestWaitS: number,
): string {
  const { limit, windowS } = b.budget;
  const share = (n: number): string => pct(n, limit);
  const over = (n: number): string =>
    windowS > longestWaitS
      ? `requests past ${limit} in a window would wait up to ${windowS} s, longer than the harness waits (max_wait_s, at least a minute): they are not sent, and their rules report rate-limit-wait`
      : `needs ≥ ${pacingSeconds(n, b.budget)} s of pacing`;
  const fit =
    b.max <= limit
      ? `${share(b.expected)}${b.expected === b.max || share(b.expected) === share(b.max) ? '' : `–${share(b.max)}`} of one window`
      : b.expected <= limit
        ? `fits one window as expected; at most ${over(b.max)}`
        : `over ${limit} per ${windowS} s: ${over(b.expected)}`;
  return `  ${b.label.padEnd(52)} ${range(b).padStart(9)} requests   budget ${limit} per ${windowS} s   ${fit}`;
}

export function formatPlan(plan: RunPlan): string {
  const out: string[] = ['dry run: nothing was sent. Requests each target would send, by budget (scope and credential):', ''];
  for (const t of plan.targets) {
    const tg = t.target;
    out.push(
      `${tg.name}  ${tg.baseUrl}  (${tg.profile}, ${tg.mode}; budgets per ${tg.rateLimit.scope === 'base_url' ? 'base URL' : 'origin'} and credential)`,
    );
    for (const b of t.budgets) {
      out.push(budgetLine(b, longestPacingWaitS(tg)));
      out.push(`      ${b.probes.map((p) => `${p.probe} ${range(p)}`).join(', ')}`);
    }
    if (t.burst) {
      out.push(
        `  then the burst (ratelimit.429), after every other probe: up to ${t.burst.max} requests on ${t.burst.label}, unpaced on purpose, stopping at the first 429; later requests on that budget wait for its window`,
      );
    }
    out.push('');
  }
  if (plan.shared.length) {
    out.push('budgets several targets draw on together (paced together across workers):');
    const waitOf = (name: string): number => longestPacingWaitS(plan.targets.find((t) => t.target.name === name)!.target);
    for (const s of plan.shared) out.push(`${budgetLine(s, Math.min(...s.targets.map(waitOf)))}   ← ${s.targets.join(' + ')}`);
  } else {
    out.push('no budget is shared between targets.');
  }
  out.push('', 'counts are estimates from targets.yaml alone: a walk reads as many pages as the service has (at most page_cap).');
  return out.join('\n');
}
