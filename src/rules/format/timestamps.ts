import { openApiDocument } from '../openapi-lookup.ts';
import { judgeFields, type Field } from './fields.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';
import { healthProbe } from '../../probes/health.ts';
import { resourcesCreateProbe, resourcesListProbe, resourcesReadProbe } from '../../probes/resources.ts';

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** An RFC 3339 date-time with a time-zone offset (§5.6), with its ranges checked. */
export function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59);
  return month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 60 && offsetOk;
}

const isTimestampField = (f: Field): boolean => f.key.endsWith('_at') || (f.exchange.scope === 'health' && f.path === '$.timestamp');

/**
 * SPEC §6 format.timestamps, run-wide: `*_at` fields and the health `timestamp` are RFC 3339
 * date-times with an offset. `null` is an absent time (`deleted_at: null`), not a format error.
 */
export const formatTimestamps = defineRule('format.timestamps', {
  probes: [openapiDocumentProbe, resourcesListProbe, resourcesReadProbe, resourcesCreateProbe, healthProbe],
  runWide: true,
  check: (rec, ctx) =>
    judgeFields(
      rec,
      openApiDocument(rec, ctx.target),
      (f) => {
        if (f.value === null || (typeof f.value === 'string' && isRfc3339(f.value))) return undefined;
        const offsetless = typeof f.value === 'string' && /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(f.value);
        return {
          problem: offsetless ? 'is a date-time without a time-zone offset' : 'is not an RFC 3339 date-time',
          expected: 'RFC 3339 with offset, e.g. 2024-01-15T10:30:00Z',
          received: JSON.stringify(f.value),
        };
      },
      {
        pass: 'all timestamps are RFC 3339 date-times with an offset',
        fail: 'are not RFC 3339 date-times with an offset',
        nothing: 'the run saw no `*_at` field and no health timestamp',
      },
      isTimestampField,
    ),
});
