/** Rewrites README's rule table from the registry: `node --import tsx scripts/readme-rules.ts [--check]`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RULES } from '../src/rules/registry.ts';

const README = fileURLToPath(new URL('../README.md', import.meta.url));

export function rulesTable(): string {
  const sev = (s: string): string => (s === 'off' ? '–' : s);
  const implemented = RULES.filter((r) => r.behaviour).length;
  const lines = [
    implemented === RULES.length
      ? `${RULES.length} rules, all implemented.`
      : `${RULES.length} rules; ${implemented} implemented (the rest report \`skipped\` / \`not-implemented\`, never \`passed\`).`,
    '',
    '| id | platform | backend | implemented | passes when |',
    '|---|---|---|---|---|',
    ...RULES.map(
      (r) =>
        `| \`${r.id}\` | ${sev(r.severity.platform)} | ${sev(r.severity.backend)} | ${r.behaviour ? 'yes' : 'not yet'} | ${r.expectation.replace(/\|/g, '\\|')} |`,
    ),
  ];
  return lines.join('\n');
}

export function withTable(readme: string): string {
  return readme.replace(/<!-- rules:begin -->[\s\S]*<!-- rules:end -->/, `<!-- rules:begin -->\n${rulesTable()}\n<!-- rules:end -->`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const current = readFileSync(README, 'utf8');
  const next = withTable(current);
  if (process.argv.includes('--check')) {
    if (next !== current) {
      console.error('README rule table is stale: run node --import tsx scripts/readme-rules.ts');
      process.exit(1);
    }
  } else writeFileSync(README, next);
}
