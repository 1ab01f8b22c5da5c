import { describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { healthProbe, readyProbe } from '../../probes/health.ts';
import { outputOf } from '../../probes/types.ts';

const DEMANDS_CREDENTIALS = new Set([401, 403]);

/**
 * SPEC §6 auth.public-health: health (and, backend, ready) answer callers without
 * credentials: health with a 2xx, ready with a 2xx or 503 (not ready is still an answer).
 * What it asks is whether they demand credentials (401/403). Any other answer (a 404 from a
 * service with no health endpoint, a 500) says nothing about credentials: that endpoint is not
 * judged here, and when observability.health failed over it, this rule is blocked by it (one
 * cause, one finding: issue 13's field review).
 */
export const authPublicHealth = defineRule('auth.public-health', {
  probes: [healthProbe, readyProbe],
  dependsOn: [
    {
      rule: 'observability.health',
      needs: 'a health endpoint that answers',
      when: (rec) =>
        ![healthProbe, readyProbe].some((p) => DEMANDS_CREDENTIALS.has(exchangeById(rec, outputOf(rec, p))?.response?.status ?? 0)),
    },
  ],
  check(rec) {
    const judged = (
      [
        ['health', healthProbe],
        ['ready', readyProbe],
      ] as const
    ).flatMap(([name, probe]) => {
      const e = exchangeById(rec, outputOf(rec, probe));
      return e ? [{ name, e }] : [];
    });
    if (!judged.length) return skipped('nothing-to-check', 'no health endpoint was probed');
    const silent = judged.find(({ e }) => !e.response);
    if (silent) return unanswered([silent.e], silent.name);
    const findings: Finding[] = [];
    const answered = judged.filter(({ name, e }) => {
      const s = e.response!.status;
      return (s >= 200 && s < 300) || (name === 'ready' && s === 503);
    });
    for (const { name, e } of judged) {
      const s = e.response!.status;
      if (!DEMANDS_CREDENTIALS.has(s)) continue;
      findings.push({
        message: `${name} without credentials: received ${s}: it demands credentials`,
        exchanges: [e.id],
        expected: name === 'ready' ? '2xx or 503' : '2xx',
        received: String(s),
      });
    }
    if (findings.length) return failed('health endpoints do not answer anonymous callers', findings);
    if (!answered.length) {
      const seen = judged.map(({ name, e }) => `${name} ${e.response!.status}`).join(', ');
      return skipped('nothing-to-check', `no health endpoint answered (${seen}): whether one demands credentials cannot be told`);
    }
    return passed(
      `health endpoints answer without credentials: ${answered.map(({ e }) => describe(e)).join(', ')}`,
      answered.map(({ e }) => e),
    );
  },
});
