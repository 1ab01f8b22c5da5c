/**
 * Comparing two representations of one resource (SPEC §8): on the platform profile the
 * resource is `data`, never the per-response `metadata`; `*_at` fields are ignored only where
 * the rule says so. Differences are listed by JSON path, for evidence.
 */
import { jsonBody, type Exchange } from '../../http/exchange.ts';
import { isObject } from '../support.ts';
import type { Profile } from '../../spec/vocabulary.ts';

/** The resource an exchange shows: `data` on the platform envelope, else the body (undefined when not an object). */
export function representationOf(e: Exchange | undefined, profile: Profile): Record<string, unknown> | undefined {
  const body = e ? jsonBody(e) : undefined;
  if (!isObject(body)) return undefined;
  if (profile === 'platform' && isObject(body.data)) return body.data;
  return body;
}

export interface Difference {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

const childPath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/** Differences between two JSON values; `ignoreKey` drops object members by name (e.g. `*_at`). */
export function differences(a: unknown, b: unknown, ignoreKey: (key: string) => boolean = () => false, path = '$'): Difference[] {
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (i >= a.length || i >= b.length) out.push({ path: childPath(path, i), before: a[i], after: b[i] });
      else out.push(...differences(a[i], b[i], ignoreKey, childPath(path, i)));
    }
    return out;
  }
  if (isObject(a) && isObject(b)) {
    const out: Difference[] = [];
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (ignoreKey(key)) continue;
      if (!(key in a) || !(key in b)) out.push({ path: childPath(path, key), before: a[key], after: b[key] });
      else out.push(...differences(a[key], b[key], ignoreKey, childPath(path, key)));
    }
    return out;
  }
  return Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, before: a, after: b }];
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 80));

/** "$.name: "a" → "b"; $.revision: 1 → 2" (at most `max` entries). */
export function formatDifferences(diffs: readonly Difference[], max = 5): string {
  const shown = diffs.slice(0, max).map((d) => `${d.path}: ${show(d.before)} → ${show(d.after)}`);
  if (diffs.length > max) shown.push(`…and ${diffs.length - max} more`);
  return shown.join('; ');
}

export const isTimestampKey = (key: string): boolean => key.endsWith('_at');

/** JSON path of the representation inside the body: `$.data` on the platform envelope, else `$`. */
export function representationPath(e: Exchange | undefined, profile: Profile): string {
  const body = e ? jsonBody(e) : undefined;
  return profile === 'platform' && isObject(body) && isObject(body.data) ? '$.data' : '$';
}
