/**
 * Every probe of the harness, in the order they run within a phase. One literal list: no
 * registration by import side effect (Playwright workers are separate processes).
 */
import { RESOURCE_PROBES } from './resources.ts';
import { DOCS_PROBES } from './docs.ts';
import { HEALTH_PROBES } from './health.ts';
import { STREAM_PROBES } from './streams.ts';
import { UPLOAD_PROBES } from './uploads.ts';
import type { ProbeDef } from './types.ts';

export const PROBES: readonly ProbeDef[] = [
  ...HEALTH_PROBES,
  ...DOCS_PROBES,
  ...RESOURCE_PROBES,
  ...UPLOAD_PROBES,
  ...STREAM_PROBES,
];

const byName = new Map<string, ProbeDef>();
for (const p of PROBES) {
  if (byName.has(p.name)) throw new Error(`probe "${p.name}" is defined twice`);
  byName.set(p.name, p);
}

export function probeNamed(name: string): ProbeDef | undefined {
  return byName.get(name);
}
