import { describe, errored, exchangeById, failed, passed, skipped } from '../support.ts';
import type { Finding, RuleBehaviour } from '../types.ts';

/**
 * SPEC §6 auth.public-health: health (and, backend, ready) answer callers without
 * credentials: health with a 2xx, ready with a 2xx or 503 (not ready is still an answer).
 */
export const publicHealth: RuleBehaviour = {
  probes: ['health', 'ready'],
  check(rec) {
    const judged = (['health', 'ready'] as const).flatMap((name) => {
      const e = exchangeById(rec, rec.outputs[name] as number | undefined);
      return e ? [{ name, e }] : [];
    });
    if (!judged.length) return skipped('nothing-to-check', 'no health endpoint was probed');
    const silent = judged.find(({ e }) => !e.response);
    if (silent) return errored('transport-error', `could not check ${silent.name}: ${silent.e.error?.message ?? 'no response'}`, [silent.e]);
    const findings: Finding[] = [];
    for (const { name, e } of judged) {
      const s = e.response!.status;
      const answered = (s >= 200 && s < 300) || (name === 'ready' && s === 503);
      if (answered) continue;
      const why = s === 401 || s === 403 ? 'it demands credentials' : 'it did not answer';
      findings.push({ message: `${name} without credentials: received ${s}: ${why}`, exchanges: [e.id], expected: name === 'ready' ? '2xx or 503' : '2xx', received: String(s) });
    }
    return findings.length ? failed('health endpoints do not answer anonymous callers', findings)
      : passed(`health endpoints answer without credentials: ${judged.map(({ e }) => describe(e)).join(', ')}`, judged.map(({ e }) => e));
  },
};
