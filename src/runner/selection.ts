/**
 * Which rules of a target this run selected (--grep, --grep-invert, tags), computed the way
 * Playwright matches titles, so probes are made only for rules that will be judged.
 */
import type { FullConfig, FullProject } from '@playwright/test';
/** What selection reads of a rule: a catalogue entry will do, so the runner need not load the checks. */
type Selectable = { readonly id: string; readonly area: string };

type Grep = RegExp | RegExp[] | undefined;

function matches(grep: Grep, title: string): boolean {
  if (!grep) return true;
  const list = Array.isArray(grep) ? grep : [grep];
  return list.some((re) => {
    re.lastIndex = 0;
    return re.test(title);
  });
}

/**
 * The title a rule is matched by, shaped like what Playwright's --grep matches for a test
 * (project, test file, titles, tags): the target's one test carries `@<area>` and `@<rule id>`.
 */
export function ruleTitle(project: string, rule: Selectable): string {
  return `${project} suites/conformance.spec.ts ${rule.area} ${rule.id} @${rule.area} @${rule.id}`;
}

/** The runner's --grep / --grep-invert, as environment for the workers. */
export function grepFromArgv(argv: readonly string[]): Record<string, string> {
  const env: Record<string, string> = { CONFORMANCE_GREP: '', CONFORMANCE_GREP_INVERT: '' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const m = /^(--grep|-g|--grep-invert|-G)(?:=(.*))?$/.exec(arg);
    if (!m) continue;
    const value = m[2] ?? argv[++i] ?? '';
    env[m[1] === '--grep' || m[1] === '-g' ? 'CONFORMANCE_GREP' : 'CONFORMANCE_GREP_INVERT'] = value;
  }
  return env;
}

function fromEnv(name: string): RegExp | undefined {
  const value = process.env[name];
  return value ? new RegExp(value) : undefined;
}

/**
 * Whether the run's --grep-invert excludes a rule, decided where the test is declared (no
 * project is known there): such rules are left out of the test's tags, so that Playwright's own
 * --grep-invert does not drop the target's one test for the rules that remain.
 */
export function invertedAtDeclaration(rule: Selectable): boolean {
  const invert = fromEnv('CONFORMANCE_GREP_INVERT');
  return !!invert && matches(invert, ruleTitle('', rule).trimStart());
}

export function selectedRules<R extends Selectable>(rules: readonly R[], config: FullConfig, project: FullProject): R[] {
  const grep = (fromEnv('CONFORMANCE_GREP') ?? config.grep) as Grep;
  const grepInvert = (fromEnv('CONFORMANCE_GREP_INVERT') ?? config.grepInvert ?? undefined) as Grep;
  return rules.filter((rule) => {
    const title = ruleTitle(project.name, rule);
    if (!matches(grep, title) || !matches(project.grep as Grep, title)) return false;
    if (grepInvert && matches(grepInvert, title)) return false;
    if (project.grepInvert && matches(project.grepInvert as Grep, title)) return false;
    return true;
  });
}
