/**
 * Observability probes: the one request that sends its own X-Request-ID (SPEC §8), and the
 * health/ready endpoints read again with credentials when they refused anonymous callers, so
 * that `observability.*` judges their shape while `auth.public-health` alone judges the refusal.
 */
import { randomUUID } from 'node:crypto';
import type { Exchange } from '../http/exchange.ts';
import { healthProbe, readyProbe } from './health.ts';
import { credentialFor } from './resources.ts';
import { defineProbe, type ProbeDef } from './types.ts';

export interface RequestIdEchoOutput {
  readonly exchange: number;
  readonly sent: string;
}
export interface HealthAuthenticatedOutput {
  readonly health?: number;
  readonly ready?: number;
}

const refused = (e: Exchange | undefined): boolean => e?.response?.status === 401 || e?.response?.status === 403;

export const observabilityRequestIdEchoProbe = defineProbe({
  name: 'observability:request-id-echo',
  estimate: (t) => ({ [t.resources[0] ? credentialFor(t, t.resources[0]) : 'none']: 1 }),
  run: async (ctx): Promise<RequestIdEchoOutput> => {
    const sent = randomUUID();
    const r = ctx.target.resources[0];
    const e = await ctx.send({
      purpose: `send our own X-Request-ID (${sent}) and look for it in the response`,
      method: 'GET',
      path: r ? r.collection : ctx.target.health,
      credential: r ? credentialFor(ctx.target, r) : 'none',
      headers: { 'x-request-id': sent },
      scope: r ? 'api' : 'health',
    });
    return { exchange: e.id, sent };
  },
});

export const healthAuthenticatedProbe = defineProbe({
  name: 'health:authenticated',
  needs: [healthProbe, readyProbe],
  // Only for an endpoint that refused the anonymous request (it should not: auth.public-health).
  estimate: (t) => {
    const cred = credentialFor(t);
    return cred === 'none' ? {} : { [cred]: { expected: 0, max: t.profile === 'backend' ? 2 : 1 } };
  },
  run: async (ctx): Promise<HealthAuthenticatedOutput | undefined> => {
    const cred = credentialFor(ctx.target);
    if (cred === 'none') return undefined;
    const out: { health?: number; ready?: number } = {};
    for (const [name, path, probe] of [
      ['health', ctx.target.health, healthProbe],
      ['ready', ctx.target.ready, readyProbe],
    ] as const) {
      const anonymous = ctx.client.exchanges.find((e) => e.id === ctx.output<number | undefined>(probe));
      if (!refused(anonymous)) continue;
      out[name] = (
        await ctx.send({
          purpose: `GET ${name} with credentials (it refused anonymous callers)`,
          method: 'GET',
          path,
          credential: cred,
          scope: 'health',
        })
      ).id;
    }
    return out.health || out.ready ? out : undefined;
  },
});

export const OBSERVABILITY_PROBES: readonly ProbeDef[] = [observabilityRequestIdEchoProbe, healthAuthenticatedProbe];
