import { describe, failed, isObject, jsonBody, passed, skipped } from '../support.ts';
import type { Exchange } from '../../http/exchange.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import type { Target } from '../../config/target.ts';
import { paginationOf } from '../../spec/conventions.ts';
import { inputsGeneratedProbe, type SentCase } from '../../probes/inputs.ts';
import { generatedCases, isSuccess, replayNote, type JudgedCase } from './generated.ts';

/** SPEC §6: a body constraint → 422; malformed JSON → 400 or 422; path/query → 400, 404 or 422. */
export function expectedStatuses(c: Pick<SentCase, 'constraint' | 'at'>): readonly number[] {
  if (c.constraint === 'malformed-json') return [400, 422];
  if (c.at?.startsWith('/body')) return [422];
  return [400, 404, 422];
}

/**
 * SPEC §6 inputs.invalid-rejected: a generated request breaking one documented constraint is
 * rejected with the expected status, never 2xx (the error shape: errors.shape, run-wide). The cases use
 * values frameworks do not coerce (SPEC §8), so accepting "5" for an integer is never asked;
 * an undocumented member dropped unseen (not echoed in the 2xx) counts as rejected.
 * A 5xx is inputs.no-server-errors' finding; 401/403/429 and a 404 for a made-up item (a body
 * case whose path names no item) say nothing about validation and are not judged.
 */
export const inputsInvalidRejected = defineRule('inputs.invalid-rejected', {
  probes: [inputsGeneratedProbe],
  check(rec, ctx) {
    const found = generatedCases(rec);
    if ('outcome' in found) return found.outcome;
    const { output } = found;
    const invalid = found.answered.filter((a) => a.case.kind === 'invalid');
    const judged = invalid.filter(judgeable);
    const deferred = new Set<string>();
    if (!judged.length) {
      return skipped(
        'nothing-to-check',
        invalid.length
          ? `none of ${invalid.length} invalid generated requests got an answer about validation (5xx, 401/403/429, or 404 for a made-up item)`
          : output.invalidNotSent
            ? `${output.invalidNotSent} invalid requests were generated but none was sent: the ${output.cases.length} requests inputs.max_requests (${output.maxRequests}) allows went to valid cases of the document's operations, in turn; raise inputs.max_requests to send them`
            : 'the OpenAPI document documents no constraint a generated request could break',
      );
    }
    const findings: Finding[] = [];
    const owned = ownedElsewhere(ctx.target);
    for (const { case: c, exchange, status } of judged) {
      const owner = owned(c, exchange, status);
      if (owner) {
        deferred.add(owner);
        continue;
      }
      const expected = expectedStatuses(c);
      const what = `${c.operation}: ${c.description ?? c.constraint}`;
      if (isSuccess(status) && c.constraint === 'additionalProperties' && stripped(c.at, exchange)) continue;
      if (isSuccess(status)) {
        findings.push({
          message: `${what}: the service ignored the documented \`${c.constraint}\` constraint and accepted it (${describe(exchange)}); ${replayNote(output)}`,
          exchanges: [exchange.id],
          ...(c.at ? { at: c.at } : {}),
          expected: expected.join(' or '),
          received: String(status),
        });
      } else if (!expected.includes(status)) {
        findings.push({
          message: `${what}: rejected with ${status}, expected ${expected.join(' or ')} (${describe(exchange)})`,
          exchanges: [exchange.id],
          ...(c.at ? { at: c.at } : {}),
          expected: expected.join(' or '),
          received: String(status),
        });
      }
    }
    const note = deferred.size ? `; left to ${[...deferred].join(', ')}: the same cause, judged there` : '';
    return findings.length
      ? failed(
          `${new Set(findings.flatMap((f) => f.exchanges)).size} of ${judged.length} invalid generated requests were not rejected as documented`,
          findings,
        )
      : passed(
          `${judged.length} generated requests breaking one documented constraint each (${[...new Set(judged.map((j) => j.case.constraint))].join(', ')}) were rejected with ${[...new Set(judged.map((j) => j.status))].join('/')} (their error shape is errors.shape's)${note}`,
          judged.map((j) => j.exchange),
        );
  },
});

/**
 * An undocumented member a framework drops before the handler sees it (Fastify's ajv
 * `removeAdditional`) is not applied: like a coercion, that is the framework's reading of
 * `additionalProperties: false`, not the service ignoring it. Accepted *and echoed back* is.
 */
function stripped(at: string | undefined, exchange: Exchange): boolean {
  const name = at?.split('/').at(-1)?.replace(/~1/g, '/').replace(/~0/g, '~');
  if (!name) return false;
  const body = jsonBody(exchange);
  const echoed = (v: unknown): boolean => isObject(v) && (name in v || echoed(v.data));
  return body !== undefined && !echoed(body);
}

/**
 * One cause, one finding (SPEC §7): causes a fixed rule already judges on the same operations
 * are left to it. The error shape of every rejection is errors.shape's (run-wide, these
 * exchanges included); a body rejected with another 4xx than 422, or broken JSON with another
 * than 400/422, on a declared resource of a mutating target is status.validation-422's /
 * status.malformed-body-400's; the profile's page-size and page parameters of lists are pagination.*'s.
 */
function ownedElsewhere(target: Target): (c: SentCase, e: Exchange, status: number) => string | undefined {
  const key = (t: string): string => t.replace(/\{[^}]*\}/g, '{}');
  const resourcePaths = new Set(target.resources.flatMap((r) => [key(r.collection), key(r.item)]));
  const pageParams = new Set([paginationOf(target).sizeParam, 'page', 'cursor']);
  return (c, _e, status) => {
    const template = c.operation.slice(c.operation.indexOf(' ') + 1);
    // On every list the service serves (deprecated versions too): the walks judge the same code.
    if (c.operation.startsWith('GET ') && c.at?.startsWith('/query/') && pageParams.has(c.at.slice('/query/'.length)))
      return 'pagination.*';
    if (isSuccess(status) || target.mode !== 'mutating' || !resourcePaths.has(key(template))) return undefined;
    if (c.constraint === 'malformed-json') return 'status.malformed-body-400';
    if (c.at?.startsWith('/body')) return 'status.validation-422';
    return undefined;
  };
}

function judgeable({ case: c, status }: JudgedCase): boolean {
  if (status >= 500 || status === 401 || status === 403 || status === 429) return false;
  // A body broken on an item that does not exist: the 404 is about the item.
  if (status === 404 && c.unknowable && !c.at?.startsWith('/path/')) return false;
  return true;
}
