import { describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { meaning } from './statuses.ts';
import { defineRule } from '../define.ts';
import { authApiKeyProbe } from '../../probes/auth.ts';
import { outputOf } from '../../probes/types.ts';

/** SPEC §6 auth.api-key: a valid X-API-Key is accepted (2xx); invalid keys → 401. */
export const authApiKey = defineRule('auth.api-key', {
  probes: [authApiKeyProbe],
  check(rec) {
    const out = outputOf(rec, authApiKeyProbe);
    if (!out) return skipped('nothing-to-check', 'no protected resource to probe with the API key');
    const valid = exchangeById(rec, out.valid);
    const invalid = out.invalid.map((a) => exchangeById(rec, a.exchange)).filter((e) => e !== undefined);
    const all = [valid, ...invalid].filter((e) => e !== undefined);
    const silent = all.find((e) => !e.response);
    if (silent) return unanswered([silent]);
    const findings: Finding[] = [];
    const vs = valid?.response?.status;
    if (valid && (vs === undefined || vs < 200 || vs >= 300)) {
      findings.push({
        message: `${valid.purpose}: received ${vs} (${meaning(vs ?? 0)}), expected 2xx: the valid key was not accepted`,
        exchanges: [valid.id],
        at: 'X-API-Key',
        expected: '2xx',
        received: String(vs),
      });
    }
    for (const e of invalid) {
      const s = e.response!.status;
      if (s !== 401)
        findings.push({
          message: `${e.purpose}: received ${s} (${meaning(s)}), expected 401`,
          exchanges: [e.id],
          at: 'X-API-Key',
          expected: '401',
          received: String(s),
        });
    }
    if (findings.length) return failed('API keys are not checked as they should be', findings);
    return passed(`the valid X-API-Key was accepted (${describe(valid!)}) and ${invalid.length} invalid keys answered 401`, all);
  },
});
