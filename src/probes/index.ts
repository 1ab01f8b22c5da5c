/**
 * Every probe of the harness, in the order they run within a phase. One literal list: no
 * registration by import side effect (Playwright workers are separate processes).
 */
import { RESOURCE_PROBES } from './resources.ts';
import { DOCS_PROBES } from './docs.ts';
import { HEALTH_PROBES } from './health.ts';
import { PAGINATION_PROBES } from './pagination.ts';
import { RATELIMIT_PROBES } from './ratelimit.ts';
import { AUTH_PROBES, AUTH_TEARDOWN_PROBES } from './auth.ts';
import { METHODS_PROBES } from './methods.ts';
import { OBSERVABILITY_PROBES } from './observability.ts';
import { VERSIONING_PROBES } from './versioning.ts';
import { SECURITY_PROBES } from './security.ts';
import { CORS_PROBES } from './cors.ts';
import { STREAM_PROBES } from './streams.ts';
import { UPLOAD_PROBES } from './uploads.ts';
import { INPUTS_PROBES } from './inputs.ts';
import type { ProbeDef } from './types.ts';

export const PROBES: readonly ProbeDef[] = [
  ...HEALTH_PROBES,
  ...DOCS_PROBES,
  ...AUTH_TEARDOWN_PROBES, // teardown writes with refused credentials: before resources:delete
  ...RESOURCE_PROBES,
  ...PAGINATION_PROBES,
  ...RATELIMIT_PROBES,
  ...METHODS_PROBES, // methods:delete-again: after resources:delete
  ...AUTH_PROBES,
  ...VERSIONING_PROBES,
  ...OBSERVABILITY_PROBES,
  ...SECURITY_PROBES,
  ...CORS_PROBES,
  ...UPLOAD_PROBES,
  ...STREAM_PROBES,
  ...INPUTS_PROBES, // last of main: generated writes never race a page walk
];

const byName = new Map<string, ProbeDef>();
for (const p of PROBES) {
  if (byName.has(p.name)) throw new Error(`probe "${p.name}" is defined twice`);
  byName.set(p.name, p);
}

export function probeNamed(name: string): ProbeDef | undefined {
  return byName.get(name);
}
