import { describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { differences, formatDifferences, isTimestampKey, representationOf, representationPath } from './representation.ts';
import { defineRule } from '../define.ts';
import { methodsPutTwiceProbe } from '../../probes/methods.ts';
import { outputOf } from '../../probes/types.ts';

const ok = (s: number | undefined): boolean => s !== undefined && s >= 200 && s < 300;

/** SPEC §6 methods.put-idempotent: the same PUT twice gives the same representation (`*_at` aside). */
export const methodsPutIdempotent = defineRule('methods.put-idempotent', {
  probes: [methodsPutTwiceProbe],
  check(rec, ctx) {
    const outputs = outputOf(rec, methodsPutTwiceProbe) ?? {};
    const findings: Finding[] = [];
    const judged: number[] = [];
    const notes: string[] = [];
    for (const [resource, out] of Object.entries(outputs)) {
      const [put1, put2] = out.puts.map((id) => exchangeById(rec, id));
      const [read1, read2] = out.reads.map((id) => exchangeById(rec, id));
      const all = [put1, put2, read1, read2];
      const broken = all.find((e) => e && !e.response);
      if (!put1 || !put2 || broken)
        return unanswered(
          all.filter((e) => e !== undefined),
          resource,
          broken?.error?.message ?? 'a PUT was not sent',
        );
      if (!ok(put1.response?.status)) {
        notes.push(`${resource}: the first PUT answered ${put1.response!.status} (status.update-200 judges that)`);
        continue;
      }
      judged.push(put1.id, put2.id);
      if (!ok(put2.response?.status)) {
        findings.push({
          message: `${resource}: repeating the same PUT answered ${put2.response!.status} where the first answered ${put1.response!.status}`,
          exchanges: [put1.id, put2.id],
          expected: String(put1.response!.status),
          received: String(put2.response!.status),
        });
        continue;
      }
      const pairs: [string, typeof put1 | undefined, typeof put1 | undefined][] = [
        ['PUT responses', put1, put2],
        ['reads after each PUT', read1, read2],
      ];
      for (const [what, a, b] of pairs) {
        const ra = representationOf(a, ctx.target.profile);
        const rb = representationOf(b, ctx.target.profile);
        if (!a || !b || !ra || !rb) continue; // e.g. a PUT answering 204: the reads carry the comparison
        const diffs = differences(ra, rb, isTimestampKey, representationPath(a, ctx.target.profile));
        if (diffs.length) {
          findings.push({
            message: `${resource}: the ${what} differ (${'`*_at`'} fields aside): ${formatDifferences(diffs)}`,
            exchanges: [a.id, b.id],
            at: diffs[0]!.path,
            expected: `the same representation both times (first: ${JSON.stringify(ra).slice(0, 300)})`,
            received: formatDifferences(diffs, 10),
          });
        } else judged.push(a.id, b.id);
      }
    }
    if (findings.length) return failed('the same PUT twice gave different representations', findings);
    if (!judged.length) return skipped('nothing-to-check', notes.join('; ') || 'no item was created to PUT twice');
    const ids = [...new Set(judged)].map((id) => exchangeById(rec, id)!);
    return passed(
      `the same PUT twice gave the same representation (\`*_at\` fields aside): ${ids.slice(0, 2).map(describe).join(', ')}`,
      ids,
    );
  },
});
