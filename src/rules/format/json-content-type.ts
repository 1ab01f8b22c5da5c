import { mediaType } from '../../http/exchange.ts';
import { apiExchanges, bodyExcerpt, failed, jsonBody, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { healthProbe } from '../../probes/health.ts';
import { resourcesCreateProbe, resourcesListProbe, resourcesReadProbe } from '../../probes/resources.ts';

const isJsonType = (t: string): boolean => t === 'application/json' || /^application\/[\w.+-]+\+json$/.test(t);

/**
 * SPEC §6 format.json-content-type, run-wide over 2xx responses (error bodies are
 * errors.content-type's): a JSON body declares application/json or a +json type, and a body
 * declared as JSON parses as JSON.
 */
export const formatJsonContentType = defineRule('format.json-content-type', {
  probes: [resourcesListProbe, resourcesReadProbe, resourcesCreateProbe, healthProbe],
  runWide: true,
  check(rec) {
    const judged = apiExchanges(rec, { includeHealth: true }).filter((e) => {
      const r = e.response!;
      return r.status >= 200 && r.status < 300 && r.bodyBytes > 0 && !r.droppedBytes && !r.incomplete && e.request.method !== 'HEAD';
    });
    const findings: Finding[] = [];
    const seen = judged.filter((e) => jsonBody(e) !== undefined || isJsonType(mediaType(e)));
    for (const e of seen) {
      const type = mediaType(e);
      if (jsonBody(e) !== undefined && !isJsonType(type)) {
        findings.push({
          message: `a 2xx JSON body is labelled ${type || '(no Content-Type)'}`,
          exchanges: [e.id],
          at: 'Content-Type',
          expected: 'application/json (or a +json type)',
          received: type || '(none)',
        });
      } else if (jsonBody(e) === undefined) {
        findings.push({
          message: `a 2xx body labelled ${type} is not valid JSON`,
          exchanges: [e.id],
          at: 'body',
          expected: 'valid JSON',
          received: bodyExcerpt(e, 120),
        });
      }
    }
    if (!seen.length) return skipped('nothing-to-check', 'the run saw no 2xx JSON body');
    return findings.length
      ? failed(`${findings.length} of ${seen.length} 2xx JSON responses are not labelled as JSON`, findings)
      : passed(`all ${seen.length} 2xx JSON bodies are labelled application/json or +json`, seen);
  },
});
