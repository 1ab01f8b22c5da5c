import { jsonBody } from '../../http/exchange.ts';
import { shapeFindings } from '../errors/error-body.ts';
import { bodyExcerpt, failed, isObject, passed } from '../support.ts';
import type { Finding } from '../types.ts';
import { first429, isExchange } from './burst.ts';
import { defineRule } from '../define.ts';
import { ratelimitBurstProbe } from '../../probes/ratelimit.ts';

/**
 * SPEC §6 ratelimit.429-body (burst): the 429 body has the profile's error shape; on the
 * platform profile it also says `status: 429` and `retry_after` as an integer (platform
 * guideline, 'Rate Limiting › Rate Limit Response').
 */
export const ratelimit429Body = defineRule('ratelimit.429-body', {
  probes: [ratelimitBurstProbe],
  check(rec, ctx) {
    const e = first429(rec);
    if (!isExchange(e)) return e;
    const findings: Finding[] = [...shapeFindings(e, ctx)];
    const body = jsonBody(e);
    if (ctx.target.profile === 'platform' && isObject(body)) {
      if (body.status !== 429)
        findings.push({
          message: 'the 429 problem body does not say status: 429',
          exchanges: [e.id],
          at: '$.status',
          expected: '429',
          received: JSON.stringify(body.status ?? null),
        });
      if (!Number.isInteger(body.retry_after)) {
        findings.push({
          message: `the 429 problem body has ${body.retry_after === undefined ? 'no' : 'a non-integer'} retry_after`,
          exchanges: [e.id],
          at: '$.retry_after',
          expected: 'an integer number of seconds',
          received: body.retry_after === undefined ? '(absent)' : JSON.stringify(body.retry_after),
        });
      }
    }
    const shape = ctx.target.conventions.error_format === 'problem' ? 'an RFC 9457 problem' : 'the error envelope';
    if (findings.length)
      return failed(
        `the 429 body is not ${shape}${ctx.target.profile === 'platform' ? ' with status 429 and an integer retry_after' : ''}`,
        findings,
      );
    return passed(
      `the 429 body is ${shape}${ctx.target.profile === 'platform' ? ` with status 429 and retry_after ${String((body as { retry_after?: unknown }).retry_after)}` : ''}: ${bodyExcerpt(e, 160)}`,
      [e],
    );
  },
});
