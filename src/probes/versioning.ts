/**
 * Versioning probes: each declared resource under each deprecated prefix, and under a
 * version that does not exist (/v99).
 */
import type { Resource } from '../config/target.ts';
import { credentialFor, type PerResource } from './resources.ts';
import type { ProbeDef } from './types.ts';

const VERSION = /^\/v\d+(?=\/|$)/;

/** The collection path of `r` moved under `prefix` (/v2/documents + /v1 → /v1/documents). */
export function underPrefix(r: Resource, prefix: string): string | undefined {
  const p = prefix.replace(/\/+$/, '');
  if (r.collection === p || r.collection.startsWith(`${p}/`)) return undefined; // already there: its own probes show it
  if (!VERSION.test(r.collection)) return undefined;
  return r.collection.replace(VERSION, p);
}

export const VERSIONING_PROBES: readonly ProbeDef[] = [
  {
    name: 'versioning:deprecated',
    run: async (ctx) => {
      const out: Record<string, number[]> = {};
      const seen = new Set<string>();
      for (const prefix of ctx.target.deprecatedPrefixes) {
        const ids: number[] = [];
        for (const r of ctx.target.resources) {
          const path = underPrefix(r, prefix);
          if (!path || seen.has(path)) continue;
          seen.add(path);
          ids.push((await ctx.send({ purpose: `list ${r.name} under the deprecated prefix ${prefix}`, method: 'GET', path, credential: credentialFor(ctx.target, r) })).id);
        }
        out[prefix] = ids;
      }
      return out;
    },
  },
  {
    name: 'versioning:unknown-version',
    run: async (ctx) => {
      const out: PerResource<number> = {};
      for (const r of ctx.target.resources) {
        const rest = r.collection.replace(VERSION, '');
        out[r.name] = (await ctx.send({ purpose: `list ${r.name} under a version that does not exist (/v99)`, method: 'GET', path: `/v99${rest.startsWith('/') ? rest : `/${rest}`}`, credential: credentialFor(ctx.target, r) })).id;
      }
      if (!ctx.target.resources.length) {
        out[''] = (await ctx.send({ purpose: 'GET a path under a version that does not exist (/v99)', method: 'GET', path: '/v99/conformance-probe', credential: credentialFor(ctx.target) })).id;
      }
      return out;
    },
  },
];
