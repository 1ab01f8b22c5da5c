/**
 * Security probes: one response of each kind whose headers the security rules judge (a 2xx, a
 * 401, a 404, a 422 and an OPTIONS; a 429 is taken from the run when there is one), TRACE, the
 * docs UI (it may set a cookie), and the target's plain-http address (security.https-only).
 */
import { randomUUID } from 'node:crypto';
import type { Target } from '../config/target.ts';
import type { Exchange } from '../http/exchange.ts';
import { credentialFor, resourcesListProbe, resourcesValidationProbe, routeUnknownProbe, scalarKeyOf } from './resources.ts';
import { itemPath, tally } from './support.ts';
import { paginationOf } from '../spec/conventions.ts';
import { defineProbe, type ProbeContext, type ProbeDef } from './types.ts';

export interface SecuritySamplesOutput {
  /** Exchange ids of the sampled responses; checks classify them by what came back. */
  readonly samples: readonly number[];
}

export interface TraceOutput {
  readonly exchange: number;
  /** Value of the marker header sent with TRACE: seeing it in the body means the request was echoed. */
  readonly marker: string;
}

export type HttpUrlOutput =
  | { readonly httpUrl: string; readonly derived: boolean; readonly exchanges: readonly number[] }
  | { readonly skipped: string };

export const TRACE_MARKER_HEADER = 'x-conformance-trace';

function byId(ctx: ProbeContext, id: number | undefined): Exchange | undefined {
  return id === undefined ? undefined : ctx.client.exchanges.find((e) => e.id === id);
}

/**
 * The plain-http address of an https target: `http_url`, or the base URL with scheme http when
 * base_url uses the default port (SPEC §6 security.https-only); otherwise none, and why.
 */
export function plainHttpUrl(target: Target): { url: string; derived: boolean } | { skipped: string } {
  if (target.httpUrl) return { url: target.httpUrl, derived: false };
  const base = new URL(target.baseUrl);
  if (base.protocol !== 'https:') return { skipped: 'the target is plain http' };
  if (base.port) return { skipped: `base_url uses port ${base.port}, so its plain-http address is unknown: declare http_url to check it` };
  return { url: `http://${base.host}${target.basePath}`, derived: true };
}

export const securitySamplesProbe = defineProbe({
  name: 'security:samples',
  needs: [resourcesListProbe, routeUnknownProbe, resourcesValidationProbe],
  // Samples other probes did not provide: a 2xx (when the list failed), a 401, a 422 (read-only
  // targets send no invalid create), and the OPTIONS.
  estimate: (t) => {
    const first = t.resources[0];
    const written = t.mode === 'mutating' && t.resources.some((r) => r.invalid || (r.create && scalarKeyOf(r)));
    return tally([
      ['none', first ? 0 : 1, 1],
      ['none', t.resources.some((r) => r.requiresAuth) ? 1 : 0],
      ...(first ? [[credentialFor(t, first), written ? 0 : 1, 1] as const] : []),
      [t.cors.allowedOrigins.length ? 'none' : credentialFor(t, first), 1],
    ]);
  },
  run: async (ctx): Promise<SecuritySamplesOutput> => {
    const t = ctx.target;
    const samples: number[] = [];
    const first = t.resources[0];
    const protectedResource = t.resources.find((r) => r.requiresAuth);

    const listed = first ? byId(ctx, ctx.output(resourcesListProbe)?.[first.name]) : undefined;
    if (listed?.response && listed.response.status < 300) samples.push(listed.id);
    else {
      samples.push(
        (
          await ctx.send({
            purpose: 'a successful response whose security headers are judged',
            method: 'GET',
            path: t.health,
            credential: 'none',
            scope: 'health',
          })
        ).id,
      );
    }
    if (protectedResource) {
      samples.push(
        (
          await ctx.send({
            purpose: 'list without credentials (a 401 whose security headers are judged)',
            method: 'GET',
            path: protectedResource.collection,
            credential: 'none',
          })
        ).id,
      );
    }
    const unknown = byId(ctx, ctx.output(routeUnknownProbe));
    if (unknown) samples.push(unknown.id);
    const validation = Object.values(ctx.output(resourcesValidationProbe) ?? {})
      .flat()
      .map((id) => byId(ctx, id))
      .find((e) => e?.response?.status === 422);
    if (validation) samples.push(validation.id);
    else if (first) {
      // Read-only targets: an out-of-range page size is the one 422 a GET can provoke.
      samples.push(
        (
          await ctx.send({
            purpose: 'list with a non-numeric page size (a 422 whose security headers are judged)',
            method: 'GET',
            path: first.collection,
            query: { [paginationOf(t).sizeParam]: 'not-a-number' },
            credential: credentialFor(t, first),
          })
        ).id,
      );
    }
    const origin = t.cors.allowedOrigins[0];
    const path = first ? itemPath(first, randomUUID()) : t.health;
    samples.push(
      (
        await ctx.send({
          purpose: origin
            ? `CORS preflight from ${origin} (an OPTIONS response whose security headers are judged)`
            : 'OPTIONS (a response whose security headers are judged)',
          method: 'OPTIONS',
          path,
          credential: origin ? 'none' : credentialFor(t, first),
          scope: 'cors',
          ...(origin
            ? {
                headers: {
                  origin,
                  'access-control-request-method': first ? 'PUT' : 'GET',
                  'access-control-request-headers': 'authorization,content-type',
                },
              }
            : {}),
        })
      ).id,
    );
    return { samples };
  },
});

export const securityTraceProbe = defineProbe({
  name: 'security:trace',
  estimate: (t) => ({ [t.resources[0] ? credentialFor(t, t.resources[0]) : 'none']: 1 }),
  run: async (ctx): Promise<TraceOutput> => {
    const r = ctx.target.resources[0];
    const marker = randomUUID();
    // With the target's credential, as a cross-site tracing attack would carry it: an echo would show it (redacted).
    const exchange = await ctx.send({
      purpose: 'TRACE (must be refused with 405 or 501, never echoed)',
      method: 'TRACE',
      path: r ? r.collection : ctx.target.health,
      credential: r ? credentialFor(ctx.target, r) : 'none',
      headers: { [TRACE_MARKER_HEADER]: marker },
      scope: 'other',
    });
    return { exchange: exchange.id, marker };
  },
});

export const securityCookiesProbe = defineProbe({
  name: 'security:cookies',
  estimate: () => ({ none: 1 }),
  run: async (ctx) =>
    (
      await ctx.send({
        purpose: 'GET the docs UI, which may set cookies',
        method: 'GET',
        path: ctx.target.docsUi,
        credential: 'none',
        scope: 'docs',
      })
    ).id,
});

export const securityHttpUrlProbe = defineProbe({
  name: 'security:http-url',
  // Shown on the target's anonymous budget; the pacer charges them to the plain-http origin's.
  estimate: (t) => ('skipped' in plainHttpUrl(t) ? {} : { none: t.resources.length ? 2 : 1 }),
  run: async (ctx): Promise<HttpUrlOutput> => {
    const where = plainHttpUrl(ctx.target);
    if ('skipped' in where) return where;
    const r = ctx.target.resources[0];
    const paths = [ctx.target.health, ...(r ? [r.collection] : [])];
    const exchanges: number[] = [];
    for (const path of paths) {
      // Without credentials: never send a secret in clear text (the client drops them for other origins anyway).
      exchanges.push(
        (
          await ctx.send({
            purpose: `GET ${path} over plain http (must redirect to https or refuse)`,
            method: 'GET',
            url: `${where.url}${path}`,
            credential: 'none',
            scope: 'http-url',
          })
        ).id,
      );
    }
    return { httpUrl: where.url, derived: where.derived, exchanges };
  },
});

export const SECURITY_PROBES: readonly ProbeDef[] = [securitySamplesProbe, securityTraceProbe, securityCookiesProbe, securityHttpUrlProbe];
