import type { Exchange } from '../../http/exchange.ts';
import { differences, formatDifferences, isTimestampKey, representationOf, representationPath } from '../methods/representation.ts';
import { describe, unanswered, errored, exchangeById, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { authCrossTenantProbe } from '../../probes/auth.ts';
import { resourcesNotFoundProbe } from '../../probes/resources.ts';
import { outputOf } from '../../probes/types.ts';

const ok = (e: Exchange | undefined): boolean => !!e?.response && e.response.status >= 200 && e.response.status < 300;

/**
 * SPEC §6 auth.cross-tenant: an item created with `bearer` can be neither read, replaced nor
 * deleted with `other_tenant_bearer` (404 or 403). A refusal that still changed the item (the
 * owner's reads before and after differ, `*_at` aside, or it is gone) counts as a leak too.
 * "404" is read as "what the service answers for a missing item": when that answer is another
 * 4xx (status.not-found-404 fails it), the same answer to the other tenant is no leak.
 */
export const authCrossTenant = defineRule('auth.cross-tenant', {
  probes: [authCrossTenantProbe, resourcesNotFoundProbe],
  check(rec, ctx) {
    const outputs = outputOf(rec, authCrossTenantProbe) ?? {};
    if (!Object.keys(outputs).length) return skipped('nothing-to-check', 'no item was created to try with the other tenant');
    const findings: Finding[] = [];
    const shown: Exchange[] = [];
    const leaked: string[] = [];
    const notes = new Set<string>();
    for (const [resource, out] of Object.entries(outputs)) {
      const get = (id: number | undefined): Exchange | undefined => exchangeById(rec, id);
      const control = get(out.control);
      const attempts = [
        ['read', get(out.read)],
        ['update', get(out.update)],
        ['delete', get(out.delete)],
      ] as const;
      const silent = [control, ...attempts.map(([, e]) => e)].find((e) => e && !e.response);
      if (silent) return unanswered([silent]);
      if (control && !ok(control)) {
        return errored(
          'inconclusive',
          `could not check: other_tenant_bearer could not list its own ${resource} (${control.response!.status}); is it a valid credential?`,
          [control],
        );
      }
      const missing = exchangeById(rec, outputOf(rec, resourcesNotFoundProbe)?.[resource])?.response?.status;
      const missingAnswer =
        missing !== undefined && missing >= 400 && missing < 500 && missing !== 401 && missing !== 404 ? missing : undefined;
      for (const [what, e] of attempts) {
        if (!e) continue;
        shown.push(e);
        const s = e.response!.status;
        if (s === 403 || s === 404) continue;
        if (s === missingAnswer) {
          notes.add(`answered ${s}, the service's answer for any missing item (status.not-found-404 judges that)`);
          continue;
        }
        if (s >= 200 && s < 300) {
          leaked.push(`${resource} ${what}`);
          findings.push({
            message: `${resource}: ${what} leaked: ${describe(e)} with the other tenant's credential`,
            exchanges: [e.id],
            expected: '404 or 403',
            received: String(s),
          });
        } else {
          findings.push({
            message: `${resource}: the other tenant's ${what} answered ${s}, expected 404 or 403`,
            exchanges: [e.id],
            expected: '404 or 403',
            received: String(s),
          });
        }
      }
      // A refusal that changed the item anyway: compare the owner's reads.
      const before = get(out.ownerBefore);
      const afterUpdate = get(out.ownerAfterUpdate);
      const afterDelete = get(out.ownerAfterDelete);
      const update = get(out.update);
      const del = get(out.delete);
      if (ok(before) && ok(afterUpdate) && update && !ok(update)) {
        const diffs = differences(
          representationOf(before, ctx.target.profile),
          representationOf(afterUpdate, ctx.target.profile),
          isTimestampKey,
          representationPath(before, ctx.target.profile),
        );
        if (diffs.length) {
          leaked.push(`${resource} update`);
          findings.push({
            message: `${resource}: update leaked: the other tenant's PUT was answered ${update.response!.status} but changed the item: ${formatDifferences(diffs)}`,
            exchanges: [before!.id, update.id, afterUpdate!.id],
            at: diffs[0]!.path,
            expected: 'the item unchanged',
            received: formatDifferences(diffs, 10),
          });
        }
      }
      if (ok(before) && afterDelete?.response?.status === 404 && del && !ok(del)) {
        leaked.push(`${resource} delete`);
        findings.push({
          message: `${resource}: delete leaked: the other tenant's DELETE was answered ${del.response!.status} but the item is gone`,
          exchanges: [del.id, afterDelete.id],
          expected: 'the item still readable by its owner',
          received: '404',
        });
      }
    }
    if (findings.length) {
      const summary = leaked.length
        ? `another tenant's credential reached the item: ${[...new Set(leaked)].join(', ')} leaked`
        : "another tenant's attempts were not answered 404/403";
      return failed(summary, findings);
    }
    if (!shown.length) return skipped('nothing-to-check', 'no cross-tenant attempt was made');
    return passed(
      `read, update and delete with the other tenant's credential were refused (${[...new Set(shown.map((e) => e.response!.status))].join('/')}) and left the item unchanged${notes.size ? `; ${[...notes].join('; ')}` : ''}`,
      shown,
    );
  },
});
