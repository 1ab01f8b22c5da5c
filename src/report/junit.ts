/**
 * junit.xml from the summary: one testcase per rule per target, so skipped and unselected
 * rules show too. Failures carry message and evidence; skips and waivers carry their reason.
 */
import { couldNotJudge } from './text.ts';
import type { Summary } from '../spec/summary.ts';

const esc = (s: string): string =>
  s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

export function toJunit(summary: Summary): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = summary.targets.flatMap((t) => t.rules);
  const count = (s: string): number => all.filter((r) => r.status === s).length;
  out.push(
    `<testsuites name="api conformance" tests="${all.length}" failures="${count('failed')}" errors="${count('error')}" skipped="${count('skipped') + count('waived')}" time="${(summary.duration_ms / 1000).toFixed(3)}">`,
  );
  for (const t of summary.targets) {
    out.push(
      `  <testsuite name="${esc(t.name)}" tests="${t.rules.length}" failures="${t.counts.failed}" errors="${t.counts.error}" skipped="${t.counts.skipped + t.counts.waived}" timestamp="${summary.started_at}">`,
    );
    out.push(
      `    <properties><property name="base_url" value="${esc(t.base_url)}"/><property name="profile" value="${esc(t.profile)}"/><property name="verdict" value="${summary.verdict}"/></properties>`,
    );
    for (const r of t.rules) {
      const open = `    <testcase classname="${esc(`${t.name}.${r.area}`)}" name="${esc(r.id)}" time="0">`;
      const evidence = r.evidence
        .map(
          (e) =>
            `${e.purpose}\n${e.request.method} ${e.request.url}\n→ ${e.response ? e.response.status : e.error}\n${e.response?.body.slice(0, 1000) ?? ''}\nreproduce: ${e.curl}`,
        )
        .join('\n\n');
      const findings = (r.findings ?? []).map((f) => `- ${f.message}${f.count ? ` (×${f.count})` : ''}`).join('\n');
      const text = esc(`[${r.severity}] ${r.expectation}\n${findings}\n\n${evidence}`);
      if (r.status === 'failed')
        out.push(`${open}<failure message="${esc(`[${r.severity}] ${r.message}`)}" type="${r.severity}">${text}</failure></testcase>`);
      else if (r.status === 'error')
        out.push(`${open}<error message="${esc(couldNotJudge(r.message))}" type="${r.reason ?? 'error'}">${text}</error></testcase>`);
      else if (r.status === 'waived' && r.waiver) {
        const w = r.waiver;
        out.push(
          `${open}<skipped message="${esc(`waived until ${w.expires} by ${w.owner}: ${w.reason} (was ${w.was.status}: ${r.message})`)}">${esc(`waiver ${w.source}\n${text}`)}</skipped></testcase>`,
        );
      } else if (r.status === 'skipped' || r.status === 'waived')
        out.push(`${open}<skipped message="${esc(`${r.reason}: ${r.message}`)}"/></testcase>`);
      else out.push(`${open}</testcase>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}
