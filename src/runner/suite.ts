/**
 * Declares ONE Playwright test per target (per project). Its body judges every selected rule
 * over the target's recording as a step (`errors` › `errors.shape`), attaches each rule's result
 * (read by our reporters) and evidence, and marks a failed rule with a soft assertion, so its
 * step is red with the rule's message while the other rules are still judged.
 *
 * Why one test: Playwright stops a worker after every failed test and starts a new one
 * (SPEC §7 "a failed rule costs about what a passed one does"). With a test per rule, each
 * failed rule cost a worker start plus our module graph plus re-reading the recording; with a
 * test per target, a target restarts its worker at most once, however many rules fail.
 *
 * Selection (SPEC §2): the test carries a tag per area (`@errors`) and per rule
 * (`@errors.shape`), so Playwright's own `--grep` on either still selects it; inside, selection.ts
 * decides exactly which rules are judged (the rest are `not-selected` in summary.json).
 * Rules a `--grep-invert` excludes are left out of the tags, so Playwright keeps the test for the
 * rules that remain.
 */
import { RESULT_ATTACHMENT, SELECTION_ATTACHMENT, type ResultAttachment, unjudgedResult } from '../harness/contract.ts';
import type { RuleResult } from '../harness/evaluate.ts';
import { findWaiver } from '../policy/waivers.ts';
import type { Rule } from '../rules/registry.ts';
import { CATALOGUE } from '../spec/catalogue.ts';
import { AREAS } from '../spec/vocabulary.ts';
import { expect, test } from './fixtures.ts';
import { invertedAtDeclaration, selectedRules } from './selection.ts';

export const TEST_TITLE = 'conformance';

export function defineConformanceTest(): void {
  // Declared from the catalogue: the runner process only lists tests, and the checks, probes and
  // their libraries are loaded by the workers that judge (about a second of the runner's start-up).
  const tagged = CATALOGUE.filter((r) => !invertedAtDeclaration(r));
  const tags = [...new Set(tagged.map((r) => `@${r.area}`)), ...tagged.map((r) => `@${r.id}`)];
  test(TEST_TITLE, { tag: tags }, async ({ target, prepared, waivers }, info) => {
    const [{ RULES }, { evaluateRule }, { applicability }] = await Promise.all([
      import('../rules/registry.ts'),
      import('../harness/evaluate.ts'),
      import('../policy/applicability.ts'),
    ]);
    // The recording could not be made: every selected rule is an error saying why.
    const couldNotJudge = (rule: Rule, failure: string): RuleResult =>
      unjudgedResult(rule, {
        severity: applicability(rule, target).severity,
        status: 'error',
        reason: 'inconclusive',
        message: `could not judge: ${failure}`,
        profile: target.profile,
      });
    const selected = new Set(selectedRules(RULES, info.config, info.project).map((r) => r.id));
    await info.attach(SELECTION_ATTACHMENT, { body: JSON.stringify([...selected]), contentType: 'application/json' });
    const judge = (rule: Rule): RuleResult =>
      'recording' in prepared ? evaluateRule(rule, target, prepared.recording, prepared.schemas) : couldNotJudge(rule, prepared.failure);
    let shownOnce = false;
    for (const area of AREAS) {
      const rules = RULES.filter((r) => r.area === area && selected.has(r.id));
      if (!rules.length) continue;
      await test.step(area, async () => {
        for (const rule of rules) {
          const result = judge(rule);
          const recording = 'recording' in prepared ? prepared.recording : undefined;
          const attached: ResultAttachment = {
            result,
            recording: {
              sentByMethod: recording?.sentByMethod ?? {},
              leftovers: recording?.leftovers ?? [],
              target: target.name,
              baseUrl: target.baseUrl,
              profile: target.profile,
              ...(recording?.discovery ? { discovery: recording.discovery } : {}),
            },
          };
          await info.attach(RESULT_ATTACHMENT, { body: JSON.stringify(attached), contentType: 'application/json' });
          await test.step(rule.id, async (step) => {
            step.annotations.push(
              { type: 'rule', description: rule.id },
              { type: 'severity', description: result.severity },
              ...(result.guideline
                ? [
                    {
                      type: 'guideline',
                      description: `${result.guideline.document} (${result.guideline.file}) › ${result.guideline.section}`,
                    },
                  ]
                : []),
              ...(result.reason ? [{ type: 'reason', description: result.reason }] : []),
            );
            for (const [i, e] of result.evidence.entries()) {
              await step.attach(
                `exchange ${i + 1}: ${e.request.method} ${e.response?.status ?? 'no response'} — ${e.purpose}`.slice(0, 120),
                { body: formatEvidence(e), contentType: 'text/plain' },
              );
            }
            if (result.status === 'skipped') step.skip(true, `${result.reason}: ${result.message}`);
            // A waived rule (waivers.yaml) is a skipped step with its waiver in Playwright's report too.
            const waiver = result.status === 'failed' || result.status === 'error' ? findWaiver(waivers, target.name, rule.id) : undefined;
            if (waiver) {
              const source = `${waiver.source.file}:${waiver.source.line}:${waiver.source.column}`;
              step.annotations.push({
                type: 'waiver',
                description: `${waiver.owner} until ${waiver.expires}: ${waiver.reason} (${source})`,
              });
              step.skip(true, `waived (was ${result.status}: ${result.message})`);
            }
            // An unreachable target is one failure, not one per rule: the first rule shows it, the
            // others step aside in Playwright's view (summary.json still says `error` for each).
            // The same holds for a recording that could not be made.
            if (result.reason === 'unreachable' || !('recording' in prepared)) {
              if (shownOnce) step.skip(true, `error: ${result.message} (reported as a failure once, by the first rule of this target)`);
              shownOnce = true;
            }
            // Only what did not pass asserts: an expect is a step of its own (a stack captured and
            // a report entry), and 87 of them per target were a few percent of a clean run's worker CPU.
            if (result.status !== 'passed') expect.soft(result.status, failureText(result)).toBe('passed');
          });
        }
      });
    }
  });
}

function failureText(r: RuleResult): string {
  const lines = [`${r.id} [${r.severity}] ${r.status}: ${r.message}`, `expected: ${r.expectation}`];
  for (const f of r.findings?.slice(0, 10) ?? []) {
    lines.push(`  - ${f.message}${f.count ? ` (×${f.count})` : ''}`);
  }
  const first = r.evidence[0];
  if (first) lines.push(`reproduce: ${first.curl}`);
  return lines.join('\n');
}

export function formatEvidence(e: RuleResult['evidence'][number]): string {
  const head = (h: Record<string, string | readonly string[]>): string =>
    Object.entries(h)
      .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : v.join(', ')}`)
      .join('\n');
  return [
    `# ${e.purpose}`,
    `${e.request.method} ${e.request.url}`,
    head(e.request.headers),
    e.request.body !== undefined ? `\n${e.request.body}` : '',
    '',
    e.response
      ? `HTTP ${e.response.status}  (${e.duration_ms} ms, ${e.response.body_bytes} bytes)\n${head(e.response.headers)}\n\n${e.response.body}`
      : `no response: ${e.error}`,
    e.notes?.length ? `\nnotes: ${e.notes.join('; ')}` : '',
    '',
    `reproduce: ${e.curl}`,
  ].join('\n');
}
