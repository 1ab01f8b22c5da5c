import type { Exchange } from '../../http/exchange.ts';
import { representationOf, representationPath } from '../methods/representation.ts';
import { exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { authReadOnlyFieldsProbe } from '../../probes/auth.ts';
import { outputOf } from '../../probes/types.ts';

/** Whether `shown` is the value we sent: ids case-insensitively, date-times as instants (SPEC §8). */
function same(field: string, sent: unknown, shown: unknown): boolean {
  if (shown === undefined || shown === null) return false;
  if (field.endsWith('_at') && typeof sent === 'string' && typeof shown === 'string') {
    const a = Date.parse(sent);
    const b = Date.parse(shown);
    return !Number.isNaN(a) && a === b;
  }
  if (typeof sent === 'string' && typeof shown === 'string') return sent.toLowerCase() === shown.toLowerCase();
  return JSON.stringify(sent) === JSON.stringify(shown);
}

const ok = (s: number): boolean => s >= 200 && s < 300;

/**
 * SPEC §6 auth.read-only-fields (OWASP API3, mass assignment): `id`, `created_at`,
 * `updated_at` and the tenant field sent in a create and an update are ignored (the response
 * and a later GET do not show them) or rejected (400/422); never applied.
 */
export const authReadOnlyFields = defineRule('auth.read-only-fields', {
  probes: [authReadOnlyFieldsProbe],
  check(rec, ctx) {
    const outputs = outputOf(rec, authReadOnlyFieldsProbe) ?? {};
    const findings: Finding[] = [];
    const seen: Exchange[] = [];
    const verdicts: string[] = [];
    for (const [resource, out] of Object.entries(outputs)) {
      for (const [what, part] of [
        ['create', out.create],
        ['update', out.update],
      ] as const) {
        if (!part) continue;
        const e = exchangeById(rec, part.exchange);
        if (!e) continue;
        if (!e.response) return unanswered([e]);
        seen.push(e);
        const s = e.response.status;
        if (s === 400 || s === 422) {
          verdicts.push(`${resource} ${what}: rejected (${s})`);
          continue;
        }
        if (!ok(s)) {
          findings.push({
            message: `${resource}: the ${what} with read-only fields answered ${s}: neither ignored them (2xx) nor rejected them (400/422)`,
            exchanges: [e.id],
            expected: '2xx ignoring the fields, or 400/422',
            received: String(s),
          });
          continue;
        }
        const read = exchangeById(rec, part.read);
        const views: [string, Exchange | undefined][] = [
          [`${what} response`, e],
          ['later GET', read?.response && ok(read.response.status) ? read : undefined],
        ];
        const applied: string[] = [];
        for (const [field, sent] of Object.entries(part.sent)) {
          for (const [where, view] of views) {
            const rep = view ? representationOf(view, ctx.target.profile) : undefined;
            if (!rep || !same(field, sent, rep[field])) continue;
            applied.push(field);
            findings.push({
              message: `${resource}: \`${field}\` sent in the ${what} was applied: the ${where} shows it`,
              exchanges: [e.id, ...(view && view.id !== e.id ? [view.id] : [])],
              at: `${representationPath(view, ctx.target.profile)}.${field}`,
              expected: `${field} set by the service, not the client`,
              received: JSON.stringify(rep[field]),
            });
            break;
          }
        }
        if (!applied.length) verdicts.push(`${resource} ${what}: ignored ${Object.keys(part.sent).join(', ')}`);
        if (read) seen.push(read);
      }
      if (!out.tenantField)
        verdicts.push(
          `${resource}: no tenant field (org_id, organization_id, tenant_id, owner_id) in the representation, that part skipped`,
        );
    }
    if (findings.length) return failed('read-only fields sent by the client were applied (mass assignment)', findings);
    if (!seen.length) return skipped('nothing-to-check', 'no resource declares a create body');
    return passed(verdicts.join('; '), seen);
  },
});
