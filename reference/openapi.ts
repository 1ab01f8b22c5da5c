/**
 * The OpenAPI 3.1 document the reference serves at /openapi.json, per profile, and the
 * docs UI at /docs. It describes exactly what the reference serves, so docs.* rules pass.
 */
import type { Profile } from '../src/rules/types.ts';
import { RESOURCE } from './resources.ts';

export function openApiDocument(profile: Profile, faults: ReadonlySet<string>): Record<string, unknown> {
  const { collection } = RESOURCE[profile];
  const name = profile === 'platform' ? 'document' : 'session';
  const paths: Record<string, unknown> = {
    '/health': {
      get: { summary: 'Health check for load balancers', operationId: 'health', responses: { 200: { description: 'Healthy' } } },
    },
    [collection]: {
      get: { summary: `List ${name}s`, operationId: `list_${name}s`, responses: { 200: { description: `A page of ${name}s` } } },
      post: { summary: `Create a ${name}`, operationId: `create_${name}`, responses: { 201: { description: 'Created' } } },
    },
    [`${collection}/{id}`]: {
      parameters: [{ name: 'id', in: 'path', required: true, description: `${name} id`, schema: { type: 'string', format: 'uuid' } }],
      get: { summary: `Read a ${name}`, operationId: `get_${name}`, responses: { 200: { description: 'Found' } } },
      put: { summary: `Replace a ${name}`, operationId: `replace_${name}`, responses: { 200: { description: 'Replaced' } } },
      delete: { summary: `Delete a ${name}`, operationId: `delete_${name}`, responses: { 204: { description: 'Deleted' } } },
    },
  };
  if (profile === 'backend') {
    paths['/ready'] = { get: { summary: 'Readiness check', operationId: 'ready', responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } } } };
  }
  if (faults.has('versioning.prefix')) {
    // Fault: a route mounted without the version prefix.
    paths[collection.replace(/^\/v\d+/, '')] = { get: { summary: `List ${name}s (unversioned alias)`, operationId: `list_${name}s_unversioned`, responses: { 200: { description: `A page of ${name}s` } } } };
  }
  return {
    openapi: '3.1.0',
    info: { title: `Reference API (${profile} profile)`, version: '1.0.0', description: 'Embedded reference API of the conformance harness.' },
    paths,
  };
}

export function docsPage(profile: Profile): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Reference API docs (${profile})</title></head>` +
    `<body><h1>Reference API (${profile})</h1><p>The OpenAPI document is at <a href="openapi.json">openapi.json</a>.</p></body></html>`;
}
