import { health } from './health.ts';
import { ready } from './ready.ts';
import { requestId } from './request-id.ts';
import { requestIdEcho } from './request-id-echo.ts';
import type { RuleBehaviour } from '../types.ts';

export const OBSERVABILITY_RULES: Record<string, RuleBehaviour> = {
  'observability.request-id': requestId,
  'observability.request-id-echo': requestIdEcho,
  'observability.health': health,
  'observability.ready': ready,
};
