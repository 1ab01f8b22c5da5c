/** Presentation of a gate decision: a terminal table read at a glance, Markdown for CI, JSON. */
import type { GateDecision, GateItem } from '../policy/gate.ts';
import { formatWaiverProblem } from '../policy/waivers.ts';
import type { Verdict } from '../spec/summary.ts';
import { couldNotJudge, mdCell, mdTable, PLAIN, table, truncate, type Style } from './text.ts';

const LABEL: Record<Verdict, string> = { ready: 'READY', 'not-ready': 'NOT READY', incomplete: 'INCOMPLETE' };
const ICON: Record<Verdict, string> = { ready: '✅', 'not-ready': '❌', incomplete: '⚠️' };

export interface GateViewContext {
  /** The summary file the decision was made from, as the user named it. */
  readonly summaryFile: string;
  /** Where the HTML report is, when known. */
  readonly reportFile?: string;
}

function paint(style: Style, verdict: Verdict, s: string): string {
  return verdict === 'ready' ? style.green(s) : verdict === 'not-ready' ? style.red(s) : style.yellow(s);
}

function detail(item: GateItem): string {
  const r = item.rule;
  if (r.status === 'skipped') return `${r.reason}: ${r.message}`;
  if (r.status === 'error') return couldNotJudge(r.message);
  return r.message;
}

/** The same rule skipped for the same reason on several targets, once. */
function groupByRule(items: readonly GateItem[]): { id: string; detail: string; targets: string[] }[] {
  const groups = new Map<string, { id: string; detail: string; targets: string[] }>();
  for (const i of items) {
    const key = `${i.rule.id}\u0000${detail(i)}`;
    const g = groups.get(key) ?? { id: i.rule.id, detail: detail(i), targets: [] };
    g.targets.push(i.target);
    groups.set(key, g);
  }
  return [...groups.values()];
}

export function gateText(d: GateDecision, ctx: GateViewContext, style: Style = PLAIN, width = 120): string {
  const s = d.summary;
  const out: string[] = [];
  out.push(`${style.bold('Release gate:')} ${style.bold(paint(style, d.verdict, LABEL[d.verdict]))} — ${verdictReason(d)}`);
  out.push(
    style.dim(`summary ${ctx.summaryFile} · run started ${s.started_at} · harness ${s.harness_version} · catalogue ${s.catalogue_version}`),
  );
  if (s.waivers) {
    const ignored = d.waiverProblems.filter((p) => p.level === 'error').length;
    out.push(style.dim(`waivers ${s.waivers.file ?? '(none)'} · ${s.waivers.applied} applied${ignored ? ` · ${ignored} ignored` : ''}`));
  }
  out.push('');
  const num = (n: number, paintIt: (x: string) => string): string => (n ? paintIt(String(n)) : '0');
  out.push(
    table(
      ['target', 'profile', 'must passed', 'must failed', 'must error', 'waived', 'not judged', 'should failed', 'verdict'],
      d.targets.map((t) => [
        t.name,
        t.profile,
        String(t.must.passed),
        num(t.must.failed, style.red),
        num(t.must.error, style.magenta),
        String(t.must.waived),
        num(t.must.notJudged, style.yellow),
        String(t.shouldFailed),
        paint(style, t.verdict, t.verdict),
      ]),
      style,
    ),
  );
  const idWidth = Math.max(0, ...[...d.blocking, ...d.notJudged, ...d.waived].map((i) => i.rule.id.length));
  const targetWidth = Math.max(0, ...[...d.blocking, ...d.waived].map((i) => i.target.length));
  const line = (mark: string, item: GateItem, text: string): string =>
    `  ${mark} ${item.target.padEnd(targetWidth)}  ${item.rule.id.padEnd(idWidth)}  ${truncate(text, Math.max(40, width - idWidth - targetWidth - 8))}`;
  if (d.blocking.length) {
    out.push('', style.bold(style.red(`Blocking — must rules that failed or could not be judged (${d.blocking.length}):`)));
    for (const b of d.blocking) out.push(line(b.rule.status === 'failed' ? style.red('✗') : style.magenta('!'), b, detail(b)));
  }
  if (d.notJudged.length) {
    out.push(
      '',
      style.bold(style.yellow(`Not judged — must rules skipped for a missing prerequisite or not selected (${d.notJudged.length}):`)),
    );
    for (const g of groupByRule(d.notJudged)) {
      out.push(`  ${style.yellow('?')} ${g.id.padEnd(idWidth)}  ${truncate(g.detail, Math.max(40, width - idWidth - 6))}`);
      out.push(style.dim(`    ${truncate(`on ${g.targets.join(', ')}`, width - 4)}`));
    }
  }
  if (d.waived.length) {
    out.push('', style.bold(`Waived (${d.waived.length}):`));
    for (const w of d.waived) {
      const wv = w.rule.waiver!;
      out.push(line('~', w, `was ${wv.was.status}; waived by ${wv.owner} until ${wv.expires}`));
      out.push(style.dim(`    ${truncate(`${wv.reason} (${wv.source})`, width - 4)}`));
    }
  }
  if (d.waiverProblems.length) {
    out.push('', style.bold('Waiver problems:'));
    for (const p of d.waiverProblems)
      out.push(`  ${(p.level === 'error' ? style.red : style.yellow)(formatWaiverProblem(p).replace(/\n/g, '\n    '))}`);
  }
  if (d.warnings.length) {
    out.push(
      '',
      style.dim(
        `${d.warnings.length} should rule(s) failed (reported, not blocking): ${truncate(d.warnings.map((w) => `${w.rule.id}@${w.target}`).join(', '), width - 50)}`,
      ),
    );
  }
  if (ctx.reportFile) out.push(style.dim(`evidence for every failure: ${ctx.reportFile}`));
  const exitNote = d.exitCode === 0 ? 'exit 0' : 'exit 1';
  out.push(
    '',
    `${paint(style, d.verdict, `${ICON[d.verdict]} ${LABEL[d.verdict]}`)} ${style.dim(`(${exitNote}${d.verdict === 'incomplete' && !d.allowIncomplete ? '; --allow-incomplete accepts an incomplete run' : ''})`)}`,
  );
  return out.join('\n') + '\n';
}

export function gateMarkdown(d: GateDecision, ctx: GateViewContext): string {
  const s = d.summary;
  const out: string[] = [];
  out.push(`## ${ICON[d.verdict]} Release gate: ${LABEL[d.verdict].toLowerCase()}`, '');
  out.push(verdictReason(d), '');
  out.push(
    `<sub>summary \`${mdCell(ctx.summaryFile)}\` · run started ${s.started_at} · harness ${mdCell(s.harness_version)} · catalogue ${mdCell(s.catalogue_version)}${s.waivers ? ` · waivers \`${mdCell(s.waivers.file ?? 'none')}\` (${s.waivers.applied} applied)` : ''}</sub>`,
    '',
  );
  out.push(
    mdTable(
      ['target', 'profile', 'must passed', 'must failed', 'must error', 'waived', 'not judged', 'should failed', 'verdict'],
      d.targets.map((t) => [
        `\`${mdCell(t.name)}\``,
        t.profile,
        String(t.must.passed),
        String(t.must.failed),
        String(t.must.error),
        String(t.must.waived),
        String(t.must.notJudged),
        String(t.shouldFailed),
        `${ICON[t.verdict]} ${t.verdict}`,
      ]),
    ),
  );
  const rows = (items: readonly GateItem[], text: (i: GateItem) => string): string[][] =>
    items.map((i) => [`\`${mdCell(i.target)}\``, `\`${i.rule.id}\``, i.rule.status, mdCell(truncate(text(i), 300))]);
  if (d.blocking.length) {
    out.push('', `### Blocking (${d.blocking.length})`, '', mdTable(['target', 'rule', 'status', 'why'], rows(d.blocking, detail)));
  }
  if (d.notJudged.length) {
    out.push(
      '',
      `### Not judged (${d.notJudged.length})`,
      '',
      mdTable(
        ['rule', 'why', 'targets'],
        groupByRule(d.notJudged).map((g) => [
          `\`${g.id}\``,
          mdCell(truncate(g.detail, 200)),
          g.targets.map((t) => `\`${mdCell(t)}\``).join(', '),
        ]),
      ),
    );
  }
  if (d.waived.length) {
    out.push(
      '',
      `### Waived (${d.waived.length})`,
      '',
      mdTable(
        ['target', 'rule', 'was', 'owner', 'expires', 'reason'],
        d.waived.map((w) => [
          `\`${mdCell(w.target)}\``,
          `\`${w.rule.id}\``,
          w.rule.waiver!.was.status,
          mdCell(w.rule.waiver!.owner),
          w.rule.waiver!.expires,
          mdCell(truncate(w.rule.waiver!.reason, 200)),
        ]),
      ),
    );
  }
  if (d.waiverProblems.length) {
    out.push('', `### Waiver problems (${d.waiverProblems.length})`, '');
    for (const p of d.waiverProblems)
      out.push(
        `- ${p.level === 'error' ? '**ignored**' : 'note'} \`${mdCell(`${p.file}:${p.line}:${p.column}`)}\`: ${mdCell(p.message)}${p.fix ? ` — ${mdCell(p.fix)}` : ''}`,
      );
  }
  if (d.warnings.length) {
    out.push(
      '',
      `<details><summary>${d.warnings.length} should rule(s) failed (not blocking)</summary>`,
      '',
      mdTable(['target', 'rule', 'status', 'why'], rows(d.warnings, detail)),
      '',
      '</details>',
    );
  }
  return out.join('\n') + '\n';
}

export function gateJson(d: GateDecision, ctx: GateViewContext): string {
  const item = (i: GateItem): object => ({
    target: i.target,
    rule: i.rule.id,
    severity: i.rule.severity,
    status: i.rule.status,
    ...(i.rule.reason ? { reason: i.rule.reason } : {}),
    message: i.rule.message,
    ...(i.rule.waiver ? { waiver: i.rule.waiver } : {}),
  });
  return (
    JSON.stringify(
      {
        verdict: d.verdict,
        exit_code: d.exitCode,
        reason: verdictReason(d),
        summary: ctx.summaryFile,
        targets: d.targets,
        blocking: d.blocking.map(item),
        not_judged: d.notJudged.map(item),
        waived: d.waived.map(item),
        should_failed: d.warnings.map(item),
        waiver_problems: d.waiverProblems,
      },
      null,
      2,
    ) + '\n'
  );
}

/** One sentence (in every view of the gate, and in index.html) saying why the verdict is what it is. */
export function verdictReason(d: GateDecision): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (d.verdict === 'not-ready') {
    const failed = d.blocking.filter((b) => b.rule.status === 'failed').length;
    const errored = d.blocking.length - failed;
    return (
      [failed ? `${plural(failed, 'must rule')} failed` : '', errored ? `${plural(errored, 'must rule')} could not be judged` : '']
        .filter(Boolean)
        .join(' and ') + '.'
    );
  }
  if (d.verdict === 'incomplete') {
    return `${plural(d.notJudged.length, 'must rule')} ${d.notJudged.length === 1 ? 'was' : 'were'} not judged (missing prerequisite or not selected)${d.allowIncomplete ? '; allowed by --allow-incomplete' : ''}.`;
  }
  const waived = d.waived.filter((w) => w.rule.severity === 'must').length;
  return `no must rule failed or went unjudged${waived ? ` (${plural(waived, 'must rule')} waived)` : ''}.`;
}
