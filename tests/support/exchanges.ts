/** Builds exchanges and recordings in memory, so checks can be unit-tested without I/O. */
import type { Exchange } from '../../src/http/exchange.ts';
import type { Recording } from '../../src/rules/types.ts';
import { parseTargets } from '../../src/config/load.ts';
import type { Target } from '../../src/config/target.ts';
import { loadSchemas } from '../../src/spec/schemas.ts';
import type { CheckContext } from '../../src/rules/types.ts';

let nextId = 1;

export function exchange(partial: {
  probe?: string;
  method?: string;
  path?: string;
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
  requestHeaders?: Record<string, string>;
  scope?: Exchange['scope'];
  purpose?: string;
  error?: string;
}): Exchange {
  const body = partial.body === undefined ? '' : typeof partial.body === 'string' ? partial.body : JSON.stringify(partial.body);
  const path = partial.path ?? '/v2/documents';
  return {
    id: nextId++,
    probe: partial.probe ?? 'test',
    purpose: partial.purpose ?? 'test request',
    credential: 'bearer',
    path,
    scope: partial.scope ?? 'api',
    request: { method: partial.method ?? 'GET', url: `http://127.0.0.1:9/base${path}`, headers: partial.requestHeaders ?? {} },
    ...(partial.error === undefined
      ? {
          response: {
            status: partial.status ?? 200,
            headers: { 'content-type': typeof partial.body === 'object' ? 'application/json' : 'text/plain', ...partial.headers },
            body,
            bodyBytes: Buffer.byteLength(body),
            droppedBytes: 0,
          },
        }
      : { error: { code: 'ECONNREFUSED', message: partial.error } }),
    startedAt: new Date().toISOString(),
    durationMs: 1,
    curl: `curl -i 'http://127.0.0.1:9/base${path}'`,
  };
}

export function recording(exchanges: Exchange[], outputs: Record<string, unknown> = {}): Recording {
  return { target: 't', exchanges, outputs, probeErrors: {}, leftovers: [] };
}

export function target(profile: 'platform' | 'backend' = 'platform', extra = '', baseUrl = 'http://127.0.0.1:9/base'): Target {
  return parseTargets(
    `version: 1\ntargets:\n  t:\n    base_url: ${baseUrl}\n    profile: ${profile}\n    mode: mutating\n${extra}`,
    'inline.yaml',
    {},
  )[0]!;
}

export function context(profile: 'platform' | 'backend' = 'platform', extra = ''): CheckContext {
  return { target: target(profile, extra), schemas: loadSchemas() };
}
