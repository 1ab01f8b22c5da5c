import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { curlLine } from '../src/http/curl.ts';
import { Redactor } from '../src/http/redact.ts';

describe('redaction', () => {
  const redactor = new Redactor([{ value: 'sekret-token-123', key: 'auth.bearer', envVar: 'STAGING_TOKEN' }]);

  it('replaces a secret and its URL-encoded and base64 forms', () => {
    const text = `Bearer sekret-token-123 / ${encodeURIComponent('sekret-token-123')} / ${Buffer.from('sekret-token-123').toString('base64')}`;
    const out = redactor.text(text);
    assert.ok(!out.includes('sekret-token-123'));
    assert.ok(!out.includes(Buffer.from('sekret-token-123').toString('base64')));
    assert.match(out, /\[REDACTED auth\.bearer\]/);
  });

  it('redacts derived values registered later', () => {
    redactor.add('eyJhbGciOiJub25lIn0.payload.', 'auth.bearer (derived)');
    assert.equal(redactor.text('x eyJhbGciOiJub25lIn0.payload. y'), 'x [REDACTED auth.bearer (derived)] y');
  });

  it('redacts every cookie value whatever it holds', () => {
    const out = redactor.headers({ cookie: 'a=1; session=abc', 'set-cookie': ['sid=xyz; HttpOnly', 'b=2'] });
    assert.equal(out.cookie, 'a=[REDACTED cookie]; session=[REDACTED cookie]');
    assert.deepEqual(out['set-cookie'], ['sid=[REDACTED cookie]; HttpOnly', 'b=[REDACTED cookie]']);
  });
});

describe('curl lines', () => {
  it('reproduce the request with secrets as shell variables, never their values', () => {
    const line = curlLine({
      method: 'POST',
      url: 'https://api.example.com/v2/documents?x=1',
      headers: { authorization: 'Bearer sekret-token-123', 'content-type': 'application/json' },
      body: `{"name":"it's"}`,
      secrets: new Map([['sekret-token-123', 'STAGING_TOKEN']]),
    });
    assert.equal(
      line,
      `curl -i -X POST -H 'authorization: Bearer '"$STAGING_TOKEN" -H 'content-type: application/json' --data-binary '{"name":"it'\\''s"}' 'https://api.example.com/v2/documents?x=1'`,
    );
    assert.ok(!line.includes('sekret-token-123'));
  });

  it('uses -k for targets with tls_verify false and plain GET otherwise', () => {
    assert.equal(
      curlLine({ method: 'GET', url: 'https://x/', headers: {}, secrets: new Map(), insecure: true }),
      `curl -i -k 'https://x/'`,
    );
  });
});
