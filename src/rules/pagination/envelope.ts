import { jsonBody } from '../../http/exchange.ts';
import { describeSchemaError } from '../../spec/schemas.ts';
import { bodyExcerpt, describe, exchangesOf, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import {
  paginationCursorsProbe,
  paginationLimitsProbe,
  paginationStableUnderWritesProbe,
  paginationWalkProbe,
} from '../../probes/pagination.ts';
import { resourcesListProbe } from '../../probes/resources.ts';

/** Probes whose 2xx answers to GET are list pages of a collection. */
const LIST_PROBES = [
  resourcesListProbe,
  paginationWalkProbe,
  paginationLimitsProbe,
  paginationCursorsProbe,
  paginationStableUnderWritesProbe,
];

/** SPEC §6 pagination.envelope: list responses match the profile's list schema (schemas/list-*.schema.json). */
export const paginationEnvelope = defineRule('pagination.envelope', {
  probes: [paginationWalkProbe, resourcesListProbe],
  check(rec, ctx) {
    const cursor = ctx.target.conventions.pagination === 'cursor';
    const schema = cursor ? 'list-cursor' : 'list-page';
    const shape = cursor ? '{items, pagination{cursor, has_more, limit}}' : '{items, total, page, page_size, has_more}';
    const lists = exchangesOf(rec, ...LIST_PROBES).filter(
      (e) => e.request.method === 'GET' && e.response && e.response.status >= 200 && e.response.status < 300,
    );
    if (!lists.length) return skipped('nothing-to-check', 'no list request was answered 2xx');
    const findings: Finding[] = [];
    for (const e of lists) {
      const body = jsonBody(e);
      if (body === undefined) {
        findings.push({
          message: `${describe(e)}: the list body is not JSON, expected ${shape}`,
          exchanges: [e.id],
          expected: shape,
          received: bodyExcerpt(e, 120),
        });
        continue;
      }
      for (const err of ctx.schemas.validate(schema, body)) {
        findings.push({
          message: `list body is not ${shape}: ${describeSchemaError(err)}`,
          exchanges: [e.id],
          at: err.instancePath || '$',
          expected: shape,
          received: bodyExcerpt(e, 160),
        });
      }
    }
    return findings.length
      ? failed(
          `${new Set(findings.flatMap((f) => f.exchanges)).size} of ${lists.length} list responses do not have the ${ctx.target.profile} list shape ${shape}`,
          findings,
        )
      : passed(`all ${lists.length} list responses have the shape ${shape}`, lists);
  },
});
