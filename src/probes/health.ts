/** Health and readiness, without credentials (load balancers call them so). */
import { defineProbe, type ProbeDef } from './types.ts';

export const healthProbe = defineProbe({
  name: 'health',
  estimate: () => ({ none: 1 }),
  run: async (ctx) =>
    (
      await ctx.send({
        purpose: 'GET health without credentials',
        method: 'GET',
        path: ctx.target.health,
        credential: 'none',
        scope: 'health',
      })
    ).id,
});

export const readyProbe = defineProbe({
  name: 'ready',
  estimate: (target) => (target.profile === 'backend' ? { none: 1 } : {}),
  // Readiness is a backend-profile endpoint (SPEC §4); the platform guideline has none.
  run: async (ctx) =>
    ctx.target.profile !== 'backend'
      ? undefined
      : (
          await ctx.send({
            purpose: 'GET ready without credentials',
            method: 'GET',
            path: ctx.target.ready,
            credential: 'none',
            scope: 'health',
          })
        ).id,
});

export const HEALTH_PROBES: readonly ProbeDef[] = [healthProbe, readyProbe];
