/**
 * A rule's check declares its id next to its code: `defineRule('errors.shape', { probes, check })`.
 * The registry (registry.ts) lists every such export once and joins it with the catalogue.
 */
import type { RuleBehaviour, RuleCheck } from './types.ts';

export function defineRule(id: string, behaviour: RuleBehaviour): RuleCheck {
  return { id, ...behaviour };
}
