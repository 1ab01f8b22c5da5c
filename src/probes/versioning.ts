/**
 * Versioning probes: each declared resource under each deprecated prefix, and under a
 * version that does not exist (/v99).
 */
import type { Resource, Target } from '../config/target.ts';
import { credentialFor, perResource, type PerResource } from './resources.ts';
import { tally } from './support.ts';
import { defineProbe, type ProbeDef } from './types.ts';

const VERSION = /^\/v\d+(?=\/|$)/;

/** The collection path of `r` moved under `prefix` (/v2/documents + /v1 → /v1/documents). */
export function underPrefix(r: Resource, prefix: string): string | undefined {
  const p = prefix.replace(/\/+$/, '');
  if (r.collection === p || r.collection.startsWith(`${p}/`)) return undefined; // already there: its own probes show it
  if (!VERSION.test(r.collection)) return undefined;
  return r.collection.replace(VERSION, p);
}

/** The listings versioning:deprecated sends: each collection under each deprecated prefix, each path once. */
export function deprecatedListings(t: Target): { prefix: string; resource: Resource; path: string }[] {
  const seen = new Set<string>();
  return t.deprecatedPrefixes.flatMap((prefix) =>
    t.resources.flatMap((resource) => {
      const path = underPrefix(resource, prefix);
      if (!path || seen.has(path)) return [];
      seen.add(path);
      return [{ prefix, resource, path }];
    }),
  );
}

export const versioningDeprecatedProbe = defineProbe({
  name: 'versioning:deprecated',
  estimate: (t) => tally(deprecatedListings(t).map(({ resource }) => [credentialFor(t, resource), 1])),
  run: async (ctx) => {
    const out: Record<string, number[]> = Object.fromEntries(ctx.target.deprecatedPrefixes.map((prefix) => [prefix, []]));
    for (const { prefix, resource: r, path } of deprecatedListings(ctx.target)) {
      out[prefix]!.push(
        (
          await ctx.send({
            purpose: `list ${r.name} under the deprecated prefix ${prefix}`,
            method: 'GET',
            path,
            credential: credentialFor(ctx.target, r),
          })
        ).id,
      );
    }
    return out;
  },
});

export const versioningUnknownVersionProbe = defineProbe({
  name: 'versioning:unknown-version',
  estimate: (t) => (t.resources.length ? perResource(t, () => 1) : { [credentialFor(t)]: 1 }),
  run: async (ctx) => {
    const out: PerResource<number> = {};
    for (const r of ctx.target.resources) {
      const rest = r.collection.replace(VERSION, '');
      out[r.name] = (
        await ctx.send({
          purpose: `list ${r.name} under a version that does not exist (/v99)`,
          method: 'GET',
          path: `/v99${rest.startsWith('/') ? rest : `/${rest}`}`,
          credential: credentialFor(ctx.target, r),
        })
      ).id;
    }
    if (!ctx.target.resources.length) {
      out[''] = (
        await ctx.send({
          purpose: 'GET a path under a version that does not exist (/v99)',
          method: 'GET',
          path: '/v99/conformance-probe',
          credential: credentialFor(ctx.target),
        })
      ).id;
    }
    return out;
  },
});

export const VERSIONING_PROBES: readonly ProbeDef[] = [versioningDeprecatedProbe, versioningUnknownVersionProbe];
