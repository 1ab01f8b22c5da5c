import { mediaType } from '../../http/exchange.ts';
import { describe, errorResponses, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { resourcesNotFoundProbe, routeUnknownProbe } from '../../probes/resources.ts';

const JSON_TYPES = new Set(['application/json', 'application/problem+json']);

/** SPEC §6 errors.content-type: error bodies are JSON, never HTML or text. */
export const errorsContentType = defineRule('errors.content-type', {
  probes: [resourcesNotFoundProbe, routeUnknownProbe],
  runWide: true,
  check(rec) {
    const judged = errorResponses(rec).filter((e) => e.response!.bodyBytes > 0);
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no error response with a body');
    const findings: Finding[] = [];
    for (const e of judged) {
      const type = mediaType(e);
      if (!JSON_TYPES.has(type) && !type.endsWith('+json')) {
        findings.push({
          message: `error body declared as ${type || '(no Content-Type)'}`,
          exchanges: [e.id],
          at: 'Content-Type',
          expected: 'application/problem+json or application/json',
          received: type || '(none)',
        });
      }
    }
    return findings.length
      ? failed(
          `error bodies are not labelled as JSON (e.g. ${describe(judged.find((e) => e.id === findings[0]!.exchanges[0])!)})`,
          findings,
        )
      : passed(`all ${judged.length} error bodies are labelled as JSON`, judged);
  },
});
