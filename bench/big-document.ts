/**
 * A synthetic OpenAPI 3.0 description shaped like GitHub's (`api.github.com.json`: 13 MB,
 * about 1,200 operations, long descriptions, large inline examples, many `$ref`s into
 * components), for the bench and tests, without the 385 MB @octokit/openapi package.
 * Deterministic: the same size gives the same document.
 */
import type { Obj } from '../src/openapi/document.ts';

const WORDS = 'the repository owner returns list of items for a given user when authenticated app token scope can be used to'.split(' ');

function prose(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]!);
  return `${out.join(' ')}.`;
}

function schema(i: number): Obj {
  const properties: Obj = { id: { type: 'integer', example: i }, node_id: { type: 'string' }, url: { type: 'string', format: 'uri' } };
  for (let p = 0; p < 40; p++) {
    properties[`field_${p}`] =
      p % 3 === 0
        ? { type: 'string', description: prose(i + p, 12), nullable: true }
        : p % 3 === 1
          ? { type: 'integer', description: prose(i + p, 8) }
          : { $ref: `#/components/schemas/schema-${(i + p) % Math.max(1, i)}` };
  }
  return { title: `Schema ${i}`, type: 'object', description: prose(i, 30), properties, required: ['id', 'node_id', 'url'] };
}

function example(i: number, fields: number): Obj {
  const value: Obj = { id: i, node_id: `MDQ6VXNlcj${i}`, url: `https://api.example.com/things/${i}` };
  for (let p = 0; p < fields; p++) value[`field_${p}`] = p % 2 ? prose(i + p, 10) : i * p;
  return value;
}

/** An OpenAPI 3.0.3 document of about `targetBytes` bytes once serialised. */
export function bigDocument(targetBytes = 13 * 1024 * 1024): Obj {
  const schemas: Obj = {};
  const paths: Obj = {};
  const doc: Obj = {
    openapi: '3.0.3',
    info: { title: 'Synthetic large API', version: '1.0.0', description: prose(0, 200) },
    servers: [{ url: 'https://api.example.com' }],
    paths,
    components: { schemas },
  };
  // GitHub's: about 1,200 operations in 13 MB. Four operations a resource; inline examples fill the rest.
  const resources = Math.max(1, Math.round((targetBytes / (13 * 1024 * 1024)) * 300));
  const fields = 290;
  for (let r = 0; r < resources; r++) {
    schemas[`schema-${r}`] = schema(r);
    const ref = { $ref: `#/components/schemas/schema-${r}` };
    const json = (s: Obj, ex?: unknown): Obj => ({ 'application/json': { schema: s, ...(ex ? { example: ex } : {}) } });
    // Half the resources are top-level collections (discovery probes those), half nested under an owner, as most of GitHub's are.
    const nested = r % 2 === 1;
    const params = nested ? [{ name: 'owner', in: 'path', required: true, schema: { type: 'string' }, description: prose(r, 8) }] : [];
    const base = nested ? `/orgs/{owner}/things-${r}` : `/things-${r}`;
    paths[base] = {
      get: {
        operationId: `things-${r}/list`,
        summary: `List things ${r}`,
        description: prose(r, 60),
        parameters: [...params, { name: 'per_page', in: 'query', schema: { type: 'integer', default: 30 }, description: prose(r, 10) }],
        responses: { '200': { description: 'Response', content: json({ type: 'array', items: ref }, [example(r, fields)]) } },
      },
      post: {
        operationId: `things-${r}/create`,
        summary: `Create a thing ${r}`,
        description: prose(r + 1, 60),
        parameters: params,
        requestBody: { required: true, content: json({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }) },
        responses: {
          '201': { description: 'Response', content: json(ref, example(r + 1, fields)) },
          '422': { description: 'Validation failed' },
        },
      },
    };
    paths[`${base}/{thing_id}`] = {
      parameters: [...params, { name: 'thing_id', in: 'path', required: true, schema: { type: 'integer' } }],
      get: {
        operationId: `things-${r}/get`,
        summary: `Get a thing ${r}`,
        description: prose(r + 2, 60),
        responses: { '200': { description: 'Response', content: json(ref, example(r + 2, fields)) }, '404': { description: 'Not found' } },
      },
      delete: { operationId: `things-${r}/delete`, summary: `Delete a thing ${r}`, responses: { '204': { description: 'Deleted' } } },
    };
  }
  return doc;
}

if (process.argv[1]?.endsWith('big-document.ts')) {
  const text = JSON.stringify(bigDocument(Number(process.argv[2] ?? 13 * 1024 * 1024)));
  process.stdout.write(text);
}
