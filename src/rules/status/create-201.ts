import { jsonBody, type Exchange } from '../../http/exchange.ts';
import { exchangesFromOutput, failed, passed, skipped, isObject, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesCreateProbe } from '../../probes/resources.ts';

/** SPEC §6 status.create-201: 201 with the created object (JSON, `id` or `data.id`). */
export const statusCreate201 = defineRule('status.create-201', {
  probes: [resourcesCreateProbe],
  check(rec) {
    const creates = exchangesFromOutput(rec, resourcesCreateProbe, (v) => (v as { exchange: number }).exchange);
    if (!creates.length) return skipped('nothing-to-check', 'no resource declares a `create` body');
    const answered = creates.filter(
      (e): e is Exchange & { response: NonNullable<Exchange['response']> } => !!e.response && !e.response.incomplete,
    );
    if (!answered.length) return unanswered(creates, undefined, `${creates[0]!.error?.message ?? creates[0]!.response?.incomplete}`);
    const findings: Finding[] = [];
    for (const e of answered) {
      const body = jsonBody(e);
      const id = isObject(body) ? (body.id ?? (isObject(body.data) ? body.data.id : undefined)) : undefined;
      if (e.response.status !== 201) {
        findings.push({
          message: `create answered ${e.response.status}, expected 201 Created`,
          exchanges: [e.id],
          expected: '201',
          received: String(e.response.status),
        });
      } else if (body === undefined) {
        findings.push({
          message: 'create answered 201 without a JSON body (expected the created object)',
          exchanges: [e.id],
          expected: 'JSON object',
          received: e.response.body.slice(0, 80) || '(empty body)',
        });
      } else if (id === undefined || id === null) {
        findings.push({ message: 'the created object has neither `id` nor `data.id`', exchanges: [e.id], at: '$.id', expected: 'an id' });
      }
    }
    return findings.length
      ? failed(`create did not answer 201 with the created object`, findings)
      : passed(`${answered.length} create(s) answered 201 with the created object`, answered);
  },
});
