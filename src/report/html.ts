/**
 * reports/index.html, the conformance report (SPEC §5): one self-contained page (inline CSS,
 * inline SVG and a little inline JS; no network; opens from file://). Top: the verdict and
 * why, totals, a scorecard of targets × areas with must and should apart. Then the trend
 * over past runs, what changed since the previous run, every failure with its guideline
 * reference, findings, evidence and a copyable curl line, waivers, skipped rules grouped by
 * reason, and every rule in a filterable list. Presentation only: it decides nothing.
 * Everything is readable without JavaScript; the script only filters and copies.
 */
import type { EvidenceItem } from '../harness/evaluate.ts';
import type { RuleChange, SummaryDiff } from './diff.ts';
import { decideGate } from '../policy/gate.ts';
import { verdictReason } from './gate-view.ts';
import type { TrendPoint } from './history.ts';
import { couldNotJudge } from './text.ts';
import { verdictOf } from '../policy/verdict.ts';
import { AREAS, type RuleStatus } from '../spec/vocabulary.ts';
import type { Summary, SummaryRule, TargetSummary, Verdict } from '../spec/summary.ts';

export interface HtmlOptions {
  /** Relative link to Playwright's HTML report (traces, attachments). */
  readonly playwrightReport?: string;
  /** Past runs and this one, oldest first (history folder). */
  readonly trend?: readonly TrendPoint[];
  /** What changed since the previous run in the history folder. */
  readonly changes?: SummaryDiff;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const VERDICT_LABEL: Record<Verdict, string> = { ready: 'Ready', 'not-ready': 'Not ready', incomplete: 'Incomplete' };
const STATUS_ORDER: readonly RuleStatus[] = ['failed', 'error', 'waived', 'passed', 'skipped'];
const STATUS_MARK: Record<RuleStatus, string> = { passed: '✓', failed: '✗', error: '!', waived: '~', skipped: '–' };

/** Plain-language meaning of the stable reason codes of skipped and error rules. */
export const REASON_TEXT: Record<string, string> = {
  'missing-prerequisite':
    'targets.yaml does not declare what the rule needs (a credential, a resource, …): declare it to have the rule judged',
  'not-selected': 'the run was narrowed (--grep, --project, --shard) and did not run the rule',
  'read-only': 'the rule needs writes; the target is read-only (mode: mutating enables them)',
  'not-applicable': 'the rule is not part of the target’s profile, or does not apply to it (e.g. https-only rules on http)',
  'turned-off': 'turned off in targets.yaml (rules.skip or rules.severity: off)',
  'not-implemented': 'the harness does not implement the rule yet',
  'nothing-to-check': 'the run saw nothing the rule could judge',
  unreachable: 'the target did not answer',
  'transport-error': 'a request failed at the transport level',
  'probe-failed': 'a probe the rule reads failed',
  'rate-limit-wait': "a longer wait than max_wait_s: the service's Retry-After, or the declared budget",
  inconclusive: 'the rule could not reach a verdict',
  waived: 'accepted by a waiver',
};

const CSS = `
:root{--bg:#f5f6f8;--fg:#1d2330;--muted:#5b6472;--card:#fff;--line:#dde1e7;--head:#eef1f5;--code:#f6f8fa;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--err:#8250df;--err-bg:#fbefff;--waive:#6e7781;--waive-bg:#eaeef2;
--warn:#9a6700;--warn-bg:#fff8c5;--skip:#8c959f;--link:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;--line:#30363d;--head:#1c2129;--code:#0d1117;
--pass:#3fb950;--pass-bg:#12261e;--fail:#f85149;--fail-bg:#2d1214;--err:#bc8cff;--err-bg:#221a33;--waive:#9198a1;--waive-bg:#21262d;
--warn:#d29922;--warn-bg:#2b2111;--skip:#6e7681;--link:#58a6ff}}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
a{color:var(--link)} code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
header{padding:18px 28px 14px;background:var(--card);border-bottom:1px solid var(--line)}
header h1{font-size:20px;margin:0;display:flex;align-items:center;gap:12px;flex-wrap:wrap}
.verdict{display:inline-block;padding:4px 14px;border-radius:16px;font-weight:700;color:#fff;font-size:16px;letter-spacing:.02em}
.v-ready{background:var(--pass)}.v-not-ready{background:var(--fail)}.v-incomplete{background:var(--warn)}
.why{margin:8px 0 4px;font-size:15px} .meta{color:var(--muted);font-size:12px} .meta a{margin-right:10px}
main{padding:0 28px 48px;max-width:1500px}
h2{font-size:16px;margin:30px 0 10px;display:flex;gap:8px;align-items:baseline} h2 .meta{font-weight:400}
.totals{display:flex;gap:10px;flex-wrap:wrap;margin:16px 0 6px}
.total{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:92px}
.total b{display:block;font-size:22px;line-height:1.1} .total span{color:var(--muted);font-size:12px}
.total.failed b{color:var(--fail)}.total.error b{color:var(--err)}.total.passed b{color:var(--pass)}.total.waived b{color:var(--waive)}.total.skipped b{color:var(--skip)}
table{border-collapse:collapse;background:var(--card);width:100%} th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--head);font-weight:600}
.scroll{overflow-x:auto}
#scorecard td.cell{text-align:left;white-space:nowrap;cursor:pointer;font-size:12px;padding:4px 6px}
#scorecard td.cell:hover{outline:2px solid var(--link);outline-offset:-2px}
#scorecard th.tname{min-width:180px;max-width:280px} #scorecard th .meta{font-weight:400;word-break:break-all}
#scorecard thead th{font-size:12px;white-space:nowrap}
#scorecard .sev{display:block} #scorecard .sev i{font-style:normal;color:var(--muted);display:inline-block;width:44px}
.c-fail{background:var(--fail-bg)}.c-err{background:var(--err-bg)}.c-warn{background:var(--warn-bg)}.c-pass{background:var(--pass-bg)}.c-none{color:var(--skip)}
.n-passed{color:var(--pass)}.n-failed{color:var(--fail);font-weight:700}.n-error{color:var(--err);font-weight:700}.n-waived{color:var(--waive)}.n-skipped{color:var(--skip)}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;white-space:nowrap}
.p-passed{background:var(--pass-bg);color:var(--pass)}.p-failed{background:var(--fail-bg);color:var(--fail)}.p-error{background:var(--err-bg);color:var(--err)}
.p-waived{background:var(--waive-bg);color:var(--waive)}.p-skipped{background:var(--head);color:var(--skip)}
.p-must{background:var(--fail-bg);color:var(--fail)}.p-should{background:var(--warn-bg);color:var(--warn)}.p-off{background:var(--head);color:var(--skip)}
.card{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:6px;margin:12px 0;padding:12px 16px}
.card.should{border-left-color:var(--warn)}.card.error{border-left-color:var(--err)}.card.waived{border-left-color:var(--waive)}
.card h3{margin:0 0 4px;font-size:15px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}
.card .msg{font-size:14px;margin:6px 0} .card ul{margin:6px 0 8px;padding-left:20px}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;font-size:12px;color:var(--muted);margin:4px 0}
.kv b{font-weight:600;color:var(--fg)}
pre{background:var(--code);border:1px solid var(--line);border-radius:4px;padding:8px;overflow:auto;max-height:340px;font-size:12px;white-space:pre-wrap;word-break:break-all;margin:4px 0}
.ex{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:0 10px 8px} .ex>summary{padding:6px 0;font-size:13px}
.ex .cols{display:grid;grid-template-columns:1fr 1fr;gap:10px} @media (max-width:900px){.ex .cols{grid-template-columns:1fr}}
.ex h4{margin:6px 0 2px;font-size:12px;color:var(--muted);font-weight:600}
.curl{display:flex;gap:6px;align-items:flex-start} .curl pre{flex:1;margin:0}
button.copy{font:12px system-ui,sans-serif;padding:3px 10px;border:1px solid var(--line);border-radius:4px;background:var(--head);color:var(--fg);cursor:pointer}
details>summary{cursor:pointer}
.filters{position:sticky;top:0;z-index:2;background:var(--bg);padding:10px 0;border-bottom:1px solid var(--line);display:flex;gap:14px;flex-wrap:wrap;align-items:center;font-size:13px}
.filters select,.filters input{font:13px system-ui,sans-serif;padding:3px 6px;background:var(--card);color:var(--fg);border:1px solid var(--line);border-radius:4px}
.filters .shown{color:var(--muted)}
.hidden{display:none!important}
.reason{margin:8px 0} .reason>summary{font-weight:600} .reason p{margin:4px 0 6px;color:var(--muted);font-size:12px}
.reason ul{margin:0;padding-left:20px;font-size:13px}
#rules td{font-size:13px;padding:3px 8px} #rules td.id,#rules td.t{white-space:nowrap}
.trend svg{background:var(--card);border:1px solid var(--line);border-radius:6px;max-width:100%;height:auto}
.trend .legend{font-size:12px;color:var(--muted);margin:4px 0} .trend .legend span{margin-right:14px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.banner{background:var(--warn-bg);border:1px solid var(--warn);border-radius:6px;padding:8px 12px;margin:14px 0}
.empty{color:var(--muted)}
@media print{.filters,button.copy{display:none}.ex{break-inside:avoid}}`;

const SCRIPT = `
(function(){
  var $=function(s){return document.querySelector(s)}, $$=function(s){return Array.prototype.slice.call(document.querySelectorAll(s))};
  var f={area:$('#f-area'),severity:$('#f-severity'),status:$('#f-status'),target:$('#f-target'),text:$('#f-text')};
  function apply(){
    var v={area:f.area.value,severity:f.severity.value,status:f.status.value,target:f.target.value,text:f.text.value.trim().toLowerCase()};
    var shown=0,total=0;
    $$('[data-rule]').forEach(function(el){
      var ok=(!v.area||el.dataset.area===v.area)&&(!v.severity||el.dataset.severity===v.severity)&&(!v.status||el.dataset.status===v.status)
        &&(!v.target||el.dataset.target===v.target)&&(!v.text||el.textContent.toLowerCase().indexOf(v.text)>=0);
      el.classList.toggle('hidden',!ok);
      if(el.tagName==='TR'){total++;if(ok)shown++;}
    });
    $$('[data-group]').forEach(function(g){g.classList.toggle('hidden',!g.querySelector('[data-rule]:not(.hidden)'))});
    $('#shown').textContent=shown+' of '+total+' rule results shown';
    var h=[];for(var k in v){if(v[k])h.push(k+'='+encodeURIComponent(v[k]))}
    try{history.replaceState(null,'',h.length?'#'+h.join('&'):location.pathname+location.search)}catch(e){}
  }
  for(var k in f){f[k].addEventListener(k==='text'?'input':'change',apply)}
  $('#f-clear').addEventListener('click',function(){for(var k in f)f[k].value='';apply()});
  $$('#scorecard td.cell').forEach(function(td){td.addEventListener('click',function(){
    f.area.value=td.dataset.area;f.target.value=td.dataset.target;f.severity.value='';f.status.value='';f.text.value='';apply();
    $('#rules').scrollIntoView({behavior:'smooth'});
  })});
  $$('button.copy').forEach(function(b){b.addEventListener('click',function(){
    var text=b.parentNode.querySelector('pre').textContent;
    function done(){b.textContent='copied';setTimeout(function(){b.textContent='copy'},1200)}
    function fallback(){var t=document.createElement('textarea');t.value=text;document.body.appendChild(t);t.select();try{document.execCommand('copy');done()}catch(e){}document.body.removeChild(t)}
    if(navigator.clipboard&&navigator.clipboard.writeText){navigator.clipboard.writeText(text).then(done,fallback)}else fallback();
  })});
  location.hash.slice(1).split('&').forEach(function(p){var kv=p.split('=');if(f[kv[0]])f[kv[0]].value=decodeURIComponent(kv[1]||'')});
  apply();
})();`;

function pill(kind: string, text: string = kind): string {
  return `<span class="pill p-${esc(kind)}">${esc(text)}</span>`;
}

function headerLines(h: Readonly<Record<string, string | readonly string[]>>): string {
  return Object.entries(h)
    .map(([k, v]) => (typeof v === 'string' ? [`${k}: ${v}`] : v.map((x) => `${k}: ${x}`)).join('\n'))
    .join('\n');
}

function evidenceHtml(items: readonly EvidenceItem[], openFirst: boolean): string {
  return items
    .map((e, i) => {
      const outcome = e.response ? `HTTP ${e.response.status}` : `no response (${e.error ?? 'error'})`;
      const request = `${e.request.method} ${e.request.url}\n${headerLines(e.request.headers)}${e.request.body !== undefined ? `\n\n${e.request.body}` : ''}`;
      const response = e.response
        ? `HTTP ${e.response.status}  (${e.duration_ms} ms, ${e.response.body_bytes} bytes)\n${headerLines(e.response.headers)}\n\n${e.response.body}`
        : `no response: ${e.error ?? ''}`;
      return `<details class="ex"${openFirst && i === 0 ? ' open' : ''}><summary><b>${esc(e.request.method)}</b> <span class="mono">${esc(e.request.url.length > 120 ? `${e.request.url.slice(0, 120)}…` : e.request.url)}</span> → <b>${esc(outcome)}</b> <span class="meta">${esc(e.purpose)}</span></summary>
<div class="cols"><div><h4>request</h4><pre>${esc(request)}</pre></div><div><h4>response</h4><pre class="response">${esc(response)}</pre></div></div>
${e.notes?.length ? `<div class="meta">notes: ${esc(e.notes.join('; '))}</div>` : ''}
<h4>reproduce</h4><div class="curl"><pre>${esc(e.curl)}</pre><button class="copy" type="button" title="copy the curl line">copy</button></div></details>`;
    })
    .join('\n');
}

function ruleAttrs(t: TargetSummary, r: SummaryRule): string {
  return `data-rule="${esc(r.id)}" data-area="${esc(r.area)}" data-severity="${r.severity}" data-status="${r.status}" data-target="${esc(t.name)}"`;
}

/** Anchor of a failure (or waiver) card, so the full list can point at it instead of repeating the evidence. */
function cardId(t: TargetSummary, r: SummaryRule): string {
  return esc(`r-${t.name}-${r.id}`.replace(/[^\w.-]/g, '_'));
}

function guidelineHtml(r: SummaryRule): string {
  return r.guideline
    ? `<span>guideline</span><b>${esc(r.guideline.document)} › ${esc(r.guideline.section)} <span class="meta">(${esc(r.guideline.file)})</span></b>`
    : '';
}

function findingsHtml(r: SummaryRule): string {
  if (!r.findings?.length) return '';
  const shown = r.findings
    .slice(0, 25)
    .map(
      (f) =>
        `<li>${esc(f.message)}${f.count ? ` <b>×${f.count}</b>` : ''}${f.at ? ` <span class="meta mono">at ${esc(f.at)}</span>` : ''}${f.expected ? `<div class="meta">expected: ${esc(f.expected.slice(0, 300))}</div>` : ''}${f.received ? `<div class="meta">received: ${esc(f.received.slice(0, 300))}</div>` : ''}</li>`,
    );
  const more =
    r.findings.length > 25 ? `<li class="meta">…and ${r.findings.length - 25} more findings (summary.json has them all)</li>` : '';
  return `<ul class="findings">${shown.join('')}${more}</ul>`;
}

const hasCard = (r: SummaryRule): boolean => r.status === 'failed' || r.status === 'error' || r.status === 'waived';

function problemCard(t: TargetSummary, r: SummaryRule): string {
  const cls = r.status === 'error' ? 'error' : r.status === 'waived' ? 'waived' : r.severity;
  const waiver = r.waiver
    ? `<span>waived</span><b>was ${esc(r.waiver.was.status)}; accepted by ${esc(r.waiver.owner)} until ${esc(r.waiver.expires)}: ${esc(r.waiver.reason)} <span class="meta">(${esc(r.waiver.source)})</span></b>`
    : '';
  return `<article class="card ${cls}" id="${cardId(t, r)}" ${ruleAttrs(t, r)}>
<h3><span class="mono">${esc(r.id)}</span> ${pill(r.status)} ${pill(r.severity)} <span class="meta">on</span> <span>${esc(t.name)}</span></h3>
<div class="msg">${esc(r.status === 'error' ? couldNotJudge(r.message) : r.message)}</div>
<div class="kv"><span>rule</span><b>${esc(r.title)}</b><span>passes when</span><b>${esc(r.expectation)}</b>${guidelineHtml(r)}${r.reason && r.status === 'error' ? `<span>reason</span><b>${esc(r.reason)}</b>` : ''}${waiver}</div>
${findingsHtml(r)}
${r.evidence.length ? evidenceHtml(r.evidence, r.status !== 'waived') : '<div class="meta">no exchange to show</div>'}</article>`;
}

function scoreCell(t: TargetSummary, area: string): string {
  const rules = t.rules.filter((r) => r.area === area);
  if (!rules.length) return '<td class="c-none">—</td>';
  const line = (sev: 'must' | 'should'): string => {
    const mine = rules.filter((r) => r.severity === sev);
    if (!mine.length) return '';
    const parts = STATUS_ORDER.map((s) => [s, mine.filter((r) => r.status === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `<span class="n-${s}" title="${n} ${s}">${n}${STATUS_MARK[s]}</span>`);
    return `<span class="sev"><i>${sev}</i>${parts.join(' ')}</span>`;
  };
  const has = (s: RuleStatus, sev?: string): boolean => rules.some((r) => r.status === s && (!sev || r.severity === sev));
  const cls = has('failed', 'must')
    ? 'c-fail'
    : has('error', 'must')
      ? 'c-err'
      : has('failed') || has('error')
        ? 'c-warn'
        : has('passed') || has('waived')
          ? 'c-pass'
          : 'c-none';
  const lines = line('must') + line('should');
  const off = rules.filter((r) => r.severity === 'off').length;
  const title = `${t.name} · ${area}: ${STATUS_ORDER.map((s) => `${rules.filter((r) => r.status === s).length} ${s}`).join(', ')} — click to list`;
  return `<td class="cell ${cls}" data-area="${esc(area)}" data-target="${esc(t.name)}" title="${esc(title)}">${lines || `<span class="n-skipped">${off ? 'not in profile' : '—'}</span>`}</td>`;
}

function trendSvg(points: readonly TrendPoint[]): string {
  const W = 760,
    H = 190,
    L = 40,
    R = 16,
    T = 14,
    B = 34;
  // Scaled to the judged rules (skips would flatten the lines); skips are in each run's tooltip.
  const max = Math.max(1, ...points.map((p) => p.counts.passed + p.counts.failed + p.counts.error + p.counts.waived));
  const x = (i: number): number => (points.length === 1 ? L + (W - L - R) / 2 : L + (i * (W - L - R)) / (points.length - 1));
  const y = (n: number): number => T + (H - T - B) * (1 - n / max);
  const series: { key: string; label: string; colour: string; value: (p: TrendPoint) => number }[] = [
    { key: 'passed', label: 'passed', colour: 'var(--pass)', value: (p) => p.counts.passed },
    { key: 'failed', label: 'failed + error', colour: 'var(--fail)', value: (p) => p.counts.failed + p.counts.error },
    { key: 'waived', label: 'waived', colour: 'var(--waive)', value: (p) => p.counts.waived },
  ];
  const grid = [...new Set([0, 0.25, 0.5, 0.75, 1].map((f) => Math.round(max * f)))]
    .map(
      (n) =>
        `<line x1="${L}" x2="${W - R}" y1="${y(n).toFixed(1)}" y2="${y(n).toFixed(1)}" stroke="var(--line)"/><text x="${L - 6}" y="${(y(n) + 4).toFixed(1)}" text-anchor="end" font-size="10" fill="var(--muted)">${n}</text>`,
    )
    .join('');
  const lines = series
    .map((s) => {
      const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(s.value(p)).toFixed(1)}`).join(' ');
      const dots = points
        .map(
          (p, i) =>
            `<circle cx="${x(i).toFixed(1)}" cy="${y(s.value(p)).toFixed(1)}" r="${p.current ? 4.5 : 3}" fill="${s.colour}"><title>${esc(`${p.started_at}: ${s.value(p)} ${s.label}`)}</title></circle>`,
        )
        .join('');
      return `<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="${s.key === 'passed' ? 2.5 : 1.5}"/>${dots}`;
    })
    .join('');
  const vColour: Record<Verdict, string> = { ready: 'var(--pass)', 'not-ready': 'var(--fail)', incomplete: 'var(--warn)' };
  const marks = points
    .map(
      (p, i) =>
        `<rect x="${(x(i) - 5).toFixed(1)}" y="${H - B + 8}" width="10" height="6" rx="2" fill="${vColour[p.verdict]}"><title>${esc(`${p.started_at}: ${p.verdict}; ${p.counts.passed} passed, ${p.counts.failed} failed, ${p.counts.error} error, ${p.counts.waived} waived, ${p.counts.skipped} skipped${p.current ? ' (this run)' : ''}`)}</title></rect>`,
    )
    .join('');
  const label = (i: number, anchor: string): string =>
    `<text x="${x(i).toFixed(1)}" y="${H - 6}" text-anchor="${anchor}" font-size="10" fill="var(--muted)">${esc(points[i]!.started_at.slice(0, 16).replace('T', ' '))}</text>`;
  const labels = points.length === 1 ? label(0, 'middle') : `${label(0, 'start')}${label(points.length - 1, 'end')}`;
  return `<svg id="trend-chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="rule results over the last ${points.length} runs">${grid}${lines}${marks}${labels}</svg>
<div class="legend">${series.map((s) => `<span><i class="sw" style="background:${s.colour}"></i>${s.label}</span>`).join('')}<span>bars: verdict of each run · hover for counts (skips included)</span></div>`;
}

function trendHtml(points: readonly TrendPoint[] | undefined): string {
  if (!points) return '';
  const first = points[0]!;
  const last = points.at(-1)!;
  const change = points.length > 1 ? ` · passed ${first.counts.passed} → ${last.counts.passed}` : '';
  return `<section class="trend" id="trend"><h2>Trend <span class="meta">last ${points.length} run${points.length === 1 ? '' : 's'}${change}</span></h2>
${points.length > 1 ? trendSvg(points) : '<p class="empty">The trend appears from the second run on (the history folder keeps past summaries).</p>'}</section>`;
}

function changesHtml(d: SummaryDiff | undefined): string {
  if (!d) return '';
  const list = (title: string, items: readonly RuleChange[], kind: string): string =>
    items.length
      ? `<h3>${esc(title)} (${items.length})</h3><ul>${items.map((c) => `<li class="${kind}"><span class="mono">${esc(c.id)}</span> ${pill(c.severity)} on ${esc(c.target)}: ${esc(c.from)} → <b>${esc(c.to)}</b>${c.waived ? ' (waived)' : ''} <span class="meta">${esc(c.message.slice(0, 200))}</span></li>`).join('')}</ul>`
      : '';
  const body = [
    list('Regressions', d.regressions, 'regression'),
    list('New failures', d.newFailures, 'new-failure'),
    list('Fixes', d.fixes, 'fix'),
    d.otherChanges.length
      ? `<details><summary>Other changes (${d.otherChanges.length})</summary><ul>${d.otherChanges.map((c) => `<li><span class="mono">${esc(c.id)}</span> on ${esc(c.target)}: ${esc(c.from)} → ${esc(c.to)}</li>`).join('')}</ul></details>`
      : '',
    d.newRules.length ? `<p>New rules: ${d.newRules.map((r) => `<span class="mono">${esc(r)}</span>`).join(', ')}</p>` : '',
    d.removedRules.length ? `<p>Removed rules: ${d.removedRules.map((r) => `<span class="mono">${esc(r)}</span>`).join(', ')}</p>` : '',
    d.newTargets.length ? `<p>New targets: ${esc(d.newTargets.join(', '))}</p>` : '',
    d.removedTargets.length ? `<p>Removed targets: ${esc(d.removedTargets.join(', '))}</p>` : '',
  ].join('');
  const n = d.regressions.length;
  return `<section id="changes"><h2>Since the previous run <span class="meta">${esc(d.old.started_at)} (${esc(d.old.verdict)}) · ${n} regression${n === 1 ? '' : 's'}, ${d.fixes.length} fix${d.fixes.length === 1 ? '' : 'es'}</span></h2>
${body || '<p class="empty">No rule changed status.</p>'}</section>`;
}

/** Targets whose resources came from their OpenAPI document: what was found and what was not probed. */
function discoveryHtml(summary: Summary): string {
  const parts = summary.targets
    .filter((t) => t.discovery)
    .map((t) => {
      const d = t.discovery!;
      const found = [
        ...d.resources.map(
          (r) =>
            `resource ${r.name}: ${r.collection} and ${r.item}${r.requires_auth ? '' : ' (public)'}; create body: ${r.create_body ?? 'none'}${r.update_body ? `; update body: ${r.update_body}` : ''}`,
        ),
        ...d.uploads.map(
          (u) => `upload ${u.path} (field ${u.field}, max ${u.max_bytes} bytes, ${u.allowed_types.join(', ') || 'any type'})`,
        ),
        ...d.streams.map((st) => `stream ${st.path}${st.resource ? ` (ids of ${st.resource})` : ''}`),
      ];
      return `<details open><summary>${esc(t.name)}: from ${esc(d.source)}${d.problem ? ` — ${esc(d.problem)}` : ''}</summary>
<pre>${esc(found.join('\n') || 'nothing discovered')}</pre>
${d.not_probed.length ? `<div class="meta">not probed (${d.not_probed.length}):</div><pre>${esc(d.not_probed.map((n) => `${n.operation}: ${n.reason}`).join('\n'))}</pre>` : ''}</details>`;
    });
  return parts.length ? `<section id="discovery"><h2>Discovered from OpenAPI documents</h2>${parts.join('\n')}</section>` : '';
}

export function toHtml(summary: Summary, options: HtmlOptions = {}): string {
  const decision = decideGate(summary, undefined);
  const all = summary.targets.flatMap((t) => t.rules.map((r) => ({ t, r })));
  const count = (s: RuleStatus): number => all.filter(({ r }) => r.status === s).length;
  const sevRank = (r: SummaryRule): number => (r.severity === 'must' ? 0 : r.severity === 'should' ? 1 : 2);
  const problems = all
    .filter(({ r }) => r.status === 'failed' || r.status === 'error')
    .sort((a, b) => sevRank(a.r) - sevRank(b.r) || (a.r.status === b.r.status ? 0 : a.r.status === 'failed' ? -1 : 1));
  const waived = all.filter(({ r }) => r.status === 'waived');
  const leftovers = summary.targets.flatMap((t) => t.leftovers.map((l) => `${t.name}: ${l}`));

  const totals = STATUS_ORDER.map((s) => `<div class="total ${s}" data-count="${s}"><b>${count(s)}</b><span>${s}</span></div>`).join('');
  const targetHead = (t: TargetSummary): string => {
    const v = verdictOf(t.rules);
    const methods = Object.entries(t.requests.by_method)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ');
    return `<th class="tname">${esc(t.name)} <span class="pill p-${v === 'ready' ? 'passed' : v === 'not-ready' ? 'failed' : 'should'}">${esc(v)}</span><div class="meta">${esc(t.profile)} · <span class="mono">${esc(t.base_url)}</span></div><div class="meta">${t.requests.total} requests${methods ? ` (${esc(methods)})` : ''}</div>${t.tls_verify === false ? '<div class="meta tls">⚠ tls_verify: false — the TLS certificate was not verified</div>' : ''}</th>`;
  };
  const scorecard = `<div class="scroll"><table id="scorecard"><thead><tr><th>target</th>${AREAS.map((a) => `<th>${a}</th>`).join('')}</tr></thead><tbody>
${summary.targets.map((t) => `<tr data-target="${esc(t.name)}">${targetHead(t)}${AREAS.map((a) => scoreCell(t, a)).join('')}</tr>`).join('\n')}</tbody></table></div>
<div class="meta">Each cell: must and should rules of the area, by status (${STATUS_ORDER.map((s) => `${STATUS_MARK[s]} ${s}`).join(', ')}). Click a cell to list its rules.</div>`;

  const failures = problems.map(({ t, r }) => problemCard(t, r)).join('\n');
  const waivedHtml = waived.map(({ t, r }) => problemCard(t, r)).join('\n');
  const waiverProblems = summary.waivers?.problems ?? [];

  const byReason = new Map<string, { t: TargetSummary; r: SummaryRule }[]>();
  for (const x of all)
    if (x.r.status === 'skipped') byReason.set(x.r.reason ?? 'skipped', [...(byReason.get(x.r.reason ?? 'skipped') ?? []), x]);
  const reasonOrder = [
    'missing-prerequisite',
    'not-selected',
    'read-only',
    'nothing-to-check',
    'not-implemented',
    'turned-off',
    'not-applicable',
  ];
  const reasons = [...byReason.keys()].sort((a, b) => (reasonOrder.indexOf(a) + 1 || 99) - (reasonOrder.indexOf(b) + 1 || 99));
  const skipped = reasons
    .map((reason) => {
      const list = byReason.get(reason)!;
      const must = list.filter(({ r }) => r.severity === 'must').length;
      return `<details class="reason" data-group="${esc(reason)}"${reason === 'missing-prerequisite' || reason === 'not-selected' ? ' open' : ''}><summary>${esc(reason)} (${list.length}${must ? `, ${must} must` : ''})</summary>
<p>${esc(REASON_TEXT[reason] ?? '')}</p><ul>${list.map(({ t, r }) => `<li ${ruleAttrs(t, r)}><span class="mono">${esc(r.id)}</span> ${pill(r.severity)} on ${esc(t.name)} <span class="meta">— ${esc(r.message)}</span></li>`).join('')}</ul></details>`;
    })
    .join('\n');

  const rows = all
    .map(
      ({
        t,
        r,
      }) => `<tr ${ruleAttrs(t, r)}><td>${pill(r.status)}</td><td class="id mono">${esc(r.id)}</td><td class="t">${esc(t.name)}</td><td>${pill(r.severity)}</td><td><details><summary>${esc(r.status === 'skipped' || r.status === 'error' ? `${r.reason ?? ''}: ${r.message}` : r.message)}</summary>
<div class="kv"><span>rule</span><b>${esc(r.title)}</b><span>passes when</span><b>${esc(r.expectation)}</b>${guidelineHtml(r)}</div>${hasCard(r) ? `<a href="#${cardId(t, r)}">findings and evidence above</a>` : `${findingsHtml(r)}${evidenceHtml(r.evidence, false)}`}</details></td></tr>`,
    )
    .join('\n');
  const options_ = (values: readonly string[]): string => values.map((v) => `<option value="${esc(v)}">${esc(v)}</option>`).join('');

  const links = [
    options.playwrightReport ? `<a href="${esc(options.playwrightReport)}">Playwright report (traces, attachments)</a>` : '',
    '<a href="summary.json">summary.json</a>',
    '<a href="junit.xml">junit.xml</a>',
  ].join('');

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(VERDICT_LABEL[summary.verdict])} — API conformance report</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark">
<style>${CSS}</style></head><body>
<header><h1>API conformance report <span class="verdict v-${summary.verdict}" id="verdict" data-verdict="${summary.verdict}">${esc(VERDICT_LABEL[summary.verdict])}</span></h1>
<div class="why" id="why">${esc(verdictReason(decision))}</div>
<div class="meta">${summary.targets.length} target${summary.targets.length === 1 ? '' : 's'} · started ${esc(summary.started_at)} · ${(summary.duration_ms / 1000).toFixed(1)} s · harness ${esc(summary.harness_version)} · catalogue ${esc(summary.catalogue_version)}${summary.waivers ? ` · waivers <a href="#waivers">${esc(summary.waivers.file ?? '')}</a> (${summary.waivers.applied} applied${waiverProblems.some((p) => p.level === 'error') ? `, ${waiverProblems.filter((p) => p.level === 'error').length} ignored` : ''})` : ''}</div>
<div class="meta">${links}</div></header>
<main>
${leftovers.length ? `<div class="banner"><b>The harness could not delete ${leftovers.length} item(s) it created:</b><pre>${esc(leftovers.join('\n'))}</pre></div>` : ''}
<div class="totals" id="totals">${totals}</div>
<h2>Scorecard</h2>
${scorecard}
${trendHtml(options.trend)}
${changesHtml(options.changes)}
<div class="filters" role="search">
<label>area <select id="f-area"><option value="">all</option>${options_(AREAS)}</select></label>
<label>severity <select id="f-severity"><option value="">all</option>${options_(['must', 'should', 'off'])}</select></label>
<label>status <select id="f-status"><option value="">all</option>${options_(STATUS_ORDER)}</select></label>
<label>target <select id="f-target"><option value="">all</option>${options_(summary.targets.map((t) => t.name))}</select></label>
<label>text <input id="f-text" type="search" placeholder="rule id, message…"></label>
<button class="copy" id="f-clear" type="button">clear</button> <span class="shown" id="shown"></span></div>
<section id="failures"${problems.length ? ' data-group="failures"' : ''}><h2>Failures and errors <span class="meta">${problems.length} (${problems.filter(({ r }) => r.severity === 'must').length} must)</span></h2>
${failures || '<p class="empty">No rule failed and every judged rule could be judged.</p>'}</section>
${
  waived.length || waiverProblems.length
    ? `<section id="waivers"><h2>Waivers <span class="meta">${waived.length} rule result${waived.length === 1 ? '' : 's'} waived: failing, accepted until the waiver expires</span></h2>
${waiverProblems.length ? `<div class="banner" id="waiver-problems"><b>Waiver problems (${waiverProblems.length}):</b><ul>${waiverProblems.map((p) => `<li>${p.level === 'error' ? '<b>ignored</b>' : 'note'} <span class="mono">${esc(`${p.file}:${p.line}:${p.column}`)}</span>: ${esc(p.message)}${p.fix ? ` <span class="meta">— ${esc(p.fix)}</span>` : ''}</li>`).join('')}</ul></div>` : ''}
${waivedHtml}</section>`
    : ''
}
${discoveryHtml(summary)}
<section id="skipped"><h2>Skipped rules <span class="meta">${count('skipped')}, by reason</span></h2>
${skipped || '<p class="empty">None.</p>'}</section>
<section id="rules"><h2>All rule results <span class="meta">${all.length}: every catalogue rule once per target</span></h2>
<div class="scroll"><table><thead><tr><th>status</th><th>rule</th><th>target</th><th>severity</th><th>result</th></tr></thead><tbody>
${rows}
</tbody></table></div></section>
</main><script>${SCRIPT}</script></body></html>
`;
}
