import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { documentedOperations, generateCases, queryString, requestArbitrary, type InputCase } from '../src/inputs/cases.ts';
import { violations } from '../src/inputs/invalid.ts';
import { findSmallestFailure, replay } from '../src/inputs/shrink.ts';
import { SchemaValidator } from '../src/openapi/schema.ts';
import { convert30Document } from '../src/openapi/schema.ts';
import type { Obj } from '../src/inputs/schema.ts';

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

const KEYWORDS: Record<string, string[]> = {
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

/** Validators over the whole document; `coerce` reads parameters as frameworks do (strings to numbers). */
function validators(doc: Obj): (pointer: string, value: unknown, coerce?: boolean) => string[] {
  const is30 = String(doc.openapi).startsWith('3.0');
  const make = (coerceTypes: boolean): Ajv => {
    const options = { strict: false, allErrors: true, coerceTypes, logger: false as const, validateSchema: false };
    const ajv = is30 ? new Ajv(options) : (new Ajv2020(options) as unknown as Ajv);
    addFormats(ajv);
    ajv.addSchema(is30 ? convert30Document(doc) : doc, 'https://t.invalid/doc.json');
    return ajv;
  };
  const plain = make(false);
  const coercing = make(true);
  const cache = new Map<string, ValidateFunction>();
  return (pointer, value, coerce = false) => {
    const key = `${coerce}${pointer}`;
    let fn = cache.get(key);
    if (!fn) {
      fn = (coerce ? coercing : plain).compile({
        $ref: `https://t.invalid/doc.json#${pointer.split('/').map(encodeURIComponent).join('/')}`,
      });
      cache.set(key, fn);
    }
    const holder = { v: structuredClone(value) };
    // Validate inside a holder so coercion of a top-level scalar sticks.
    const wrapped = coerce
      ? (fn as unknown as (v: unknown, ctx: unknown) => boolean)(holder.v, {
          instancePath: '',
          parentData: holder,
          parentDataProperty: 'v',
          rootData: holder,
          dynamicAnchors: {},
        })
      : fn(holder.v);
    return wrapped ? [] : (fn.errors ?? []).map((e) => e.keyword);
  };
}

function spec(version: '3.0.3' | '3.1.0'): Obj {
  const is30 = version === '3.0.3';
  return {
    openapi: version,
    info: { title: 'pets', version: '1' },
    paths: {
      '/pets': {
        get: {
          operationId: 'listPets',
          parameters: [
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } },
            { name: 'kind', in: 'query', required: true, schema: { $ref: '#/components/schemas/Kind' } },
            { name: 'q', in: 'query', schema: { type: 'string', minLength: 2, maxLength: 20, pattern: '^[a-z ]+$' } },
            { name: 'cursor', in: 'query', schema: is30 ? { type: 'string', nullable: true } : { type: ['string', 'null'] } },
            { name: 'tags', in: 'query', schema: { type: 'array', items: { type: 'string' } } },
          ],
          responses: { '200': { description: 'ok' } },
        },
        post: {
          operationId: 'createPet',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } },
          responses: { '201': { description: 'created' } },
        },
        delete: { responses: { '204': { description: 'gone' } } },
      },
      '/pets/{pet_id}': {
        parameters: [{ name: 'pet_id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        get: { operationId: 'getPet', responses: { '200': { description: 'ok' } } },
        patch: {
          operationId: 'updatePet',
          requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/PetPatch' } } } },
          responses: { '200': { description: 'ok' } },
        },
      },
      '/owners/{n}': {
        get: {
          parameters: [{ name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: 9999 } }],
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: {
        Kind: { type: 'string', enum: ['cat', 'dog', 'bird'] },
        NewPet: {
          type: 'object',
          required: ['name', 'kind', 'birth'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 50 },
            kind: { $ref: '#/components/schemas/Kind' },
            birth: { type: 'string', format: 'date' },
            weight: is30
              ? { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 200, nullable: true }
              : { type: ['number', 'null'], exclusiveMinimum: 0, maximum: 200 },
            chip: { type: 'string', pattern: '^[0-9]{15}$' },
            owner_email: { type: 'string', format: 'email' },
            vaccinated: { type: 'boolean' },
            toys: {
              type: 'array',
              maxItems: 3,
              items: { type: 'object', required: ['label'], properties: { label: { type: 'string', maxLength: 10 } } },
            },
          },
        },
        PetPatch: {
          allOf: [
            { type: 'object', properties: { name: { type: 'string', maxLength: 50 } } },
            { type: 'object', properties: { age: { type: 'integer', minimum: 0 } } },
          ],
        },
      },
    },
  };
}

function parsePathParams(c: InputCase): Record<string, string> {
  const names: string[] = [];
  const re = new RegExp(
    `^${c.pathTemplate.replace(/\{([^}]+)\}/g, (_w, n: string) => {
      names.push(n);
      return '([^/]*)';
    })}$`,
  );
  const m = re.exec(c.path);
  assert.ok(m, `${c.path} matches ${c.pathTemplate}`);
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
}

function paramPointer(doc: Obj, c: InputCase, where: 'path' | 'query', name: string): string {
  const item = (doc.paths as Obj)[c.pathTemplate] as Obj;
  const method = c.method.toLowerCase();
  const esc = c.pathTemplate.replace(/~/g, '~0').replace(/\//g, '~1');
  const opParams = ((item[method] as Obj).parameters ?? []) as Obj[];
  const i = opParams.findIndex((p) => p.name === name && p.in === where);
  if (i >= 0) return `/paths/${esc}/${method}/parameters/${i}/schema`;
  const j = (item.parameters as Obj[]).findIndex((p) => p.name === name && p.in === where);
  return `/paths/${esc}/parameters/${j}/schema`;
}

for (const version of ['3.0.3', '3.1.0'] as const) {
  const doc = spec(version);
  const check = validators(doc);
  const { cases, skipped } = generateCases(doc, { seed: 1, examples: 25, mutating: true });

  test(`${version}: cases for GET, POST and PATCH, never DELETE; read-only gets only GET`, () => {
    assert.deepEqual(skipped, []);
    const ops = new Set(cases.map((c) => `${c.method} ${c.pathTemplate}`));
    assert.deepEqual([...ops].sort(), ['GET /owners/{n}', 'GET /pets', 'GET /pets/{pet_id}', 'PATCH /pets/{pet_id}', 'POST /pets']);
    for (const op of ops) assert.equal(cases.filter((c) => `${c.method} ${c.pathTemplate}` === op).length, 25);
    const readOnly = generateCases(doc, { seed: 1, examples: 10, mutating: false }).cases;
    assert.ok(readOnly.length > 0);
    assert.ok(readOnly.every((c) => c.method === 'GET' && c.body === undefined && c.rawBody === undefined));
  });

  test(`${version}: every valid case is valid against the document`, () => {
    for (const c of cases.filter((x) => x.kind === 'valid')) {
      for (const [name, value] of Object.entries(parsePathParams(c)))
        assert.deepEqual(check(paramPointer(doc, c, 'path', name), value, true), [], `${c.path}`);
      for (const [name, value] of Object.entries(c.query)) {
        const v = Array.isArray(value) ? value : (value as string);
        assert.deepEqual(check(paramPointer(doc, c, 'query', name), v, true), [], `${name}=${JSON.stringify(value)}`);
      }
      if (c.method === 'POST') assert.deepEqual(check('/components/schemas/NewPet', c.body), [], JSON.stringify(c.body));
      if (c.method === 'PATCH') assert.deepEqual(check('/components/schemas/PetPatch', c.body), [], JSON.stringify(c.body));
    }
  });

  test(`${version}: the valid cases are fast-check samples that can be replayed from seed and index`, () => {
    const op = documentedOperations(doc, { mutating: true }).find((o) => o.method === 'POST')!;
    const valid = cases.filter((c) => c.method === 'POST' && c.kind === 'valid');
    const last = valid[valid.length - 1]!;
    const again = fc.sample(requestArbitrary(doc, op), { seed: last.seed, numRuns: last.index + 1 })[last.index]!;
    assert.deepEqual(again.body, last.body);
  });

  test(`${version}: every invalid case breaks exactly its stated constraint`, () => {
    const invalid = cases.filter((c) => c.kind === 'invalid');
    const seen = new Set(invalid.map((c) => c.constraint));
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
      assert.ok(seen.has(k as never), `a ${k} case among ${[...seen].join(', ')}`);
    }
    for (const c of invalid) {
      const label = `${c.method} ${c.path}${queryString(c.query)} ${c.constraint} at ${c.at}`;
      if (c.constraint === 'malformed-json') {
        assert.throws(() => JSON.parse(c.rawBody!), label);
        continue;
      }
      const errors: string[] = [];
      for (const [name, value] of Object.entries(parsePathParams(c)))
        errors.push(...check(paramPointer(doc, c, 'path', name), value, true));
      if (c.method === 'GET') {
        for (const [name, value] of Object.entries(c.query)) errors.push(...check(paramPointer(doc, c, 'query', name), value, true));
        if (c.pathTemplate === '/pets' && !('kind' in c.query)) errors.push('required');
      }
      if (c.method === 'POST') errors.push(...check('/components/schemas/NewPet', c.body));
      if (c.method === 'PATCH') errors.push(...check('/components/schemas/PetPatch', c.body));
      assert.ok(errors.length > 0, `${label}: rejected`);
      for (const e of new Set(errors))
        assert.ok(KEYWORDS[c.constraint!]!.includes(e), `${label}: broke ${e} too (${JSON.stringify(c.body ?? c.query)})`);
    }
  });

  test(`${version}: the same seed gives the same cases, another seed other ones`, () => {
    const again = generateCases(doc, { seed: 1, examples: 25, mutating: true }).cases;
    assert.deepEqual(again, cases);
    const other = generateCases(doc, { seed: 2, examples: 25, mutating: true }).cases;
    assert.notDeepEqual(other, cases);
  });

  test(`${version}: valid cases with made-up ids or cursors are flagged unknowable`, () => {
    for (const c of cases.filter((x) => x.kind === 'valid')) {
      const expected = c.pathTemplate.includes('{') || 'cursor' in c.query;
      assert.equal(c.unknowable === true, expected, `${c.method} ${c.path}${queryString(c.query)}`);
    }
    assert.ok(cases.some((c) => c.kind === 'valid' && c.pathTemplate === '/pets' && c.method === 'GET' && !c.unknowable));
  });

  test(`${version}: path values are percent-encoded, type-invalid parameters are non-numeric strings`, () => {
    for (const c of cases) assert.ok(!/[^A-Za-z0-9\-._~%!*'()/]/.test(c.path), c.path);
    const typeCases = cases.filter((c) => c.constraint === 'type' && c.method === 'GET');
    assert.ok(typeCases.length > 0);
    for (const c of typeCases) {
      const values = [...Object.values(c.query).flat(), ...Object.values(parsePathParams(c))];
      assert.ok(
        values.some((v) => Number.isNaN(Number(v)) && v !== ''),
        `${c.path}${queryString(c.query)}`,
      );
    }
  });
}

test('type violations never use coercible values ("5" for an integer, 1 for a boolean)', () => {
  const ctx = { root: {}, dialect: '3.1' as const };
  const schema = {
    type: 'object',
    properties: {
      n: { type: 'integer' },
      b: { type: 'boolean' },
      x: { type: 'number' },
      s: { type: 'string' },
      o: { type: 'object' },
      a: { type: 'array', items: { type: 'integer' } },
    },
  };
  const found = violations(schema, ctx, { n: 1, b: true, x: 1.5, s: 's', o: {}, a: [1] }).filter((v) => v.constraint === 'type');
  const at = (p: string): unknown => {
    const v = found.find((f) => f.at === p);
    assert.ok(v, `a type violation at ${p}`);
    let node: unknown = v.value;
    for (const k of p.split('/').filter(Boolean)) node = (node as Obj)[k];
    return node;
  };
  for (const p of ['/n', '/x']) assert.ok(typeof at(p) === 'string' && Number.isNaN(Number(at(p))));
  for (const p of ['/b', '/s']) assert.equal(typeof at(p), 'object');
  for (const p of ['/o', '/a']) assert.equal(typeof at(p), 'string');
  assert.equal(typeof at('/a/0'), 'string');
  assert.ok(Array.isArray(at('')) || typeof at('') === 'string');
});

test('the accepts hook (the harness validator) keeps only values it judges valid, e.g. overlapping oneOf', () => {
  const doc: Obj = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/m': {
        post: {
          requestBody: { $ref: '#/components/requestBodies/M' },
          responses: { '200': { description: 'ok' } },
        },
        get: { parameters: [{ $ref: '#/components/parameters/Size' }], responses: { '200': { description: 'ok' } } },
      },
    },
    components: {
      parameters: {
        Size: { name: 'size', in: 'query', required: true, schema: { oneOf: [{ type: 'integer' }, { type: 'number', maximum: 50 }] } },
      },
      requestBodies: {
        M: {
          content: {
            'application/json': {
              schema: { type: 'object', required: ['n'], properties: { n: { oneOf: [{ type: 'integer' }, { type: 'number' }] } } },
            },
          },
        },
      },
    },
  };
  const validator = new SchemaValidator(doc, '3.1.0', 'accepts-hook');
  const accepts = (pointer: string, value: unknown): boolean => {
    const r = validator.validate(pointer, value);
    return r.ok && r.errors.length === 0;
  };
  const ops = documentedOperations(doc, { mutating: true });
  assert.deepEqual(ops.map((o) => o.body?.schemaPointer ?? o.queryParams[0]!.schemaPointer).sort(), [
    '/components/parameters/Size/schema',
    '/components/requestBodies/M/content/application~1json/schema',
  ]);
  const without = generateCases(doc, { seed: 3, examples: 30, mutating: true }).cases;
  assert.ok(
    without.some(
      (c) => c.kind === 'valid' && c.method === 'POST' && !accepts('/components/requestBodies/M/content/application~1json/schema', c.body),
    ),
    'generation alone overlaps oneOf branches',
  );
  const withHook = generateCases(doc, { seed: 3, examples: 30, mutating: true, accepts }).cases;
  const posts = withHook.filter((c) => c.kind === 'valid' && c.method === 'POST');
  assert.ok(posts.length > 0);
  for (const c of posts) assert.ok(accepts('/components/requestBodies/M/content/application~1json/schema', c.body), JSON.stringify(c.body));
  // Exactly one branch: an integer above 50, or a non-integer up to 50.
  for (const c of withHook.filter((x) => x.kind === 'valid' && x.method === 'GET')) {
    const n = Number(c.query.size);
    assert.ok(Number.isInteger(n) ? n > 50 : n <= 50, String(c.query.size));
  }
});

test('a failure hidden behind one field at its documented maximum is found within inputs.examples and shrunk', async () => {
  const doc = spec('3.1.0');
  const post = documentedOperations(doc, { mutating: true }).find((o) => o.method === 'POST')!;
  let requests = 0;
  // The service under test: 500 when weight sits at its maximum (200), whatever else is sent.
  const found = await findSmallestFailure(
    requestArbitrary(doc, post),
    async (r) => {
      requests++;
      return (r.body as Obj).weight !== 200;
    },
    { seed: 1, numRuns: 25, maxCalls: 60 },
  );
  assert.equal(found.failed, true);
  assert.ok(requests <= 60);
  // Shrunk: the optional fields that do not matter are gone, the strings are short.
  const body = found.counterexample!.body as Obj;
  assert.equal(body.weight, 200);
  assert.deepEqual(Object.keys(body).sort(), ['birth', 'kind', 'name', 'weight']);
  assert.equal([...(body.name as string)].length, 1);
  const again = await replay(requestArbitrary(doc, post), async (r) => (r.body as Obj).weight !== 200, {
    seed: found.seed,
    path: found.path!,
  });
  assert.deepEqual(again.counterexample, found.counterexample);
});

test('a schema generation cannot meet skips its operation with a reason instead of hanging', () => {
  const doc: Obj = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/codes/{code}': {
        get: {
          parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z]{2}$', minLength: 5 } }],
          responses: {},
        },
      },
      '/ok': { get: { parameters: [{ name: 'n', in: 'query', schema: { type: 'integer' } }], responses: {} } },
    },
  };
  const { cases, skipped } = generateCases(doc, { seed: 1, examples: 5, mutating: false });
  assert.deepEqual(
    skipped.map((s) => s.pathTemplate),
    ['/codes/{code}'],
  );
  assert.match(skipped[0]!.reason, /pattern/);
  assert.ok(cases.length === 5 && cases.every((c) => c.pathTemplate === '/ok'));
});

test('operations that answer only non-JSON media types are not generated (the client asks for JSON; a 406 would be right)', () => {
  const doc = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/octocat': {
        get: {
          parameters: [{ name: 's', in: 'query', schema: { type: 'string' } }],
          responses: { '200': { description: 'ascii art', content: { 'application/octocat-stream': { schema: { type: 'string' } } } } },
        },
      },
      '/items': {
        get: { responses: { '200': { description: 'list', content: { 'application/vnd.api+json': { schema: { type: 'array' } } } } } },
      },
      '/ping': { get: { responses: { '204': { description: 'no content' } } } },
    },
  };
  assert.deepEqual(
    documentedOperations(doc, { mutating: false }).map((op) => op.pathTemplate),
    ['/items', '/ping'],
  );
});

test('an operation whose answer is any media type (*/*) or JSON with parameters is generated', () => {
  const op = (type: string) => ({
    get: { responses: { '200': { description: 'ok', content: { [type]: { schema: { type: 'object' } } } } } },
  });
  const doc = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: { '/any': op('*/*'), '/json': op('application/json; charset=utf-8'), '/html': op('text/html') },
  };
  assert.deepEqual(
    documentedOperations(doc, { mutating: false }).map((o) => o.pathTemplate),
    ['/any', '/json'],
  );
});
