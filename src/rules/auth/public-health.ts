import { describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { healthProbe, readyProbe } from '../../probes/health.ts';
import { outputOf } from '../../probes/types.ts';

/**
 * SPEC §6 auth.public-health: health (and, backend, ready) answer callers without
 * credentials: health with a 2xx, ready with a 2xx or 503 (not ready is still an answer).
 */
export const authPublicHealth = defineRule('auth.public-health', {
  probes: [healthProbe, readyProbe],
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
    for (const { name, e } of judged) {
      const s = e.response!.status;
      const answered = (s >= 200 && s < 300) || (name === 'ready' && s === 503);
      if (answered) continue;
      const why = s === 401 || s === 403 ? 'it demands credentials' : 'it did not answer';
      findings.push({
        message: `${name} without credentials: received ${s}: ${why}`,
        exchanges: [e.id],
        expected: name === 'ready' ? '2xx or 503' : '2xx',
        received: String(s),
      });
    }
    return findings.length
      ? failed('health endpoints do not answer anonymous callers', findings)
      : passed(
          `health endpoints answer without credentials: ${judged.map(({ e }) => describe(e)).join(', ')}`,
          judged.map(({ e }) => e),
        );
  },
});
