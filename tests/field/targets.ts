/**
 * targets.yaml for each field service, written as a new user would write it on first contact
 * (README "Point it at your service", SPEC §3).
 */
import { writeFileSync } from 'node:fs';
import type { ServiceName } from './services.ts';

// None of these services limits requests, but the harness paces to a budget (the platform
// preset's anonymous budget is 60 per hour): a first run without this block spends it in a
// minute and errors every later rule as rate-limit-wait. Declared as a user would after that.
const BUDGET = `    rate_limit:
      limit: 6000
      window_s: 60
      anonymous: { limit: 6000, window_s: 60 }
`;

const CORS = `    cors:
      allowed_origins: [https://app.example.com]
      denied_origins: [https://evil.example.net]
      allow_credentials: true
`;

export function targetsYaml(service: ServiceName, baseUrl: string): string {
  switch (service) {
    // json-server: declared resources (no OpenAPI document), backend conventions, mutating
    // (the db.json is a throw-away copy). No auth, no rate limit: json-server has neither.
    case 'json-server':
      return `# json-server 0.17 (tests/field/services.ts), declared resources, mutating
version: 1
defaults:
  timeout_ms: 5000
targets:
  json-server:
    base_url: ${baseUrl}
    profile: backend
    mode: mutating
${BUDGET}${CORS}    resources:
      - name: posts
        collection: /posts
        item: /posts/{id}
        create: { userId: 1, title: conformance-probe, body: created by the harness }
        invalid: { userId: "not a number", title: "" }
        update: { userId: 1, title: conformance-probe-renamed, body: updated by the harness }
        requires_auth: false
        seed_items: 21
      - name: comments
        collection: /comments
        item: /comments/{id}
        create: { postId: 1, name: conformance-probe, email: probe@example.com, body: hello }
        invalid: { postId: [], email: 5 }
        update: { postId: 1, name: conformance-probe-renamed, email: probe@example.com, body: hello }
        requires_auth: false
        seed_items: 21
      - name: users
        collection: /users
        item: /users/{id}
        create: { name: Conformance Probe, username: probe, email: probe@example.com }
        invalid: { name: "", email: "not an email" }
        update: { name: Conformance Probe Renamed, username: probe, email: probe@example.com }
        requires_auth: false
        seed_items: 21
`;
    // GitHub's OpenAPI description on Prism: the smallest target (discovered from
    // /openapi.json), platform conventions, read-only (GitHub is not ours to write to).
    case 'prism-github':
      return `# GitHub's OpenAPI description (@octokit/openapi, 13 MB) mocked by Prism, discovered, read-only
version: 1
defaults:
  timeout_ms: 5000
targets:
  prism-github:
    base_url: ${baseUrl}
    profile: platform
    mode: read-only
    openapi: /openapi.json
${BUDGET}`;
    // A FastAPI tutorial app: discovered from FastAPI's /openapi.json, writes allowed (an
    // in-memory store), platform conventions (FastAPI's 422 detail[] is the platform reading).
    case 'fastapi':
      return `# A FastAPI tutorial-style app (tests/field/fastapi_app), discovered, mutating
version: 1
defaults:
  timeout_ms: 5000
targets:
  fastapi:
    base_url: ${baseUrl}
    profile: platform
    mode: mutating
    discovery:
      mutate: true
${BUDGET}${CORS}`;
  }
}

export function writeTargets(service: ServiceName, baseUrl: string, file: string): string {
  writeFileSync(file, targetsYaml(service, baseUrl));
  return file;
}
