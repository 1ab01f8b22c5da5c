import { errorResponses, failed, isObject, jsonBody, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesNotFoundProbe, routeUnknownProbe } from '../../probes/resources.ts';

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** SPEC §6 errors.code-format: envelope `error.code` UPPER_SNAKE_CASE, `error.message` non-empty. */
export const errorsCodeFormat = defineRule('errors.code-format', {
  probes: [resourcesNotFoundProbe, routeUnknownProbe],
  runWide: true,
  check(rec) {
    const judged = errorResponses(rec).filter((e) => {
      const b = jsonBody(e);
      return isObject(b) && isObject(b.error);
    });
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no error envelope');
    const findings: Finding[] = [];
    for (const e of judged) {
      const error = (jsonBody(e) as { error: Record<string, unknown> }).error;
      if (typeof error.code !== 'string' || !UPPER_SNAKE.test(error.code)) {
        findings.push({
          message: `error.code ${JSON.stringify(error.code)} is not UPPER_SNAKE_CASE`,
          exchanges: [e.id],
          at: '$.error.code',
          expected: 'UPPER_SNAKE_CASE, e.g. SESSION_NOT_FOUND',
          received: JSON.stringify(error.code),
        });
      }
      if (typeof error.message !== 'string' || !error.message.trim()) {
        findings.push({
          message: 'error.message is empty or missing',
          exchanges: [e.id],
          at: '$.error.message',
          expected: 'a non-empty message',
          received: JSON.stringify(error.message),
        });
      }
    }
    return findings.length
      ? failed('error codes or messages do not follow the convention', findings)
      : passed(`all ${judged.length} error envelopes carry an UPPER_SNAKE_CASE code and a message`, judged);
  },
});
