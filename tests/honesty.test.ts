/**
 * No claim without evidence (SPEC §7), proven for every rule of the registry at once: each
 * rule's check runs, through evaluation, over recordings that hold nothing to judge (empty,
 * every probe failed, every request a transport error) and over one where every request was
 * answered with an error status. A `passed` or `failed` result must name at least one exchange
 * the service answered; over the first three, no rule may pass or fail at all.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { parseTargets } from '../src/config/load.ts';
import type { Target } from '../src/config/target.ts';
import { evaluateRule, type RuleResult } from '../src/harness/evaluate.ts';
import type { Exchange } from '../src/http/exchange.ts';
import type { ProbeDef } from '../src/probes/types.ts';
import { RULES } from '../src/rules/registry.ts';
import type { Recording } from '../src/rules/types.ts';
import { loadSchemas } from '../src/spec/schemas.ts';
import { referenceCredentials } from '../reference/tokens.ts';
import { exchange } from './support/exchanges.ts';
import { shippedTargets } from './support/harness.ts';

const schemas = loadSchemas();

function probesOfRegistry(): string[] {
  const names = new Set<string>();
  const add = (p: ProbeDef): void => {
    if (names.has(p.name)) return;
    names.add(p.name);
    for (const n of p.needs ?? []) add(n);
  };
  for (const r of RULES) for (const p of r.behaviour?.probes ?? []) add(p);
  return [...names];
}

const PROBES = probesOfRegistry();
const PATHS = ['/v2/documents', '/v2/documents/0b6f6b7e-1c1a-4c8e-9d7a-2f8f1c2b3a4d', '/health', '/ready', '/openapi.json'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'];

function perProbe(make: (probe: string, method: string, path: string) => Exchange): Exchange[] {
  return PROBES.flatMap((probe) => METHODS.flatMap((method) => PATHS.map((path) => make(probe, method, path))));
}

const RECORDINGS: Record<string, { recording: Recording; anyVerdict: boolean }> = {
  empty: { recording: { target: 't', exchanges: [], outputs: {}, probeErrors: {}, leftovers: [] }, anyVerdict: false },
  'every probe failed': {
    recording: {
      target: 't',
      exchanges: [],
      outputs: {},
      probeErrors: Object.fromEntries(PROBES.map((p) => [p, 'the probe threw'])),
      leftovers: [],
    },
    anyVerdict: false,
  },
  'every request a transport error': {
    recording: {
      target: 't',
      exchanges: perProbe((probe, method, path) => exchange({ probe, method, path, error: 'connect ECONNREFUSED 127.0.0.1:9' })),
      outputs: {},
      probeErrors: {},
      leftovers: [],
    },
    anyVerdict: false,
  },
  'every request answered 503': {
    recording: {
      target: 't',
      exchanges: perProbe((probe, method, path) =>
        exchange({ probe, method, path, status: 503, body: { status: 503, title: 'Service Unavailable' } }),
      ),
      outputs: {},
      probeErrors: {},
      leftovers: [],
    },
    anyVerdict: true,
  },
};

function shipped(): Target[] {
  const file = shippedTargets();
  return parseTargets(stringify(file), 'targets.yaml', {
    ...process.env,
    ...referenceCredentials(),
    CONFORMANCE_REFERENCE_URL: 'http://127.0.0.1:9',
  }).filter((t) => t.name === 'local-platform' || t.name === 'local-backend');
}

describe('no claim without evidence: every rule, over recordings with nothing to judge', () => {
  const targets = shipped();
  it('judges both shipped reference targets', () => assert.equal(targets.length, 2));
  for (const [name, { recording, anyVerdict }] of Object.entries(RECORDINGS)) {
    it(`${name}: no passed or failed result without an answered exchange`, () => {
      const claims: string[] = [];
      for (const target of targets) {
        for (const rule of RULES) {
          const r: RuleResult = evaluateRule(rule, target, recording, schemas);
          if (r.status !== 'passed' && r.status !== 'failed') continue;
          const answered = r.evidence.some((e) => e.response) || (rule.behaviour?.judgesRefusals && r.evidence.length > 0);
          if (!anyVerdict && !rule.behaviour?.judgesRefusals) claims.push(`${target.name} ${r.id}: ${r.status}: ${r.message}`);
          else if (!answered) claims.push(`${target.name} ${r.id}: ${r.status} without evidence: ${r.message}`);
        }
      }
      assert.deepEqual(claims, []);
    });
  }
});

describe('evaluation turns a claim without evidence into what it is', () => {
  const [platform] = shipped();
  const base = RULES.find((r) => r.id === 'security.nosniff')!;
  const refused = exchange({ probe: 'test', error: 'connect ECONNREFUSED 127.0.0.1:9' });
  const answered = exchange({ probe: 'test', status: 200 });
  const rec: Recording = { target: 't', exchanges: [refused, answered], outputs: {}, probeErrors: {}, leftovers: [] };
  const claiming = (status: 'passed' | 'failed', ids: number[]) => ({
    ...base,
    behaviour: {
      probes: [],
      check: () =>
        status === 'passed'
          ? { status, message: 'fine on 0 responses', exchanges: ids }
          : { status, message: 'broken', findings: [{ message: 'broken', exchanges: ids }] },
    },
  });

  it('passed or failed naming no exchange: skipped, nothing-to-check', () => {
    for (const status of ['passed', 'failed'] as const) {
      const r = evaluateRule(claiming(status, []), platform!, rec, schemas);
      assert.deepEqual([r.status, r.reason], ['skipped', 'nothing-to-check'], r.message);
    }
  });

  it('passed or failed naming only unanswered requests: error, transport-error', () => {
    for (const status of ['passed', 'failed'] as const) {
      const r = evaluateRule(claiming(status, [refused.id]), platform!, rec, schemas);
      assert.deepEqual([r.status, r.reason], ['error', 'transport-error'], r.message);
      assert.match(r.message, /could not check/);
    }
  });

  it('an answered exchange is evidence', () => {
    assert.equal(evaluateRule(claiming('passed', [refused.id, answered.id]), platform!, rec, schemas).status, 'passed');
    assert.equal(evaluateRule(claiming('failed', [answered.id]), platform!, rec, schemas).status, 'failed');
  });
});

describe('one cause, one finding: rules that depend on a failed rule are blocked by it', () => {
  const backend = shipped().find((t) => t.name === 'local-backend')!;
  const bare = Array.from({ length: 111 }, (_, i) => ({ id: i + 1, title: `post ${i + 1}` }));
  // json-server: every list is a bare JSON array (issue 12).
  const pages = [exchange({ probe: 'pagination:walk', path: '/v1/items', body: bare })];
  const listed = exchange({ probe: 'resources:list', path: '/v1/items', body: bare });
  const rec: Recording = {
    target: 't',
    exchanges: [...pages, listed],
    outputs: {
      'pagination:walk': {
        items: { style: 'page', pageCap: 50, attempts: [{ pages: [pages[0]!.id], end: 'bad-response', durationMs: 1 }] },
      },
    },
    probeErrors: {},
    leftovers: [],
  };

  it('a bare-array list fails pagination.envelope and blocks the other pagination rules, naming it', () => {
    const results = RULES.filter((r) => r.area === 'pagination').map((r) => evaluateRule(r, backend, rec, schemas));
    const envelope = results.find((r) => r.id === 'pagination.envelope')!;
    assert.equal(envelope.status, 'failed', envelope.message);
    const others = results.filter((r) => r.id !== 'pagination.envelope');
    assert.deepEqual(
      others.filter((r) => r.status === 'failed' || r.status === 'error').map((r) => `${r.id}: ${r.message}`),
      [],
    );
    const blocked = others.filter((r) => r.reason === 'blocked');
    for (const id of [
      'pagination.walk-complete',
      'pagination.limit-bounds',
      'pagination.page-bounds',
      'pagination.default-limit',
      'pagination.stable-under-writes',
      'pagination.terminal-page',
    ]) {
      const r = blocked.find((x) => x.id === id);
      assert.ok(r, `${id} is blocked (${others.find((x) => x.id === id)?.message})`);
      assert.equal(r.status, 'skipped');
      assert.equal(r.blocked_by, 'pagination.envelope');
      assert.match(r.message, /pagination\.envelope failed/);
    }
  });

  it('every dependency names a rule of the registry, and a passing dependency blocks nothing', () => {
    for (const r of RULES)
      for (const d of r.behaviour?.dependsOn ?? [])
        assert.ok(
          RULES.some((x) => x.id === d.rule),
          d.rule,
        );
    const r = evaluateRule(RULES.find((x) => x.id === 'pagination.walk-complete')!, backend, RECORDINGS.empty!.recording, schemas);
    assert.notEqual(r.reason, 'blocked');
  });
});

describe('one cause, one finding: an unreadable OpenAPI document', () => {
  const platform = shipped().find((t) => t.name === 'local-platform')!;
  const served = exchange({
    probe: 'openapi:document',
    path: '/openapi.json',
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"openapi": "3.1.0", "paths": {',
  });
  const rec: Recording = {
    target: 't',
    exchanges: [served],
    outputs: { 'openapi:document': { exchange: served.id } },
    probeErrors: {},
    leftovers: [],
  };

  it('fails docs.openapi and blocks the rules that read the document, naming it', () => {
    const results = RULES.filter((r) => r.area === 'docs').map((r) => evaluateRule(r, platform, rec, schemas));
    const openapi = results.find((r) => r.id === 'docs.openapi')!;
    assert.equal(openapi.status, 'failed', openapi.message);
    for (const id of ['docs.descriptions', 'docs.examples', 'docs.response-schema', 'docs.error-statuses']) {
      const r = results.find((x) => x.id === id)!;
      assert.deepEqual([r.status, r.reason, r.blocked_by], ['skipped', 'blocked', 'docs.openapi'], `${id}: ${r.message}`);
    }
  });

  it('versioning.prefix does not say "no OpenAPI document served" about a document it could not read', () => {
    const r = evaluateRule(RULES.find((x) => x.id === 'versioning.prefix')!, platform, rec, schemas);
    assert.doesNotMatch(r.message, /no OpenAPI document served/);
  });
});

describe('one cause, one finding: no item could be created', () => {
  const backend = shipped().find((t) => t.name === 'local-backend')!;
  const create = exchange({
    probe: 'resources:create',
    method: 'POST',
    path: '/v1/items',
    status: 400,
    body: { error: { code: 'BAD', message: 'no' } },
  });
  const rec: Recording = {
    target: 't',
    exchanges: [create],
    outputs: { 'resources:create': { items: { exchange: create.id } } },
    probeErrors: {},
    leftovers: [],
  };

  it('fails status.create-201 and blocks the rules that work on the created item', () => {
    const judge = (id: string): RuleResult => evaluateRule(RULES.find((r) => r.id === id)!, backend, rec, schemas);
    assert.equal(judge('status.create-201').status, 'failed');
    for (const id of ['status.update-200', 'status.delete-204', 'methods.put-idempotent', 'methods.delete-idempotent']) {
      const r = judge(id);
      assert.deepEqual([r.status, r.reason, r.blocked_by], ['skipped', 'blocked', 'status.create-201'], `${id}: ${r.message}`);
    }
  });
});
