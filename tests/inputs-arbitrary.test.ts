import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbitraryFor } from '../src/inputs/arbitrary.ts';
import { codePoints, dialectOf, type Obj } from '../src/inputs/schema.ts';
import { SchemaValidator } from '../src/openapi/schema.ts';
import { findSmallestFailure, replay } from '../src/inputs/shrink.ts';
import { violations } from '../src/inputs/invalid.ts';

/** A document holding `schemas` as components, and the harness's own validator for it. */
export function docWith(version: '3.0.3' | '3.1.0', schemas: Record<string, unknown>): { doc: Obj; validator: SchemaValidator } {
  const doc = { openapi: version, info: { title: 't', version: '1' }, paths: {}, components: { schemas } };
  return { doc, validator: new SchemaValidator(doc, version, `t-${version}-${Math.random()}`) };
}

const SCHEMAS_30: Record<string, unknown> = {
  Int: { type: 'integer', minimum: 1, maximum: 100 },
  IntExcl: { type: 'integer', minimum: 0, maximum: 10, exclusiveMinimum: true, exclusiveMaximum: true },
  Mult: { type: 'integer', minimum: -50, maximum: 50, multipleOf: 5 },
  Num: { type: 'number', minimum: 0.5, maximum: 2.5, exclusiveMaximum: true },
  NumMult: { type: 'number', multipleOf: 0.25, minimum: 0, maximum: 10 },
  Str: { type: 'string', minLength: 2, maxLength: 5 },
  Nullable: { type: 'string', nullable: true, maxLength: 3 },
  NullableEnum: { type: 'string', nullable: true, enum: ['a', 'b'] },
  Pattern: { type: 'string', pattern: '^[A-Z]{2}-[0-9]{3}$' },
  Formats: {
    type: 'object',
    required: ['id', 'at', 'day', 'mail', 'site', 'ip4', 'ip6', 'host', 'b64'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      at: { type: 'string', format: 'date-time' },
      day: { type: 'string', format: 'date' },
      mail: { type: 'string', format: 'email' },
      site: { type: 'string', format: 'uri' },
      ip4: { type: 'string', format: 'ipv4' },
      ip6: { type: 'string', format: 'ipv6' },
      host: { type: 'string', format: 'hostname' },
      b64: { type: 'string', format: 'byte' },
      t: { type: 'string', format: 'time' },
      i32: { type: 'integer', format: 'int32' },
    },
  },
  Tags: { type: 'array', items: { type: 'string', enum: ['x', 'y', 'z'] }, minItems: 1, maxItems: 3, uniqueItems: true },
  Pet: {
    type: 'object',
    required: ['name', 'kind'],
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 40 },
      kind: { type: 'string', enum: ['cat', 'dog'] },
      age: { type: 'integer', minimum: 0, maximum: 30, nullable: true },
      owner: { $ref: '#/components/schemas/Owner' },
      tags: { $ref: '#/components/schemas/Tags' },
    },
  },
  Owner: {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string', format: 'uuid' }, labels: { type: 'object', additionalProperties: { type: 'integer' } } },
  },
  Combined: {
    allOf: [
      { $ref: '#/components/schemas/Owner' },
      { type: 'object', required: ['n'], properties: { n: { type: 'integer', maximum: 3 } } },
    ],
  },
  Either: {
    oneOf: [
      { type: 'integer', minimum: 10 },
      { type: 'string', maxLength: 2 },
    ],
  },
  Any: { anyOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'boolean' }] },
};

const SCHEMAS_31: Record<string, unknown> = {
  Int: { type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 },
  Multi: { type: ['string', 'null'], maxLength: 4 },
  Const: { const: 'fixed' },
  NumOrStr: { type: ['number', 'string'], minimum: 3, maxLength: 2 },
  Astral: { type: 'string', minLength: 3, maxLength: 3 },
  Node: {
    type: 'object',
    required: ['v'],
    properties: { v: { type: 'integer' }, next: { anyOf: [{ $ref: '#/components/schemas/Node' }, { type: 'null' }] } },
  },
  RefSibling: { $ref: '#/components/schemas/Astral', description: 'three code points' },
  Person: {
    type: 'object',
    required: ['name'],
    additionalProperties: false,
    properties: { name: { type: 'string' }, email: { type: ['string', 'null'], format: 'email' } },
  },
};

for (const [version, schemas] of [
  ['3.0.3', SCHEMAS_30],
  ['3.1.0', SCHEMAS_31],
] as const) {
  const { doc, validator } = docWith(version, schemas);
  for (const name of Object.keys(schemas)) {
    test(`${version} ${name}: every generated value is valid`, () => {
      const arb = arbitraryFor({ $ref: `#/components/schemas/${name}` }, { root: doc, dialect: dialectOf(doc) });
      for (const value of fc.sample(arb, { seed: 7, numRuns: 150 })) {
        const check = validator.validate(`/components/schemas/${name}`, value);
        assert.ok(check.ok, JSON.stringify(check));
        assert.deepEqual(check.errors, [], `${JSON.stringify(value)} is invalid`);
      }
    });
  }
}

test('3.0 nullable and 3.1 type arrays both generate null and a value', () => {
  const v30 = docWith('3.0.3', SCHEMAS_30);
  const v31 = docWith('3.1.0', SCHEMAS_31);
  const a = fc.sample(arbitraryFor({ $ref: '#/components/schemas/Nullable' }, { root: v30.doc, dialect: '3.0' }), {
    seed: 1,
    numRuns: 100,
  });
  const b = fc.sample(arbitraryFor({ $ref: '#/components/schemas/Multi' }, { root: v31.doc, dialect: '3.1' }), { seed: 1, numRuns: 100 });
  for (const values of [a, b]) {
    assert.ok(values.includes(null));
    assert.ok(values.some((v) => typeof v === 'string'));
  }
});

test('strings include empty, non-ASCII and astral-plane characters and both boundary lengths', () => {
  const values = fc.sample(arbitraryFor({ type: 'string', maxLength: 30 }, { root: {}, dialect: '3.1' }), {
    seed: 3,
    numRuns: 300,
  }) as string[];
  assert.ok(values.includes(''));
  assert.ok(values.some((v) => /[^\x00-\x7f]/.test(v)));
  assert.ok(values.some((v) => [...v].some((c) => c.codePointAt(0)! > 0xffff)));
  assert.ok(values.some((v) => codePoints(v) === 30));
  const astral = fc.sample(arbitraryFor({ type: 'string', minLength: 3, maxLength: 3 }, { root: {}, dialect: '3.1' }), {
    seed: 3,
    numRuns: 200,
  }) as string[];
  assert.ok(astral.every((v) => codePoints(v) === 3));
  assert.ok(
    astral.some((v) => v.length > 3),
    'a 3-code-point string longer than 3 UTF-16 units',
  );
});

test('the documented edges come up early: maximum and minimum within 25 values', () => {
  const values = fc.sample(arbitraryFor({ type: 'integer', minimum: 1, maximum: 1000 }, { root: {}, dialect: '3.1' }), {
    seed: 1,
    numRuns: 25,
  });
  assert.ok(values.includes(1000), `got ${values.join(',')}`);
  assert.ok(values.includes(1));
});

test('shrinking finds the documented maximum when only n === maximum fails', async () => {
  const arb = arbitraryFor({ type: 'integer', minimum: 0, maximum: 5000 }, { root: {}, dialect: '3.1' });
  const found = await findSmallestFailure(arb, async (n) => n !== 5000, { seed: 1, numRuns: 25, maxCalls: 60 });
  assert.equal(found.failed, true);
  assert.equal(found.counterexample, 5000);
  assert.ok(found.calls <= 60);
});

test('shrinking a "length ≥ 200 fails" predicate ends at length 200, replayable from seed and path', async () => {
  const arb = arbitraryFor({ type: 'string', maxLength: 1000 }, { root: {}, dialect: '3.1' });
  const predicate = async (s: unknown): Promise<boolean> => codePoints(s as string) < 200;
  const found = await findSmallestFailure(arb, predicate, { seed: 42, numRuns: 50, maxCalls: 400 });
  assert.equal(found.failed, true);
  assert.equal(codePoints(found.counterexample as string), 200);
  assert.ok(found.calls <= 400);
  const again = await replay(arb, predicate, { seed: found.seed, path: found.path! });
  assert.equal(again.failed, true);
  assert.equal(codePoints(again.counterexample as string), 200);
});

test('maxCalls bounds the predicate calls, also while shrinking', async () => {
  let sent = 0;
  const arb = arbitraryFor({ type: 'string', maxLength: 1000 }, { root: {}, dialect: '3.1' });
  const found = await findSmallestFailure(
    arb,
    async (s) => {
      sent++;
      return codePoints(s as string) < 100;
    },
    { seed: 42, numRuns: 100, maxCalls: 10 },
  );
  assert.equal(sent, found.calls);
  assert.ok(found.calls <= 10);
  assert.equal(found.budgetExhausted, true);
  const none = await findSmallestFailure(arb, async () => true, { seed: 1, numRuns: 100, maxCalls: 5 });
  assert.equal(none.failed, false);
  assert.equal(none.calls, 5);
});

test('type violations are values frameworks do not coerce', () => {
  const { doc } = docWith('3.0.3', SCHEMAS_30);
  const body = { name: 'Rex', kind: 'dog', age: 3 };
  const found = violations({ $ref: '#/components/schemas/Pet' }, { root: doc, dialect: '3.0' }, body);
  const types = found.filter((v) => v.constraint === 'type');
  assert.ok(types.length >= 3);
  for (const v of types) {
    const at = v.at.split('/').filter(Boolean);
    let node: unknown = v.value;
    for (const k of at) node = (node as Obj)[k];
    assert.ok(typeof node === 'object' || (typeof node === 'string' && Number.isNaN(Number(node))), `${v.at}: ${JSON.stringify(node)}`);
    assert.notEqual(node, null);
  }
});

const KEYWORDS: Record<string, readonly string[]> = {
  type: ['type'],
  required: ['required'],
  enum: ['enum', 'const'],
  minimum: ['minimum', 'exclusiveMinimum'],
  maximum: ['maximum', 'exclusiveMaximum'],
  minLength: ['minLength'],
  maxLength: ['maxLength'],
  pattern: ['pattern'],
  format: ['format'],
  additionalProperties: ['additionalProperties'],
};

for (const [version, schemas] of [
  ['3.0.3', SCHEMAS_30],
  ['3.1.0', SCHEMAS_31],
] as const) {
  const { doc, validator } = docWith(version, schemas);
  test(`${version}: each violation, from many valid bases, breaks exactly its stated constraint`, () => {
    const seen = new Set<string>();
    for (const name of Object.keys(schemas)) {
      const ref = { $ref: `#/components/schemas/${name}` };
      const ctx = { root: doc, dialect: dialectOf(doc) };
      for (const base of fc.sample(arbitraryFor(ref, ctx), { seed: 11, numRuns: 30 })) {
        for (const v of violations(ref, ctx, base, { malformedJson: true })) {
          seen.add(v.constraint);
          if (v.constraint === 'malformed-json') {
            assert.throws(() => JSON.parse(v.rawBody!));
            continue;
          }
          const check = validator.validate(`/components/schemas/${name}`, v.value);
          assert.ok(check.ok);
          const label = `${name} ${v.constraint} at ${v.at}: ${JSON.stringify(v.value)}`;
          assert.ok(check.errors.length > 0, `${label} is rejected`);
          for (const e of check.errors)
            assert.ok(KEYWORDS[v.constraint]!.includes(e.keyword), `${label} also breaks ${e.keyword} at ${e.instancePath}`);
        }
      }
    }
    for (const k of [
      'type',
      'required',
      'enum',
      'minimum',
      'maximum',
      'minLength',
      'maxLength',
      'pattern',
      'format',
      'additionalProperties',
      'malformed-json',
    ]) {
      if (version === '3.0.3') assert.ok(seen.has(k), `some ${k} violation (saw ${[...seen].join(', ')})`);
    }
  });
}
