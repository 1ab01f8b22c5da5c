/**
 * The one registry: the catalogue (data) joined with each area's behaviours (checks).
 * Duplicate ids, and behaviours for ids the catalogue lacks, are rejected when it loads.
 */
import { CATALOGUE, type CatalogueEntry } from '../spec/catalogue.ts';
import { DOCS_RULES } from './docs/index.ts';
import { ERRORS_RULES } from './errors/index.ts';
import { STATUS_RULES } from './status/index.ts';
import { PAGINATION_RULES } from './pagination/index.ts';
import { RATELIMIT_RULES } from './ratelimit/index.ts';
import { AUTH_RULES } from './auth/index.ts';
import { FORMAT_RULES } from './format/index.ts';
import { VERSIONING_RULES } from './versioning/index.ts';
import { OBSERVABILITY_RULES } from './observability/index.ts';
import { METHODS_RULES } from './methods/index.ts';
import { SECURITY_RULES } from './security/index.ts';
import { CORS_RULES } from './cors/index.ts';
import { STREAMING_RULES } from './streaming/index.ts';
import { UPLOADS_RULES } from './uploads/index.ts';
import type { RuleBehaviour } from './types.ts';

export interface Rule extends CatalogueEntry {
  /** Absent: not implemented yet (the rule is `skipped`, never `passed`). */
  readonly behaviour?: RuleBehaviour;
}

const AREA_BEHAVIOURS: readonly Record<string, RuleBehaviour>[] = [
  STATUS_RULES,
  ERRORS_RULES,
  PAGINATION_RULES,
  RATELIMIT_RULES,
  AUTH_RULES,
  FORMAT_RULES,
  VERSIONING_RULES,
  OBSERVABILITY_RULES,
  METHODS_RULES,
  SECURITY_RULES,
  CORS_RULES,
  DOCS_RULES,
  UPLOADS_RULES,
  STREAMING_RULES,
];

export function buildRegistry(
  catalogue: readonly CatalogueEntry[],
  areas: readonly Record<string, RuleBehaviour>[],
): Rule[] {
  const ids = new Set<string>();
  for (const entry of catalogue) {
    if (ids.has(entry.id)) throw new Error(`rule id "${entry.id}" is registered twice`);
    ids.add(entry.id);
  }
  const behaviours = new Map<string, RuleBehaviour>();
  for (const area of areas) {
    for (const [id, behaviour] of Object.entries(area)) {
      if (!ids.has(id)) throw new Error(`a check is registered for "${id}", which is not in the catalogue`);
      if (behaviours.has(id)) throw new Error(`rule id "${id}" has two checks`);
      behaviours.set(id, behaviour);
    }
  }
  return catalogue.map((entry) => {
    const behaviour = behaviours.get(entry.id);
    return behaviour ? { ...entry, behaviour } : { ...entry };
  });
}

export const RULES: readonly Rule[] = buildRegistry(CATALOGUE, AREA_BEHAVIOURS);

const byId = new Map(RULES.map((r) => [r.id, r]));
export function ruleById(id: string): Rule | undefined {
  return byId.get(id);
}
