/**
 * targets.yaml as written (SPEC §3): the raw shapes the JSON Schema admits, `${VAR}` and
 * `${VAR:-default}` interpolation from the environment, and the merge of `defaults` into
 * each target. Works on the parsed document, so every problem keeps its position.
 */
import { type Scalar, isPair, visit, type Document } from 'yaml';
import type { BearerName, OAuthClientCredentials } from './target.ts';
import type { Profile, Severity } from '../spec/vocabulary.ts';

/** Reports a problem at a character offset of the file (load.ts turns it into file:line:column). */
export type ProblemSink = (offset: number | undefined, message: string, fix?: string) => void;

const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${VAR}` in every string scalar; records in `envVars` which variable each path came from. */
export function interpolate(doc: Document, env: NodeJS.ProcessEnv, envVars: Map<string, string>, problem: ProblemSink): void {
  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      const keys = path.filter(isPair).map((p) => String((p.key as Scalar | null)?.value ?? ''));
      const where = keys.join('.');
      const target = keys[0] === 'targets' ? keys[1] : undefined;
      node.value = node.value.replace(INTERPOLATION, (_m, name: string, fallback: string | undefined) => {
        envVars.set(where, name);
        const value = env[name];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        problem(
          node.range?.[0],
          `environment variable ${name} is not set (used by ${where}${target ? ` of target "${target}"` : ''})`,
          `export ${name}=…, or write \${${name}:-} to make the value optional (rules needing it are then skipped)`,
        );
        return '';
      });
    },
  });
}

export interface RawResource {
  name: string;
  collection: string;
  item: string;
  create?: Record<string, unknown>;
  invalid?: Record<string, unknown>;
  update?: Record<string, unknown>;
  requires_auth?: boolean;
  seed_items?: number;
}
export interface RawTarget {
  base_url?: string;
  profile?: Profile;
  conventions?: { error_format?: 'problem' | 'envelope'; pagination?: 'cursor' | 'page' };
  mode?: 'read-only' | 'mutating';
  timeout_ms?: number;
  tls_verify?: boolean;
  http_url?: string;
  ca_file?: string;
  headers?: Record<string, string>;
  auth?: { api_key?: string } & Partial<Record<BearerName, string | { oauth2_client_credentials: OAuthClientCredentials }>>;
  health?: string;
  ready?: string;
  openapi?: string;
  openapi_source?: string;
  docs_ui?: string;
  cors?: { allowed_origins?: string[]; denied_origins?: string[]; allow_credentials?: boolean };
  rate_limit?: {
    limit?: number;
    window_s?: number;
    burst?: boolean;
    anonymous?: { limit: number; window_s: number };
    max_wait_s?: number;
    scope?: 'origin' | 'base_url';
  };
  deprecated_prefixes?: string[];
  resources?: RawResource[];
  uploads?: { path: string; resource?: string; field?: string; max_bytes: number; allowed_types?: string[] }[];
  streams?: { path: string; resource?: string }[];
  pagination?: { page_cap?: number };
  inputs?: { examples?: number; max_requests?: number; seed?: number };
  discovery?: { mutate?: boolean };
  rules?: { skip?: string[]; severity?: Record<string, Severity> };
}
export interface RawFile {
  version: 1;
  defaults?: RawTarget;
  targets: Record<string, RawTarget>;
}

/** A target's raw values over the file's `defaults` (maps merge key by key; lists and scalars replace). */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
