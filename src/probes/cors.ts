/**
 * CORS probes: for each allowed origin, each denied origin and each look-alike of an allowed
 * origin, a real preflight (OPTIONS + Origin + Access-Control-Request-Method/-Headers, without
 * credentials, as browsers send it) and the actual request (GET with Origin and the target's
 * credential). Then, in real Chromium, pages on an allowed and a denied origin (cors-browser.ts).
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_DENIED_ORIGIN, lookAlikes, type LookAlikeKind } from './cors-origins.ts';
import { corsBrowserProbe } from './cors-browser.ts';
import { credentialFor } from './resources.ts';
import { itemPath, tally } from './support.ts';
import type { Target } from '../config/target.ts';
import { defineProbe, type ProbeDef } from './types.ts';

export type OriginRole = 'allowed' | 'denied' | 'look-alike';

export interface OriginProbe {
  readonly origin: string;
  readonly role: OriginRole;
  readonly kind?: LookAlikeKind;
  /** For look-alikes: the allowed origin imitated, and what check the look-alike catches. */
  readonly of?: string;
  readonly why?: string;
  /** The denied origin is the harness's own (targets.yaml declares none). */
  readonly harnessDefault?: boolean;
  readonly preflight: number;
  readonly actual: number;
}

export interface CorsOutput {
  /** Path of the preflights, their requested method and headers. */
  readonly preflightPath: string;
  readonly requestMethod: string;
  readonly requestHeaders: readonly string[];
  /** Path of the actual requests, and whether it needs credentials (ACAO `*` is wrong there). */
  readonly actualPath: string;
  readonly credentialed: boolean;
  readonly origins: readonly OriginProbe[];
}

/** What browsers request for a credentialed JSON write: lower case, sorted, comma-separated. */
export const REQUESTED_HEADERS = ['authorization', 'content-type'] as const;

/** The origins cors:origins sends, in order: allowed, denied (the harness's own when none is declared), look-alikes. */
function originPlan(t: Target): Omit<OriginProbe, 'preflight' | 'actual'>[] {
  const declaredDenied = t.cors.deniedOrigins;
  return [
    ...t.cors.allowedOrigins.map((origin) => ({ origin, role: 'allowed' as const })),
    ...(declaredDenied.length ? declaredDenied : [DEFAULT_DENIED_ORIGIN]).map((origin) => ({
      origin,
      role: 'denied' as const,
      ...(declaredDenied.length ? {} : { harnessDefault: true }),
    })),
    ...lookAlikes(t.cors.allowedOrigins, declaredDenied).map((l) => ({
      origin: l.origin,
      role: 'look-alike' as const,
      kind: l.kind,
      of: l.of,
      why: l.why,
    })),
  ];
}

const corsResource = (t: Target) => t.resources.find((x) => x.requiresAuth) ?? t.resources[0];

export const corsOriginsProbe = defineProbe({
  name: 'cors:origins',
  // Per origin: the preflight (no credentials) and the actual request.
  estimate: (t) => {
    const r = corsResource(t);
    const origins = originPlan(t).length;
    return tally([
      ['none', origins],
      [r ? credentialFor(t, r) : 'none', origins],
    ]);
  },
  run: async (ctx): Promise<CorsOutput> => {
    const t = ctx.target;
    const r = corsResource(t);
    // A preflight for an update (PUT is not CORS-safelisted, so the method check means something).
    const preflightPath = r ? itemPath(r, randomUUID()) : t.health;
    const requestMethod = r ? 'PUT' : 'GET';
    const actualPath = r ? r.collection : t.health;
    const credential = r ? credentialFor(t, r) : 'none';
    const origins: OriginProbe[] = [];
    for (const p of originPlan(t)) {
      const label = p.role === 'look-alike' ? `look-alike (${p.kind} of ${p.of})` : p.role;
      const preflight = await ctx.send({
        purpose: `CORS preflight from ${label} origin ${p.origin}`,
        method: 'OPTIONS',
        path: preflightPath,
        credential: 'none',
        scope: 'cors',
        headers: {
          origin: p.origin,
          'access-control-request-method': requestMethod,
          'access-control-request-headers': REQUESTED_HEADERS.join(','),
        },
      });
      const actual = await ctx.send({
        purpose: `GET with Origin ${p.origin} (${label})`,
        method: 'GET',
        path: actualPath,
        credential,
        scope: 'cors',
        headers: { origin: p.origin },
      });
      origins.push({ ...p, preflight: preflight.id, actual: actual.id });
    }
    return {
      preflightPath,
      requestMethod,
      requestHeaders: [...REQUESTED_HEADERS],
      actualPath,
      credentialed: r?.requiresAuth === true,
      origins,
    };
  },
});

export const CORS_PROBES: readonly ProbeDef[] = [corsOriginsProbe, corsBrowserProbe];
