import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorsCodeFormat as codeFormat } from '../src/rules/errors/code-format.ts';
import { errorsContentType as contentType } from '../src/rules/errors/content-type.ts';
import { errorsNoInternalLeak as noInternalLeak } from '../src/rules/errors/no-internal-leak.ts';
import { errorsProblemMembers as problemMembers } from '../src/rules/errors/problem-members.ts';
import { errorsShape as shape } from '../src/rules/errors/shape.ts';
import { errorsStatusMatches as statusMatches } from '../src/rules/errors/status-matches.ts';
import { errorsValidationDetails as validationDetails } from '../src/rules/errors/validation-details.ts';
import { evaluateRule } from '../src/harness/evaluate.ts';
import { ruleById } from '../src/rules/registry.ts';
import { context, exchange, recording } from './support/exchanges.ts';

const problem = (status: number, extra: object = {}) =>
  exchange({
    status,
    body: { type: 'about:blank', title: 'x', status, detail: 'x', ...extra },
    headers: { 'content-type': 'application/problem+json' },
  });
const envelope = (status: number, error: object) => exchange({ status, body: { error } });

describe('errors checks', () => {
  const platform = context('platform');
  const backend = context('backend');

  it('shape: problem bodies pass on platform, keep ajv paths when they fail, and non-JSON fails', () => {
    assert.equal(
      shape.check(
        recording([problem(404), problem(422, { detail: [{ loc: ['body', 'name'], msg: 'required', type: 'missing' }] })]),
        platform,
      ).status,
      'passed',
    );
    const out = shape.check(recording([exchange({ status: 404, body: { message: 'nope' } })]), platform);
    assert.equal(out.status, 'failed');
    assert.match(out.status === 'failed' ? out.findings[0]!.message : '', /missing 'status'/);
    const html = exchange({ status: 500, body: '<html>oops</html>', headers: { 'content-type': 'text/html' } });
    assert.match(JSON.stringify(shape.check(recording([html]), platform)), /not JSON/);
  });

  it('shape: the backend envelope is required on the backend profile', () => {
    assert.equal(shape.check(recording([envelope(404, { code: 'NOT_FOUND', message: 'x', details: {} })]), backend).status, 'passed');
    assert.equal(shape.check(recording([problem(404)]), backend).status, 'failed');
  });

  it('shape: ignores 2xx, HEAD and non-API exchanges; nothing to judge is skipped', () => {
    const rec = recording([exchange({ status: 200, body: {} }), exchange({ method: 'OPTIONS', status: 400, body: 'x', scope: 'cors' })]);
    assert.equal(shape.check(rec, platform).status, 'skipped');
  });

  it('status-matches compares the member with the HTTP status', () => {
    assert.equal(statusMatches.check(recording([problem(404)]), platform).status, 'passed');
    const lying = exchange({ status: 404, body: { status: 400 } });
    assert.equal(statusMatches.check(recording([lying]), platform).status, 'failed');
  });

  it('problem-members wants type and title', () => {
    assert.equal(problemMembers.check(recording([problem(404)]), platform).status, 'passed');
    const bare = exchange({ status: 404, body: { status: 404 } });
    const out = problemMembers.check(recording([bare]), platform);
    assert.equal(out.status, 'failed');
    assert.deepEqual(out.status === 'failed' && out.findings.map((f) => f.at), ['$.type', '$.title']);
  });

  it('problem-members: bodies that are not problem details at all are blocked by errors.shape (one cause, one finding)', () => {
    const fastapi = exchange({ status: 404, body: { detail: 'Not Found' } });
    const rec = recording([fastapi]);
    const result = evaluateRule(ruleById('errors.problem-members')!, platform.target, rec, platform.schemas);
    assert.equal(result.status, 'skipped');
    assert.equal(result.reason, 'blocked');
    assert.equal(result.blocked_by, 'errors.shape');
    // A problem body that has a type but no title is this rule's own finding.
    const half = exchange({ status: 404, body: { type: 'about:blank', status: 404 } });
    assert.equal(evaluateRule(ruleById('errors.problem-members')!, platform.target, recording([half]), platform.schemas).status, 'failed');
  });

  it("problem-members and status-matches leave bodies that are no problem to errors.shape (GitHub's {message} bodies)", () => {
    const github = exchange({ status: 400, body: { message: 'string', documentation_url: 'string', status: 'string' } });
    const rec = recording([problem(404), github]);
    assert.equal(shape.check(rec, platform).status, 'failed');
    assert.equal(problemMembers.check(rec, platform).status, 'passed');
    assert.equal(statusMatches.check(rec, platform).status, 'passed');
    const only = problemMembers.check(recording([github]), platform);
    assert.match(only.status === 'skipped' ? only.message : '', /none of 1 JSON error bodies is a problem/);
  });

  it('content-type: problem+json and json pass, text/plain fails, empty bodies are not judged', () => {
    assert.equal(contentType.check(recording([problem(404), envelope(400, { code: 'X', message: 'y' })]), platform).status, 'passed');
    const text = exchange({ status: 404, body: '{"status":404}', headers: { 'content-type': 'text/plain' } });
    assert.equal(contentType.check(recording([text]), platform).status, 'failed');
    assert.equal(contentType.check(recording([exchange({ status: 405 })]), platform).status, 'skipped');
  });

  it('validation-details: 422 bodies must name the fields (problem detail[] / envelope details)', () => {
    const good = problem(422, { detail: [{ loc: ['body', 'name'], msg: 'required', type: 'missing' }] });
    assert.equal(validationDetails.check(recording([good]), platform).status, 'passed');
    assert.equal(validationDetails.check(recording([problem(422)]), platform).status, 'failed');
    assert.equal(
      validationDetails.check(
        recording([envelope(422, { code: 'V', message: 'm', details: { fields: [{ loc: ['body', 'name'] }] } })]),
        backend,
      ).status,
      'passed',
    );
    // SPEC §8: named as a key, or by a field/loc/path/name member of an entry in details, details.errors or details.fields.
    for (const details of [
      { name: ['required'] },
      [{ field: 'name', message: 'required' }],
      { errors: [{ path: '/name' }] },
      { fields: { name: 'too long' } },
    ])
      assert.equal(
        validationDetails.check(recording([envelope(422, { code: 'V', message: 'm', details })]), backend).status,
        'passed',
        JSON.stringify(details),
      );
    // Lab miss (issue 12): details that say what went wrong but not where fail.
    for (const details of [
      { message: 'name is required' },
      [{ message: 'a required field is missing', type: 'missing' }],
      { errors: ['name is required'] },
      { fields: [1] },
      { reason: 'too long', code: 'TOO_LONG' },
    ])
      assert.equal(
        validationDetails.check(recording([envelope(422, { code: 'V', message: 'm', details })]), backend).status,
        'failed',
        JSON.stringify(details),
      );
    assert.equal(validationDetails.check(recording([envelope(422, { code: 'V', message: 'm', details: {} })]), backend).status, 'failed');
    assert.equal(validationDetails.check(recording([problem(404)]), platform).status, 'skipped');
  });

  it('code-format: UPPER_SNAKE_CASE codes and non-empty messages', () => {
    assert.equal(codeFormat.check(recording([envelope(404, { code: 'SESSION_NOT_FOUND', message: 'x' })]), backend).status, 'passed');
    const out = codeFormat.check(recording([envelope(404, { code: 'sessionNotFound', message: '' })]), backend);
    assert.equal(out.status, 'failed');
    assert.equal(out.status === 'failed' && out.findings.length, 2);
  });

  it('no-internal-leak: finds tracebacks, SQL, paths and debug headers; clean errors pass', () => {
    assert.equal(noInternalLeak.check(recording([problem(404)]), platform).status, 'passed');
    const cases = [
      { detail: 'Traceback (most recent call last):\n  File "/app/x.py", line 3' },
      { detail: 'ERROR: syntax error at or near "FROM"' },
      { detail: 'Error: boom\n    at handler (/srv/app/index.js:10:5)' },
      { detail: 'java.lang.NullPointerException' },
    ];
    for (const extra of cases)
      assert.equal(noInternalLeak.check(recording([problem(500, extra)]), platform).status, 'failed', JSON.stringify(extra));
    // Lab miss (issue 12): json-server's Express page, HTML-encoded, with frames not preceded by a newline.
    const express = exchange({
      status: 400,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>SyntaxError: Unexpected token } in JSON at position 10<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/home/u/app/node_modules/body-parser/lib/types/json.js:96:19)</pre>\n</body>\n</html>\n',
    });
    assert.equal(noInternalLeak.check(recording([express]), platform).status, 'failed');
    const leaks = [
      "TypeError: Cannot read properties of undefined (reading 'id')",
      'boom at Object.handler (/var/www/api/routes.js:4:11)',
      'at JSON.parse (<anonymous>)',
      'goroutine 1 [running]:\nmain.main()\n\t/go/src/app/main.go:12 +0x1d',
      "app/models/item.rb:12:in `save'",
      'Fatal error: Uncaught Exception in /var/www/html/index.php on line 7',
      'System.NullReferenceException: Object reference not set',
      '   at Api.Controllers.ItemsController.Get(Int32 id) in C:\\src\\Api\\ItemsController.cs:line 42',
      'could not open /usr/lib/python3/dist-packages/foo/bar.py',
      'C:\\inetpub\\wwwroot\\api\\web.config',
      '&lt;pre&gt;ReferenceError: x is not defined&lt;/pre&gt;',
    ];
    for (const detail of leaks)
      assert.equal(noInternalLeak.check(recording([problem(500, { detail })]), platform).status, 'failed', detail);
    const ordinary = [
      'Item 3f2a not found',
      'name must be at most 200 characters',
      'The resource /v1/items/abc does not exist',
      'see https://docs.example.com/errors/validation.html',
      'invalid value at position 3 of field tags',
      'ValidationError: name is required',
      'Request body is not valid JSON: unexpected end of input at line 1 column 9',
    ];
    for (const detail of ordinary)
      assert.equal(noInternalLeak.check(recording([problem(400, { detail })]), platform).status, 'passed', detail);
    const header = exchange({ status: 500, body: { status: 500 }, headers: { 'x-debug-trace': 'abc' } });
    assert.equal(noInternalLeak.check(recording([header]), platform).status, 'failed');
  });

  it('collapses repeats of one finding into a count', () => {
    const out = shape.check(recording([1, 2, 3].map(() => exchange({ status: 404, body: { message: 'x' } }))), platform);
    assert.equal(out.status === 'failed' && out.findings[0]!.count, 3);
  });
});
