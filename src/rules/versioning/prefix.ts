import type { Target } from '../../config/target.ts';
import type { Exchange } from '../../http/exchange.ts';
import { documentedPaths, openApiDocument } from '../openapi-lookup.ts';
import { failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';
import { resourcesListProbe } from '../../probes/resources.ts';

/** Platform guideline, API Structure › Service Prefixes (SPEC §8: they count as declared prefixes). */
const PLATFORM_SERVICE_PREFIXES = ['/docs/', '/agents/', '/sheets/', '/artifacts/'];

export function hasVersionPrefix(path: string, target: Target): boolean {
  if (/^\/v\d+\//.test(path)) return true;
  return target.profile === 'platform' && PLATFORM_SERVICE_PREFIXES.some((p) => path.startsWith(p));
}

/** Paths that are not API paths: health, ready, the OpenAPI document and the docs UI. */
function isInfrastructure(path: string, t: Target): boolean {
  const bare = path.replace(/\/+$/, '') || '/';
  return (
    [t.health, t.ready, t.openapi, t.docsUi].some((p) => bare === p.replace(/\/+$/, '')) ||
    bare.startsWith(`${t.docsUi.replace(/\/+$/, '')}/oauth2-redirect`) ||
    bare === '/redoc'
  );
}

/**
 * SPEC §6 versioning.prefix: every API path — the declared resources, and the OpenAPI
 * document's paths (health/docs aside) when the target serves one — starts with /v{n}/ or
 * (platform) a service prefix.
 */
export const versioningPrefix = defineRule('versioning.prefix', {
  probes: [openapiDocumentProbe, resourcesListProbe],
  check(rec, ctx) {
    const t = ctx.target;
    const api = openApiDocument(rec, t);
    const paths = new Map<string, { from: string; exchanges: number[] }>();
    const listOf = (path: string): Exchange | undefined => rec.exchanges.find((e) => e.path === path && e.response);
    for (const r of t.resources) {
      for (const p of [r.collection, r.item]) {
        if (!paths.has(p))
          paths.set(p, { from: `declared resource ${r.name}`, exchanges: listOf(r.collection) ? [listOf(r.collection)!.id] : [] });
      }
    }
    if (api) {
      for (const p of documentedPaths(api)) {
        if (!isInfrastructure(p, t) && !paths.has(p)) paths.set(p, { from: 'the OpenAPI document', exchanges: [api.exchange.id] });
      }
    }
    if (!paths.size) return skipped('nothing-to-check', 'no resources declared and no OpenAPI document served');
    const findings: Finding[] = [];
    for (const [path, { from, exchanges }] of paths) {
      if (hasVersionPrefix(path, t)) continue;
      const allowed = t.profile === 'platform' ? '/v{n}/ or a service prefix (/docs/, /agents/, /sheets/, /artifacts/)' : '/v{n}/';
      findings.push({
        message: `${path} (from ${from}) has no version prefix`,
        exchanges,
        at: path,
        expected: `a path starting with ${allowed}`,
        received: path,
      });
    }
    const source = api ? 'declared resources and OpenAPI paths' : 'declared resources (no OpenAPI document served)';
    if (findings.length) return failed(`${findings.length} of ${paths.size} API paths lack a version prefix`, findings);
    const shown = [...new Set([...paths.values()].flatMap((v) => v.exchanges))]
      .map((id) => rec.exchanges.find((e) => e.id === id)!)
      .filter(Boolean);
    return passed(`all ${paths.size} API paths (${source}) carry a version prefix`, shown);
  },
});
