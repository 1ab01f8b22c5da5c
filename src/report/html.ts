/**
 * reports/index.html: one self-contained page (inline CSS and JS, no network) that reads the
 * summary: verdict, a scorecard of targets × areas, every failure with its evidence and curl
 * line, and skipped rules grouped by reason. Presentation only: it decides nothing.
 */
import type { RuleResult } from '../harness/evaluate.ts';
import { AREAS } from '../rules/types.ts';
import type { Summary } from './summary.ts';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{padding:18px 28px;background:#fff;border-bottom:1px solid #dde1e7}
h1{font-size:20px;margin:0 0 6px} h2{font-size:16px;margin:28px 0 10px} main{padding:0 28px 40px}
.verdict{display:inline-block;padding:3px 10px;border-radius:12px;font-weight:600;color:#fff}
.v-ready{background:#1a7f37}.v-not-ready{background:#cf222e}.v-incomplete{background:#9a6700}
table{border-collapse:collapse;background:#fff;width:100%} th,td{border:1px solid #dde1e7;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600} td.num{text-align:center;white-space:nowrap}
.ok{background:#dafbe1}.bad{background:#ffebe9}.warn{background:#fff8c5}.none{color:#8c959f}
.rule{background:#fff;border:1px solid #dde1e7;border-left:4px solid #cf222e;border-radius:4px;margin:10px 0;padding:10px 14px}
.rule.should{border-left-color:#bf8700}.rule.error{border-left-color:#8250df}
.tls{color:#9a6700;font-size:12px;font-weight:600}
.rule h3{margin:0 0 4px;font-size:15px} .meta{color:#57606a;font-size:12px}
pre{background:#f6f8fa;border:1px solid #e4e7eb;padding:8px;overflow:auto;max-height:320px;font-size:12px;white-space:pre-wrap;word-break:break-all}
details{margin:6px 0} summary{cursor:pointer} .filters{margin:12px 0} .filters select{margin-right:8px}
button.copy{font-size:11px;margin-left:6px}`;

function cell(rules: readonly RuleResult[]): string {
  if (!rules.length) return '<td class="num none">—</td>';
  const n = (s: string, sev?: string): number => rules.filter((r) => r.status === s && (!sev || r.severity === sev)).length;
  const failedMust = n('failed', 'must') + n('error', 'must');
  const failedShould = n('failed', 'should') + n('error', 'should');
  const cls = failedMust ? 'bad' : failedShould ? 'warn' : n('passed') ? 'ok' : 'none';
  const parts = [`${n('passed')}✓`];
  if (failedMust) parts.push(`${failedMust}✗ must`);
  if (failedShould) parts.push(`${failedShould}✗ should`);
  if (n('waived')) parts.push(`${n('waived')} waived`);
  if (n('skipped')) parts.push(`${n('skipped')} skipped`);
  return `<td class="num ${cls}">${parts.join(' · ')}</td>`;
}

function evidenceHtml(r: RuleResult): string {
  return r.evidence.map((e, i) => {
    const headers = (h: Record<string, string | readonly string[]>): string => Object.entries(h).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : v.join(', ')}`).join('\n');
    return `<details${i === 0 ? ' open' : ''}><summary>${esc(e.request.method)} ${esc(e.request.url.slice(0, 140))} → ${e.response ? e.response.status : esc(e.error ?? 'no response')} <span class="meta">${esc(e.purpose)}</span></summary>
<pre>${esc(`${e.request.method} ${e.request.url}\n${headers(e.request.headers)}${e.request.body !== undefined ? `\n\n${e.request.body}` : ''}`)}</pre>
${e.response ? `<pre>${esc(`HTTP ${e.response.status} (${e.duration_ms} ms)\n${headers(e.response.headers)}\n\n${e.response.body}`)}</pre>` : ''}
${e.notes?.length ? `<div class="meta">${esc(e.notes.join('; '))}</div>` : ''}
<div class="meta">reproduce:<button class="copy" data-curl="${esc(e.curl)}">copy</button></div><pre class="curl">${esc(e.curl)}</pre></details>`;
  }).join('\n');
}

/** Targets whose resources came from their OpenAPI document: what was found and what was not probed. */
function discoveryHtml(summary: Summary): string {
  const parts = summary.targets.filter((t) => t.discovery).map((t) => {
    const d = t.discovery!;
    const found = [
      ...d.resources.map((r) => `resource ${r.name}: ${r.collection} and ${r.item}${r.requires_auth ? '' : ' (public)'}; create body: ${r.create_body ?? 'none'}${r.update_body ? `; update body: ${r.update_body}` : ''}`),
      ...d.uploads.map((u) => `upload ${u.path} (field ${u.field}, max ${u.max_bytes} bytes, ${u.allowed_types.join(', ') || 'any type'})`),
      ...d.streams.map((s) => `stream ${s.path}${s.resource ? ` (ids of ${s.resource})` : ''}`),
    ];
    return `<details open><summary>${esc(t.name)}: from ${esc(d.source)}${d.problem ? ` — ${esc(d.problem)}` : ''}</summary>
<pre>${esc(found.join('\n') || 'nothing discovered')}</pre>
${d.not_probed.length ? `<div class="meta">not probed (${d.not_probed.length}):</div><pre>${esc(d.not_probed.map((n) => `${n.operation}: ${n.reason}`).join('\n'))}</pre>` : ''}</details>`;
  });
  return parts.length ? `<h2>Discovered from OpenAPI documents</h2>${parts.join('\n')}` : '';
}

export function toHtml(summary: Summary, options: { playwrightReport?: string } = {}): string {
  const rows = summary.targets.map((t) => `<tr><th>${esc(t.name)}<div class="meta">${esc(t.profile)} · ${esc(t.base_url)} · ${t.requests.total} requests</div>${t.tls_verify === false ? '<div class="tls">⚠ tls_verify: false — the TLS certificate was not verified</div>' : ''}</th>${AREAS.map((a) => cell(t.rules.filter((r) => r.area === a))).join('')}</tr>`).join('\n');
  const problems = summary.targets.flatMap((t) => t.rules.filter((r) => r.status === 'failed' || r.status === 'error').map((r) => ({ t, r })));
  problems.sort((a, b) => (a.r.severity === b.r.severity ? 0 : a.r.severity === 'must' ? -1 : 1));
  const failures = problems.map(({ t, r }) => `<div class="rule ${r.status === 'error' ? 'error' : r.severity}" data-area="${r.area}" data-severity="${r.severity}" data-status="${r.status}">
<h3>${esc(r.id)} <span class="meta">[${r.severity}] ${r.status} · ${esc(t.name)}</span></h3>
<div>${esc(r.message)}</div>
<div class="meta">expected: ${esc(r.expectation)}${r.guideline ? ` · guideline: ${esc(r.guideline.document)} › ${esc(r.guideline.section)}` : ''}</div>
${r.findings?.length ? `<ul>${r.findings.slice(0, 20).map((f) => `<li>${esc(f.message)}${f.count ? ` <b>×${f.count}</b>` : ''}${f.received ? ` <span class="meta">received: ${esc(f.received.slice(0, 200))}</span>` : ''}</li>`).join('')}</ul>` : ''}
${evidenceHtml(r)}</div>`).join('\n');
  const skippedByReason = new Map<string, string[]>();
  for (const t of summary.targets) for (const r of t.rules) {
    if (r.status !== 'skipped') continue;
    const key = `${r.reason ?? 'skipped'}`;
    skippedByReason.set(key, [...(skippedByReason.get(key) ?? []), `${t.name}: ${r.id} — ${r.message}`]);
  }
  const skipped = [...skippedByReason].map(([reason, list]) => `<details><summary>${esc(reason)} (${list.length})</summary><pre>${esc(list.join('\n'))}</pre></details>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>API conformance — ${esc(summary.verdict)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head><body>
<header><h1>API conformance report <span class="verdict v-${summary.verdict}" id="verdict">${summary.verdict}</span></h1>
<div class="meta">started ${esc(summary.started_at)} · ${(summary.duration_ms / 1000).toFixed(1)} s · harness ${esc(summary.harness_version)} · catalogue ${esc(summary.catalogue_version)}${options.playwrightReport ? ` · <a href="${esc(options.playwrightReport)}">Playwright report (traces, attachments)</a>` : ''}</div></header>
<main><h2>Scorecard</h2><table id="scorecard"><tr><th>target</th>${AREAS.map((a) => `<th>${a}</th>`).join('')}</tr>${rows}</table>
<h2>Failures and errors (${problems.length})</h2>
<div class="filters">area <select id="f-area"><option value="">all</option>${AREAS.map((a) => `<option>${a}</option>`).join('')}</select>
severity <select id="f-sev"><option value="">all</option><option>must</option><option>should</option></select></div>
<div id="failures">${failures || '<p>No rule failed.</p>'}</div>
${discoveryHtml(summary)}<h2>Skipped rules</h2>${skipped || '<p>None.</p>'}
</main><script>
(function(){var a=document.getElementById('f-area'),s=document.getElementById('f-sev');
function f(){document.querySelectorAll('#failures .rule').forEach(function(d){d.style.display=(!a.value||d.dataset.area===a.value)&&(!s.value||d.dataset.severity===s.value)?'':'none'})}
a.onchange=f;s.onchange=f;document.querySelectorAll('button.copy').forEach(function(b){b.onclick=function(){navigator.clipboard&&navigator.clipboard.writeText(b.dataset.curl)}})})();
</script></body></html>`;
}
