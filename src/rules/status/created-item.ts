/** The dependency of the rules that judge what they do to an item the harness created. */
import { resourcesCreateProbe } from '../../probes/resources.ts';
import { outputOf } from '../../probes/types.ts';
import type { Dependency } from '../types.ts';

/**
 * SPEC §7 "one cause, one finding": when no create gave an item (no id in the answer),
 * status.create-201 fails and the rules that update, delete or repeat writes on that item are
 * blocked by it, instead of each reporting that it had nothing to work on.
 */
export const CREATED_ITEM: Dependency = {
  rule: 'status.create-201',
  needs: 'an item it created',
  when: (rec) => {
    const tried = Object.values(outputOf(rec, resourcesCreateProbe) ?? {}).filter((o) => o !== undefined);
    return tried.length > 0 && tried.every((o) => !o.itemId);
  },
};
