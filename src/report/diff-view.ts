/** Presentation of a diff between two runs: terminal text, Markdown (CI step summaries), JSON. */
import type { RuleChange, SummaryDiff } from './diff.ts';
import { hasChanges } from './diff.ts';
import { mdCell, mdTable, PLAIN, table, truncate, type Style } from './text.ts';
import type { RuleStatus } from '../spec/vocabulary.ts';

export interface DiffViewContext {
  readonly oldFile: string;
  readonly newFile: string;
}

const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

export function diffHeadline(d: SummaryDiff): string {
  return [
    plural(d.regressions.length, 'regression'),
    plural(d.fixes.length, 'fix', 'fixes'),
    plural(d.newFailures.length, 'new failure'),
    plural(d.otherChanges.length, 'other change'),
    plural(d.newRules.length, 'new rule'),
    plural(d.removedRules.length, 'removed rule'),
    ...(d.newTargets.length ? [plural(d.newTargets.length, 'new target')] : []),
    ...(d.removedTargets.length ? [plural(d.removedTargets.length, 'removed target')] : []),
  ].join(' · ');
}

const transition = (c: RuleChange): string => `${c.from} → ${c.to}${c.waived ? ' (waived)' : ''}`;

function delta(oldN: number | undefined, newN: number | undefined): string {
  if (newN === undefined) return '—';
  if (oldN === undefined || oldN === newN) return String(newN);
  return `${newN} (${newN > oldN ? '+' : ''}${newN - oldN})`;
}

const STATUSES: readonly RuleStatus[] = ['passed', 'failed', 'error', 'waived', 'skipped'];

export function diffText(d: SummaryDiff, ctx: DiffViewContext, style: Style = PLAIN, width = 120): string {
  const out: string[] = [];
  out.push(`${style.bold('Conformance diff')} ${style.dim(`${ctx.oldFile} → ${ctx.newFile}`)}`);
  out.push(`  ${d.old.started_at} ${d.old.verdict}  →  ${d.new.started_at} ${style.bold(d.new.verdict)}`);
  if (d.old.catalogue_version !== d.new.catalogue_version)
    out.push(style.dim(`  catalogue ${d.old.catalogue_version} → ${d.new.catalogue_version}`));
  out.push(`  ${diffHeadline(d)}`);
  const all = [...d.regressions, ...d.fixes, ...d.newFailures, ...d.otherChanges];
  const tw = Math.max(0, ...all.map((c) => c.target.length));
  const iw = Math.max(0, ...all.map((c) => c.id.length));
  const line = (mark: string, c: RuleChange, withMessage: boolean): string => {
    const head = `  ${mark} ${c.target.padEnd(tw)}  ${c.id.padEnd(iw)}  ${c.severity.padEnd(6)}  ${transition(c)}`;
    return withMessage ? `${head}  ${style.dim(truncate(c.message, Math.max(30, width - head.length - 2)))}` : head;
  };
  const section = (title: string, list: readonly RuleChange[], mark: string, withMessage: boolean, paint: (s: string) => string): void => {
    if (!list.length) return;
    out.push('', style.bold(paint(`${title} (${list.length}):`)));
    for (const c of list) out.push(line(paint(mark), c, withMessage));
  };
  section('Regressions — passed before, failing now', d.regressions, '✗', true, style.red);
  section('New failures — not judged before, failing now', d.newFailures, '✗', true, style.yellow);
  section('Fixes — failing before, passing now', d.fixes, '✓', false, style.green);
  section('Other changes', d.otherChanges, '·', true, (s) => s);
  if (d.newRules.length) out.push('', style.bold(`New rules (${d.newRules.length}):`), `  ${d.newRules.join(', ')}`);
  if (d.removedRules.length) out.push('', style.bold(`Removed rules (${d.removedRules.length}):`), `  ${d.removedRules.join(', ')}`);
  if (d.newTargets.length) out.push('', style.bold('New targets:'), `  ${d.newTargets.join(', ')}`);
  if (d.removedTargets.length) out.push('', style.bold('Removed targets:'), `  ${d.removedTargets.join(', ')}`);
  out.push(
    '',
    table(
      ['target', ...STATUSES],
      d.counts.map((c) => [c.target, ...STATUSES.map((s) => delta(c.old?.[s], c.new?.[s]))]),
      style,
    ),
  );
  if (!hasChanges(d)) out.push('', style.green('No rule changed status.'));
  return out.join('\n') + '\n';
}

export function diffMarkdown(d: SummaryDiff, ctx: DiffViewContext): string {
  const out: string[] = [];
  const icon = d.regressions.length ? '🔻' : d.fixes.length ? '🔺' : '⏸️';
  out.push(`## ${icon} Conformance changes since ${d.old.started_at}`, '');
  out.push(`${diffHeadline(d)}`, '');
  out.push(`<sub>\`${mdCell(ctx.oldFile)}\` (${d.old.verdict}) → \`${mdCell(ctx.newFile)}\` (${d.new.verdict})</sub>`);
  const rows = (list: readonly RuleChange[]): string[][] =>
    list.map((c) => [`\`${mdCell(c.target)}\``, `\`${c.id}\``, c.severity, transition(c), mdCell(truncate(c.message, 240))]);
  const section = (title: string, list: readonly RuleChange[]): void => {
    if (list.length)
      out.push('', `### ${title} (${list.length})`, '', mdTable(['target', 'rule', 'severity', 'change', 'message'], rows(list)));
  };
  section('Regressions', d.regressions);
  section('New failures', d.newFailures);
  section('Fixes', d.fixes);
  if (d.otherChanges.length) {
    out.push(
      '',
      `<details><summary>Other changes (${d.otherChanges.length})</summary>`,
      '',
      mdTable(['target', 'rule', 'severity', 'change', 'message'], rows(d.otherChanges)),
      '',
      '</details>',
    );
  }
  const list = (title: string, items: readonly string[]): void => {
    if (items.length) out.push('', `**${title}:** ${items.map((i) => `\`${mdCell(i)}\``).join(', ')}`);
  };
  list('New rules', d.newRules);
  list('Removed rules', d.removedRules);
  list('New targets', d.newTargets);
  list('Removed targets', d.removedTargets);
  out.push(
    '',
    mdTable(
      ['target', ...STATUSES],
      d.counts.map((c) => [`\`${mdCell(c.target)}\``, ...STATUSES.map((s) => delta(c.old?.[s], c.new?.[s]))]),
    ),
  );
  return out.join('\n') + '\n';
}

export function diffJson(d: SummaryDiff, ctx: DiffViewContext, exitCode: number): string {
  return (
    JSON.stringify(
      {
        old_file: ctx.oldFile,
        new_file: ctx.newFile,
        exit_code: exitCode,
        old: d.old,
        new: d.new,
        regressions: d.regressions,
        fixes: d.fixes,
        new_failures: d.newFailures,
        other_changes: d.otherChanges,
        new_rules: d.newRules,
        removed_rules: d.removedRules,
        new_targets: d.newTargets,
        removed_targets: d.removedTargets,
        counts: d.counts,
      },
      null,
      2,
    ) + '\n'
  );
}
