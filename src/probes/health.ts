/** Health and readiness, without credentials (load balancers call them so). */
import type { ProbeDef } from './types.ts';

export const HEALTH_PROBES: readonly ProbeDef[] = [
  {
    name: 'health',
    estimate: () => ({ none: 1 }),
    run: async (ctx) => (await ctx.send({
      purpose: 'GET health without credentials', method: 'GET', path: ctx.target.health, credential: 'none', scope: 'health',
    })).id,
  },
  {
    name: 'ready',
    estimate: () => ({ none: 1 }),
    run: async (ctx) => (await ctx.send({
      purpose: 'GET ready without credentials', method: 'GET', path: ctx.target.ready, credential: 'none', scope: 'health',
    })).id,
  },
];
