/**
 * Generated requests against the reference API (SPEC §6 inputs.*, §8): the 5xx the
 * inputs.no-server-errors fault hides behind `priority` at its documented maximum (a value no
 * fixed probe sends) is found within the default budget, shrunk, and the same cases are sent
 * on every run of the same seed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseTargets } from '../src/config/load.ts';
import { evaluateRule } from '../src/harness/evaluate.ts';
import { recordTarget } from '../src/harness/recording.ts';
import { inputsGeneratedProbe } from '../src/probes/inputs.ts';
import { outputOf } from '../src/probes/types.ts';
import { RULES } from '../src/rules/registry.ts';
import { loadSchemas } from '../src/spec/schemas.ts';
import { referenceCredentials } from '../reference/tokens.ts';
import { shippedTargets } from './support/harness.ts';
import { startReference } from './support/reference.ts';

const INPUTS = RULES.filter((r) => r.id.startsWith('inputs.'));

describe('inputs:generated against the reference API', () => {
  let ref: Awaited<ReturnType<typeof startReference>>;
  before(async () => {
    ref = await startReference();
  });
  after(async () => {
    await ref?.close();
  });

  const record = async (fault: string | undefined, run: number) => {
    const clean = shippedTargets().targets['local-platform']!;
    const file = {
      version: 1,
      targets: {
        [`run-${run}`]: { ...clean, base_url: `${ref.url}${fault ? `/_f/${fault}` : ''}/platform` },
      },
    };
    const [target] = parseTargets(stringify(file), 'targets.yaml', {
      ...process.env,
      ...referenceCredentials(),
      CONFORMANCE_REFERENCE_URL: ref.url,
    });
    const recording = await recordTarget(target!, INPUTS);
    const schemas = loadSchemas();
    return { target: target!, recording, rules: INPUTS.map((r) => evaluateRule(r, target!, recording, schemas)) };
  };

  it('finds the 5xx at a documented maximum within the default budget, shrunk, with the same cases for the same seed', async () => {
    ref.reset();
    const first = await record('inputs.no-server-errors', 1);
    ref.reset();
    const second = await record('inputs.no-server-errors', 2);
    const output = outputOf(first.recording, inputsGeneratedProbe)!;
    assert.equal(output.seed, 1);
    assert.ok(output.requests <= first.target.inputs.maxRequests, `${output.requests} requests, max ${first.target.inputs.maxRequests}`);
    const rule = first.rules.find((r) => r.id === 'inputs.no-server-errors')!;
    assert.equal(rule.status, 'failed', rule.message);
    assert.equal(output.shrunk.length > 0, true, 'a 5xx was shrunk');
    const shrunk = output.shrunk[0]!;
    assert.equal((shrunk.request.body as { priority?: unknown }).priority, 10, JSON.stringify(shrunk.request));
    const finding = rule.findings![0]!;
    assert.match(finding.message, /smallest failing request found/);
    assert.match(finding.message, /body \{[^}]*"priority":10/);
    assert.match(finding.message, /inputs\.seed 1/);
    console.log(`shrunk case: ${finding.message}`);
    // The same seed sends the same generated cases (shrinking aside), in the same order.
    const sent = (rec: typeof first.recording) =>
      rec.exchanges
        .filter((e) => e.probe === inputsGeneratedProbe.name && e.purpose.startsWith('generated') && !e.purpose.includes('shrinking'))
        .map(
          (e) =>
            `${e.request.method} ${new URL(e.request.url).pathname.replace(/\/_f\/[^/]+/, '')}${new URL(e.request.url).search} ${e.request.body ?? ''}`,
        )
        // Ids of created items differ between runs.
        .map((line) => line.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>'));
    assert.deepEqual(sent(second.recording), sent(first.recording));
    assert.deepEqual(
      outputOf(second.recording, inputsGeneratedProbe)!.shrunk.map((s) => s.request),
      output.shrunk.map((s) => s.request),
    );
  });

  it('passes all three rules on the clean reference and deletes every item it created', async () => {
    const clean = await record(undefined, 1);
    for (const r of clean.rules) assert.equal(r.status, 'passed', `${r.id}: ${r.message}`);
    assert.deepEqual(clean.recording.leftovers, []);
    const output = outputOf(clean.recording, inputsGeneratedProbe)!;
    const posts = clean.recording.exchanges.filter(
      (e) => e.probe === inputsGeneratedProbe.name && e.request.method === 'POST' && e.response?.status === 201,
    );
    const deletes = clean.recording.exchanges.filter((e) => e.probe === inputsGeneratedProbe.name && e.request.method === 'DELETE');
    assert.ok(posts.length > 0, 'generated creates');
    assert.equal(deletes.length, posts.length);
    console.log(`clean platform: ${output.generated} cases generated, ${output.cases.length} sent, ${output.requests} requests`);
  });
});
