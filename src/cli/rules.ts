import { GUIDELINE_DOCS } from '../spec/catalogue.ts';
import { RULES } from '../rules/registry.ts';
import type { Profile } from '../spec/vocabulary.ts';
import { parseArgs, UsageError } from './args.ts';

/** `conformance rules`: the catalogue as a table, JSON or Markdown. */
export function rulesCommand(argv: readonly string[]): number {
  const args = parseArgs(argv);
  const profile = args.flags.get('profile')?.at(-1) as Profile | undefined;
  if (profile && !['platform', 'backend'].includes(profile)) throw new UsageError(`unknown profile "${profile}" (platform | backend)`);
  const format = args.flags.get('format')?.at(-1) ?? 'table';
  const rules = RULES.filter((r) => !profile || r.severity[profile] !== 'off');
  const rows = rules.map((r) => ({
    id: r.id,
    area: r.area,
    title: r.title,
    expectation: r.expectation,
    severity: r.severity,
    implemented: r.behaviour !== undefined,
    requires: r.requires,
    guideline: Object.fromEntries(
      Object.entries(r.guideline).map(([p, section]) => [p, { file: GUIDELINE_DOCS[p as Profile].file, section }]),
    ),
  }));
  if (format === 'json') {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else if (format === 'markdown') {
    const sev = (s: string): string => (s === 'off' ? '-' : s);
    process.stdout.write('| id | platform | backend | implemented | passes when |\n|---|---|---|---|---|\n');
    for (const r of rows)
      process.stdout.write(
        `| \`${r.id}\` | ${sev(r.severity.platform)} | ${sev(r.severity.backend)} | ${r.implemented ? 'yes' : 'not yet'} | ${r.expectation.replace(/\|/g, '\\|')} |\n`,
      );
  } else if (format === 'table') {
    const width = Math.max(...rows.map((r) => r.id.length));
    process.stdout.write(`${'id'.padEnd(width)}  platform  backend  impl  title\n`);
    for (const r of rows) {
      process.stdout.write(
        `${r.id.padEnd(width)}  ${r.severity.platform.padEnd(8)}  ${r.severity.backend.padEnd(7)}  ${r.implemented ? 'yes ' : 'no  '}  ${r.title}\n`,
      );
    }
    process.stdout.write(`${rows.length} rules\n`);
  } else throw new UsageError(`unknown format "${format}" (table | json | markdown)`);
  return 0;
}
