/** inputs.* checks over in-memory recordings: pass, fail with the constraint named, skipped with a reason. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openApiDocument } from '../reference/openapi.ts';
import type { Exchange } from '../src/http/exchange.ts';
import type { InputsOutput, SentCase } from '../src/probes/inputs.ts';
import { ruleById } from '../src/rules/registry.ts';
import type { Outcome, Recording } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const problem = (status: number): Record<string, unknown> => ({ type: 'about:blank', title: 'x', status, detail: 'd' });
const problemHeaders = { 'content-type': 'application/problem+json' };
const ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

function check(id: string, rec: Recording): Outcome {
  return ruleById(id)!.behaviour!.check(rec, context('platform'));
}

function generatedRecording(sent: { exchange: Exchange; case: Partial<SentCase> }[], extra: Partial<InputsOutput> = {}): Recording {
  const doc = exchange({
    probe: 'openapi:document',
    path: '/openapi.json',
    body: openApiDocument('platform', new Set(), '/base'),
    scope: 'docs',
  });
  const cases: SentCase[] = sent.map((s, index) => ({
    exchange: s.exchange.id,
    operation: `${s.exchange.request.method} /v2/documents`,
    kind: 'valid',
    seed: 1,
    index,
    ...s.case,
  }));
  const output: InputsOutput = {
    seed: 1,
    examples: 25,
    maxRequests: 300,
    generated: cases.length,
    cases,
    notSent: 0,
    skippedOperations: [],
    shrunk: [],
    requests: cases.length,
    ...extra,
  };
  return recording([doc, ...sent.map((s) => s.exchange)], { 'openapi:document': { exchange: doc.id }, 'inputs:generated': output });
}

const gen = (method: string, status: number, body?: unknown, path = '/v2/documents'): Exchange =>
  exchange({
    probe: 'inputs:generated',
    method,
    path,
    status,
    body: body ?? (status >= 400 ? problem(status) : { data: {} }),
    headers: status >= 400 ? problemHeaders : {},
  });

describe('inputs.no-server-errors', () => {
  it('passes when no generated request got a 5xx', () => {
    const out = check('inputs.no-server-errors', generatedRecording([{ exchange: gen('GET', 200), case: {} }]));
    assert.equal(out.status, 'passed');
  });

  it('fails with the shrunk case, the seed and the way to replay it', () => {
    const first = gen('POST', 500);
    const smallest = gen('POST', 500);
    const rec = generatedRecording([{ exchange: first, case: {} }], {
      shrunk: [
        {
          operation: 'POST /v2/documents',
          original: first.id,
          exchange: smallest.id,
          request: { path: {}, query: {}, body: { name: 'a', priority: 10 } },
          shrinks: 4,
          calls: 9,
          budgetExhausted: false,
          seed: 42,
          path: '3:0:1',
        },
      ],
    });
    const out = check('inputs.no-server-errors', { ...rec, exchanges: [...rec.exchanges, smallest] });
    assert.equal(out.status, 'failed');
    const finding = out.status === 'failed' ? out.findings[0]! : undefined;
    assert.match(finding!.message, /smallest failing request found/);
    assert.match(finding!.message, /body \{"name":"a","priority":10\}/);
    assert.match(finding!.message, /fast-check seed 42 path "3:0:1"/);
    assert.match(finding!.message, /inputs\.seed 1/);
    assert.deepEqual(finding!.exchanges, [smallest.id, first.id]);
  });

  it('is skipped with the reason when nothing was generated', () => {
    const out = check(
      'inputs.no-server-errors',
      generatedRecording([], { skippedOperations: [{ operation: 'GET /x', reason: 'unsatisfiable' }] }),
    );
    assert.equal(out.status, 'skipped');
    assert.match(out.message, /no operation to generate requests for.*GET \/x \(unsatisfiable\)/);
    const none = check('inputs.no-server-errors', generatedRecording([], { notSent: 12, generated: 12, maxRequests: 0 }));
    assert.match(none.message, /max_requests is 0/);
  });

  it('is skipped, naming the document problem, when there is no document', () => {
    const rec = recording([], { 'inputs:generated': { problem: 'the OpenAPI document was not fetched', cases: [] } });
    const out = check('inputs.no-server-errors', rec);
    assert.equal(out.status, 'skipped');
    assert.match(out.message, /not fetched/);
  });
});

describe('inputs.invalid-rejected', () => {
  it('says when max_requests left every invalid case unsent, instead of "no constraint"', () => {
    const valid = { exchange: gen('GET', 200, { items: [] }), case: { kind: 'valid' as const } };
    const cut = check('inputs.invalid-rejected', generatedRecording([valid], { invalidNotSent: 40, maxRequests: 300 }));
    assert.equal(cut.status, 'skipped');
    assert.match(cut.message, /40 invalid requests were generated but none was sent.*raise inputs\.max_requests/);
    const none = check('inputs.invalid-rejected', generatedRecording([valid]));
    assert.match(none.message, /documents no constraint/);
  });

  it('passes on 422 for a body constraint, 400 for malformed JSON, 404 for a path value, with the error shape', () => {
    const out = check(
      'inputs.invalid-rejected',
      generatedRecording([
        { exchange: gen('POST', 422), case: { kind: 'invalid', constraint: 'maxLength', at: '/body/name' } },
        { exchange: gen('POST', 400), case: { kind: 'invalid', constraint: 'malformed-json', at: '/body' } },
        {
          exchange: gen('GET', 404, undefined, '/v2/documents/x'),
          case: { kind: 'invalid', constraint: 'format', at: '/path/document_id' },
        },
      ]),
    );
    assert.equal(out.status, 'passed', out.message);
  });

  it('fails naming the constraint the service ignored (2xx), and a wrong status or shape', () => {
    const out = check(
      'inputs.invalid-rejected',
      generatedRecording([
        {
          exchange: gen('POST', 201),
          case: { kind: 'invalid', constraint: 'enum', at: '/body/visibility', description: 'body /visibility: "zz" is not in the enum' },
        },
        { exchange: gen('POST', 400), case: { kind: 'invalid', constraint: 'required', at: '/body/name' } },
        { exchange: gen('POST', 422, { message: 'bad' }), case: { kind: 'invalid', constraint: 'type', at: '/body/name' } },
      ]),
    );
    assert.equal(out.status, 'failed');
    const messages = out.status === 'failed' ? out.findings.map((f) => f.message).join('\n') : '';
    assert.match(messages, /ignored the documented `enum` constraint/);
    assert.match(messages, /rejected with 400, expected 422/);
    assert.doesNotMatch(messages, /error shape|envelope/, "the shape is errors.shape's");
  });

  it("leaves causes a fixed rule judges to it: a 400 for a body of a declared resource, the profile's page size", () => {
    const rec = generatedRecording([
      { exchange: gen('POST', 400), case: { kind: 'invalid', constraint: 'required', at: '/body/name' } },
      { exchange: gen('GET', 200), case: { kind: 'invalid', constraint: 'maximum', at: '/query/limit' } },
    ]);
    const extra = '    resources:\n      - name: documents\n        collection: /v2/documents\n        item: /v2/documents/{id}\n';
    const out = ruleById('inputs.invalid-rejected')!.behaviour!.check(rec, context('platform', extra));
    assert.equal(out.status, 'passed', out.message);
    assert.match(out.message, /left to status\.validation-422, pagination\.\*/);
  });

  it('an undocumented member dropped by the framework (not echoed) is not a failure; echoed back it is', () => {
    const c = { kind: 'invalid' as const, constraint: 'additionalProperties', at: '/body/unexpected_property' };
    const dropped = check(
      'inputs.invalid-rejected',
      generatedRecording([{ exchange: gen('POST', 201, { data: { id: ID, name: 'a' } }), case: c }]),
    );
    assert.notEqual(dropped.status, 'failed');
    const echoed = check(
      'inputs.invalid-rejected',
      generatedRecording([{ exchange: gen('POST', 201, { data: { id: ID, unexpected_property: 1 } }), case: c }]),
    );
    assert.equal(echoed.status, 'failed');
  });

  it('does not judge 5xx, 401 and a 404 for a made-up item', () => {
    const out = check(
      'inputs.invalid-rejected',
      generatedRecording([
        { exchange: gen('POST', 500), case: { kind: 'invalid', constraint: 'type', at: '/body/name' } },
        {
          exchange: gen('PUT', 404, undefined, `/v2/documents/${ID}`),
          case: { kind: 'invalid', constraint: 'type', at: '/body/name', unknowable: true },
        },
      ]),
    );
    assert.equal(out.status, 'skipped');
  });
});

describe('inputs.valid-accepted', () => {
  it('passes on 2xx and a documented 404 for a made-up id; unknowable cases never count', () => {
    const out = check(
      'inputs.valid-accepted',
      generatedRecording([
        { exchange: gen('GET', 200), case: {} },
        { exchange: gen('GET', 422, undefined, `/v2/documents/${ID}`), case: { unknowable: true } },
      ]),
    );
    assert.equal(out.status, 'passed', out.message);
  });

  it('fails on a 422 for a valid request', () => {
    const out = check('inputs.valid-accepted', generatedRecording([{ exchange: gen('POST', 422), case: {} }]));
    assert.equal(out.status, 'failed');
    assert.match(out.message, /1 of 1 valid generated requests were rejected/);
  });
});
