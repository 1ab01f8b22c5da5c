/**
 * Declares one Playwright test per rule of an area, titled with the rule id. The test judges
 * the rule over the target's recording, attaches the result (read by our reporters) and the
 * evidence, and fails with the rule's message when the rule failed or could not be judged.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { RESULT_ATTACHMENT, type ResultAttachment } from '../harness/contract.ts';
import { evaluateRule, type RuleResult } from '../harness/evaluate.ts';
import { runPaths } from '../harness/paths.ts';
import { findWaiver } from '../policy/waivers.ts';
import { RULES } from '../rules/registry.ts';
import type { Area } from '../spec/vocabulary.ts';
import { expect, test } from './fixtures.ts';

export function defineAreaSuite(area: Area): void {
  test.describe(area, () => defineRuleTests(area));
}

function defineRuleTests(area: Area): void {
  for (const rule of RULES.filter((r) => r.area === area)) {
    test(rule.id, { tag: `@${area}` }, async ({ target, recording, schemas, waivers }) => {
      const result = evaluateRule(rule, target, recording, schemas);
      const info = test.info();
      info.annotations.push(
        { type: 'rule', description: rule.id },
        { type: 'severity', description: result.severity },
        ...(result.guideline
          ? [{ type: 'guideline', description: `${result.guideline.document} (${result.guideline.file}) › ${result.guideline.section}` }]
          : []),
        ...(result.reason ? [{ type: 'reason', description: result.reason }] : []),
      );
      const attached: ResultAttachment = {
        result,
        recording: {
          sentByMethod: recording.sentByMethod,
          leftovers: recording.leftovers,
          target: target.name,
          baseUrl: target.baseUrl,
          profile: target.profile,
          ...(recording.discovery ? { discovery: recording.discovery } : {}),
          inputs: target.inputs,
        },
      };
      await info.attach(RESULT_ATTACHMENT, {
        body: JSON.stringify(attached),
        contentType: 'application/json',
      });
      for (const [i, e] of result.evidence.entries()) {
        await info.attach(`exchange ${i + 1}: ${e.request.method} ${e.response?.status ?? 'no response'} — ${e.purpose}`.slice(0, 120), {
          body: formatEvidence(e),
          contentType: 'text/plain',
        });
      }
      if (result.status === 'skipped') test.skip(true, `${result.reason}: ${result.message}`);
      // A waived rule (waivers.yaml) is a skip with its waiver in Playwright's report too.
      const waiver = result.status === 'failed' || result.status === 'error' ? findWaiver(waivers, target.name, rule.id) : undefined;
      if (waiver) {
        const source = `${waiver.source.file}:${waiver.source.line}:${waiver.source.column}`;
        info.annotations.push({ type: 'waiver', description: `${waiver.owner} until ${waiver.expires}: ${waiver.reason} (${source})` });
        test.skip(true, `waived (was ${result.status}: ${result.message})`);
      }
      // An unreachable target is one failure, not one per rule: the first rule to see it fails,
      // the others step aside in Playwright's view (summary.json still says `error` for each).
      if (result.reason === 'unreachable' && !claimOnce(`unreachable-${target.name}`)) {
        test.skip(true, `error: ${result.message} (reported as a failure once, by the first rule of this target)`);
      }
      expect(result.status, failureText(result)).toBe('passed');
    });
  }
}

/** True for the first caller of this run (across worker processes) to claim `name`. */
function claimOnce(name: string): boolean {
  const dir = join(runPaths().workDir, 'claims');
  mkdirSync(dir, { recursive: true });
  try {
    closeSync(openSync(join(dir, name.replace(/[^\w.-]/g, '_')), 'wx'));
    return true;
  } catch {
    return false;
  }
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
