/** uploads.* checks over in-memory recordings: pass, fail, not applicable, a connection closed mid-upload. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Exchange } from '../src/http/exchange.ts';
import { ruleById } from '../src/rules/registry.ts';
import type { Outcome } from '../src/rules/types.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const problem = (status: number): Record<string, unknown> => ({ type: 'about:blank', title: 't', status, detail: 'd' });
const problemHeaders = { 'content-type': 'application/problem+json' };

function judge(
  id: 'uploads.too-large' | 'uploads.content-type',
  e: Exchange | undefined,
  profile: 'platform' | 'backend' = 'platform',
  skippedWhy?: string,
): Outcome {
  const probe = id === 'uploads.too-large' ? 'uploads:too-large' : 'uploads:content-type';
  const out = e ? [{ upload: '/docs/documents', exchange: e.id }] : skippedWhy ? [{ upload: '/docs/documents', skipped: skippedWhy }] : [];
  return ruleById(id)!.behaviour!.check(recording(e ? [e] : [], { [probe]: out }), context(profile));
}

const upload = (status: number, body: unknown, headers?: Record<string, string>): Exchange =>
  exchange({ probe: 'uploads:too-large', method: 'POST', path: '/docs/documents', status, body, ...(headers ? { headers } : {}) });

describe('uploads.too-large', () => {
  it('passes on 413 or 400 with the profile error shape', () => {
    assert.equal(judge('uploads.too-large', upload(413, problem(413), problemHeaders)).status, 'passed');
    assert.equal(judge('uploads.too-large', upload(400, problem(400), problemHeaders)).status, 'passed');
    assert.equal(
      judge('uploads.too-large', upload(413, { error: { code: 'FILE_TOO_LARGE', message: 'm', details: {} } }), 'backend').status,
      'passed',
    );
  });
  it('fails when the file is accepted, on another status, or without the error shape', () => {
    const accepted = judge('uploads.too-large', upload(201, { data: { id: 'x' } }));
    assert.equal(accepted.status, 'failed');
    assert.match(accepted.status === 'failed' ? accepted.findings[0]!.message : '', /answered 201 \(accepted\), expected 413 or 400/);
    assert.equal(judge('uploads.too-large', upload(500, problem(500), problemHeaders)).status, 'failed');
    assert.equal(judge('uploads.too-large', upload(413, 'Request Entity Too Large', { 'content-type': 'text/html' })).status, 'failed');
  });
  it('fails when the service closes the connection mid-upload without an answer; a timeout is an error', () => {
    const reset = exchange({ probe: 'uploads:too-large', method: 'POST', path: '/docs/documents', error: 'connection reset' });
    const closed = { ...reset, error: { code: 'ECONNRESET', message: 'connection reset by the server (ECONNRESET)' } };
    const out = judge('uploads.too-large', closed);
    assert.equal(out.status, 'failed');
    assert.match(out.status === 'failed' ? out.findings[0]!.message : '', /closed the connection during the upload without answering/);
    const timeout = { ...reset, error: { code: 'TIMEOUT', message: 'no complete response within 5000 ms' } };
    assert.equal(judge('uploads.too-large', timeout).status, 'unanswered');
  });
  it('is skipped when nothing was uploaded, saying why', () => {
    const out = judge('uploads.too-large', undefined, 'platform', 'no documents item was created to upload to');
    assert.equal(out.status, 'skipped');
    assert.match(out.status === 'skipped' ? out.message : '', /no documents item was created/);
  });
});

describe('uploads.content-type', () => {
  it('passes on 415 or 400 with the error shape, fails when accepted', () => {
    assert.equal(judge('uploads.content-type', upload(415, problem(415), problemHeaders)).status, 'passed');
    assert.equal(judge('uploads.content-type', upload(201, { data: { id: 'x' } })).status, 'failed');
    assert.equal(judge('uploads.content-type', upload(413, problem(413), problemHeaders)).status, 'failed');
  });
  it('is skipped when allowed_types is not declared', () => {
    assert.equal(judge('uploads.content-type', undefined, 'platform', 'allowed_types is not declared').status, 'skipped');
  });
});
