/**
 * Field self-tests (issue 12, item 9): the harness against real third-party services nobody
 * built for it — json-server 0.17, GitHub's OpenAPI description (13 MB) mocked by Prism, and a
 * FastAPI tutorial app — asserting honesty PROPERTIES of what it reports, never counts:
 *
 *   1. no claim without evidence: every passed/failed rule names at least one exchange;
 *   2. no truncated body judged as malformed ("not valid JSON" about a cut body);
 *   3. every `blocked` names (blocked_by) a rule of the same target that failed;
 *   4. report sizes within SPEC §5 (summary.json ≤ 2 MB, history entry ≤ 100 KB,
 *      junit.xml ≤ 500 KB, index.html ≤ 2 MB; ≤ 50 findings and ≤ 8 exchanges per rule);
 *   5. no `cors.browser` failure caused by a browser policy (private network, mixed content,
 *      insecure context) rather than by the service's CORS answer;
 *   6. the run finishes within its bound (FIELD_BOUND_S, default 120 s);
 *   7. one cause, one finding (SPEC §8): lists that are not the profile's shape fail
 *      pagination.envelope, and the other pagination rules are blocked by it, not failed;
 *   8. errors.no-internal-leak does not pass while an error body in the evidence shows a
 *      stack trace to a reader (HTML-decoded; issue 12: json-server's Express error page).
 *
 * The services live in tests/field/node_modules, outside the harness's `npm ci`. These tests
 * run when FIELD=1 (which installs them on first use: `node tests/field/install.mjs`) or when
 * they are already installed; FIELD=0 skips them. FIELD_SERVICES=json-server,fastapi narrows.
 * FIELD_FROM=DIR judges the runs `node --import tsx tests/field/run.ts all --out DIR` left
 * there instead of running again (FIELD_KEEP=1 keeps this test's own runs).
 * The FastAPI service also needs a python3 with fastapi and uvicorn (Debian python3-fastapi
 * python3-uvicorn, or FIELD_PYTHON).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureInstalled, isInstalled } from './field/install.mjs';
import { loadFieldRun, runField, type Evidence, type FieldRun, type SummaryRule } from './field/run.ts';
import { SERVICES, fastapiPython, type ServiceName } from './field/services.ts';

const FIELD = process.env.FIELD;
const BOUND_MS = Number(process.env.FIELD_BOUND_S ?? 120) * 1000;
const wanted = new Set((process.env.FIELD_SERVICES ?? SERVICES.join(',')).split(',').map((s) => s.trim()));

const FROM = process.env.FIELD_FROM;

function skipReason(service: ServiceName): string | false {
  if (FIELD === '0') return 'field self-tests turned off (FIELD=0)';
  if (!wanted.has(service)) return `not in FIELD_SERVICES (${[...wanted].join(',')})`;
  if (FROM) return existsSync(join(FROM, service, 'run.json')) ? false : `FIELD_FROM=${FROM} holds no run of ${service}`;
  if (FIELD !== '1' && !isInstalled()) {
    return 'field services not installed: run `FIELD=1 npm test` or `node tests/field/install.mjs` (≈500 MB in tests/field/node_modules, not part of npm ci)';
  }
  if (service === 'fastapi' && !fastapiPython())
    return 'no python3 with fastapi and uvicorn (apt-get install -y python3-fastapi python3-uvicorn, or FIELD_PYTHON)';
  return false;
}

const KB = 1000;
const MB = 1000 * 1000;
const BOUNDS = { summary: 2 * MB, history: 100 * KB, junit: 500 * KB, html: 2 * MB, findings: 50, evidence: 8 };

function headerOf(e: Evidence, name: string): string | undefined {
  const v = e.response?.headers?.[name] ?? e.response?.headers?.[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** A body the harness did not read whole: marked as such, or visibly shorter than its Content-Length. */
function truncated(e: Evidence): string | undefined {
  if (e.truncated || e.response?.truncated) return 'marked truncated';
  if (e.response?.incomplete) return `marked incomplete (${e.response.incomplete})`;
  const note = e.notes?.find((n) => /truncat|stopped reading|not read whole|incomplete/i.test(n));
  if (note) return `note: ${note}`;
  const length = Number(headerOf(e, 'content-length'));
  const encoding = headerOf(e, 'content-encoding');
  if (!encoding && Number.isFinite(length) && e.response?.body_bytes !== undefined && e.response.body_bytes < length) {
    return `read ${e.response.body_bytes} of the ${length} bytes its Content-Length announced`;
  }
  return undefined;
}

const MALFORMED = /not valid JSON|invalid JSON|is not JSON|malformed|could not be parsed|unexpected end of JSON|Unexpected token/i;
const BROWSER_POLICY =
  /private[- ]network|Private-Network|loopback|unknown address space|mixed[- ]content|insecure[- ]context|not secure context|ERR_BLOCKED|blocked by (the )?(browser|client)/i;

/** A stack frame as any runtime prints it: `at fn (/path/file.js:96:19)`, `File "x.py", line 3`. */
const STACK =
  /\bat [\w.<>$]+ \((?:[^()\s]+):\d+:\d+\)|\bat (?:\/|[A-Z]:\\)[^\s:]+:\d+:\d+|File "[^"]+", line \d+|Traceback \(most recent call last\)/;

function decodeEntities(s: string): string {
  return s
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/&nbsp;/g, ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

function texts(rule: SummaryRule): string[] {
  return [
    rule.message,
    ...(rule.findings ?? []).map((f) => f.message),
    ...rule.evidence.flatMap((e) => [e.error ?? '', ...(e.notes ?? [])]),
  ].filter(Boolean);
}

function fieldSuite(service: ServiceName) {
  const skip = skipReason(service);
  describe(`field: ${service}`, { skip, timeout: 15 * 60_000 }, () => {
    let run: FieldRun;
    const out = join(tmpdir(), `field-test-${service}-${process.pid}`);
    before(async () => {
      if (FROM) {
        run = loadFieldRun(join(FROM, service));
        assert.ok(run.summary, `no summary.json in ${run.reportDir}`);
        return;
      }
      if (FIELD === '1') ensureInstalled({ quiet: true });
      // killed well past the bound, so a slow run still leaves a summary to judge
      run = await runField(service, { out, timeoutMs: Math.max(BOUND_MS * 3, 300_000) });
      assert.ok(run.summary, `no summary.json after the run (exit ${run.exitCode}):\n${run.stdoutTail}\n${run.stderrTail}`);
    });
    after(() => {
      if (!FROM && !process.env.FIELD_KEEP) rmSync(out, { recursive: true, force: true });
    });
    const rules = () => run.summary!.targets.flatMap((t) => t.rules.map((r) => ({ target: t.name, rule: r, all: t.rules })));

    it('no claim without evidence: every passed or failed rule names at least one exchange it judged', () => {
      const bare = rules().filter(({ rule }) => (rule.status === 'passed' || rule.status === 'failed') && rule.evidence.length === 0);
      assert.deepEqual(
        bare.map(({ target, rule }) => `${target} ${rule.id} ${rule.status}: ${rule.message}`),
        [],
        'rules that passed or failed on no exchange',
      );
    });

    it('no truncated body is judged as malformed', () => {
      const wrong: string[] = [];
      for (const { target, rule } of rules()) {
        if (rule.status !== 'failed' && rule.status !== 'error') continue;
        const said = texts(rule).filter((t) => MALFORMED.test(t));
        if (!said.length) continue;
        for (const e of rule.evidence) {
          const why = truncated(e);
          if (why) wrong.push(`${target} ${rule.id}: "${said[0]!.slice(0, 160)}" about ${e.request.method} ${e.request.url} (${why})`);
        }
      }
      assert.deepEqual(wrong, [], 'a body the harness did not read whole was called malformed');
    });

    it('every blocked rule names, in blocked_by, a rule of its target that failed', () => {
      const wrong: string[] = [];
      for (const { target, rule, all } of rules()) {
        if (rule.reason !== 'blocked') continue;
        const by = [rule.blocked_by ?? []].flat();
        if (!by.length) {
          wrong.push(`${target} ${rule.id}: blocked without blocked_by`);
          continue;
        }
        for (const id of by) {
          const cause = all.find((r) => r.id === id);
          if (!cause) wrong.push(`${target} ${rule.id}: blocked_by ${id}, which is not a rule of the target`);
          else if (cause.status !== 'failed' && !(cause.status === 'waived'))
            wrong.push(`${target} ${rule.id}: blocked_by ${id}, which is ${cause.status}`);
          if (!rule.message.includes(id)) wrong.push(`${target} ${rule.id}: its message does not name ${id}`);
        }
      }
      assert.deepEqual(wrong, [], 'blocked rules without a failed rule to blame');
    });

    it('one cause, one finding: when pagination.envelope failed, the other pagination rules are blocked by it, not failed or errored', () => {
      const wrong: string[] = [];
      for (const t of run.summary!.targets) {
        if (t.rules.find((r) => r.id === 'pagination.envelope')?.status !== 'failed') continue;
        for (const r of t.rules) {
          if (!r.id.startsWith('pagination.') || r.id === 'pagination.envelope') continue;
          if (r.status === 'failed' || r.status === 'error') wrong.push(`${t.name} ${r.id} ${r.status}: ${r.message.slice(0, 160)}`);
        }
      }
      assert.deepEqual(wrong, [], 'pagination rules judged lists that are not the profile shape (SPEC §8: blocked by pagination.envelope)');
    });

    it('errors.no-internal-leak does not pass while an error body in the evidence shows a stack trace', () => {
      const wrong: string[] = [];
      for (const t of run.summary!.targets) {
        if (t.rules.find((r) => r.id === 'errors.no-internal-leak')?.status !== 'passed') continue;
        for (const r of t.rules) {
          for (const e of r.evidence) {
            if (!e.response || e.response.status < 400) continue;
            const body = decodeEntities(e.response.body);
            if (STACK.test(body))
              wrong.push(
                `${t.name}: ${e.request.method} ${e.request.url} → ${e.response.status} (in ${r.id}): ${body.replace(/\s+/g, ' ').slice(0, 160)}`,
              );
          }
        }
      }
      assert.deepEqual(
        [...new Set(wrong)].slice(0, 5),
        [],
        'errors.no-internal-leak passed although a reader of these bodies sees a stack trace',
      );
    });

    it('report sizes stay within SPEC §5', () => {
      const s = run.sizes;
      const over: string[] = [];
      const check = (what: string, size: number | undefined, bound: number) => {
        if (size === undefined) over.push(`${what}: missing`);
        else if (size > bound) over.push(`${what}: ${size} bytes > ${bound}`);
      };
      check('summary.json', s.summary, BOUNDS.summary);
      check('junit.xml', s.junit, BOUNDS.junit);
      check('index.html', s.html, BOUNDS.html);
      if (!s.history.length) over.push('history: no entry written');
      for (const [i, h] of s.history.entries()) check(`history entry ${i}`, h, BOUNDS.history);
      for (const { target, rule } of rules()) {
        if ((rule.findings?.length ?? 0) > BOUNDS.findings)
          over.push(`${target} ${rule.id}: ${rule.findings!.length} findings > ${BOUNDS.findings}`);
        if (rule.evidence.length > BOUNDS.evidence)
          over.push(`${target} ${rule.id}: ${rule.evidence.length} exchanges > ${BOUNDS.evidence}`);
      }
      assert.deepEqual(over, [], 'outputs over the SPEC §5 bounds');
    });

    it('no cors.browser failure is a browser policy rather than the service', () => {
      const wrong = rules()
        .filter(({ rule }) => rule.id === 'cors.browser' && rule.status === 'failed')
        .flatMap(({ target, rule }) =>
          texts(rule)
            .filter((t) => BROWSER_POLICY.test(t))
            .map((t) => `${target}: ${t.slice(0, 200)}`),
        );
      assert.deepEqual(wrong, [], 'cors.browser failed on a browser policy (SPEC §8: skipped, reason environment)');
    });

    it(`the run finishes within ${BOUND_MS / 1000} s`, () => {
      assert.ok(!run.timedOut, `the run was killed after ${run.wallMs} ms`);
      assert.ok(run.wallMs <= BOUND_MS, `the run took ${(run.wallMs / 1000).toFixed(1)} s, over the ${BOUND_MS / 1000} s bound`);
    });
  });
}

for (const service of SERVICES) fieldSuite(service);
