import { sse } from './sse.ts';
import type { RuleBehaviour } from '../types.ts';

export const STREAMING_RULES: Record<string, RuleBehaviour> = {
  'streaming.sse': sse,
};
