/**
 * Which rules of a target this run selected (--grep, --grep-invert, tags), computed the way
 * Playwright matches titles, so probes are made only for rules that will be judged.
 */
import type { FullConfig, FullProject } from '@playwright/test';
import type { Rule } from '../rules/registry.ts';

type Grep = RegExp | RegExp[] | undefined;

function matches(grep: Grep, title: string): boolean {
  if (!grep) return true;
  const list = Array.isArray(grep) ? grep : [grep];
  return list.some((re) => {
    re.lastIndex = 0;
    return re.test(title);
  });
}

export function ruleTitle(project: string, rule: Rule): string {
  return `${project} suites/${rule.area}.spec.ts ${rule.id} @${rule.area}`;
}

export function selectedRules(rules: readonly Rule[], config: FullConfig, project: FullProject): Rule[] {
  const grep = config.grep as Grep;
  const grepInvert = (config.grepInvert ?? undefined) as Grep;
  return rules.filter((rule) => {
    const title = ruleTitle(project.name, rule);
    if (!matches(grep, title) || !matches(project.grep as Grep, title)) return false;
    if (grepInvert && matches(grepInvert, title)) return false;
    if (project.grepInvert && matches(project.grepInvert as Grep, title)) return false;
    return true;
  });
}
