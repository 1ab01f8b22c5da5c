import { describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { differences, formatDifferences, representationOf, representationPath } from './representation.ts';
import { defineRule } from '../define.ts';
import { methodsGetTwiceProbe } from '../../probes/methods.ts';
import { outputOf } from '../../probes/types.ts';

const ok = (s: number | undefined): boolean => s !== undefined && s >= 200 && s < 300;

/** SPEC §6 methods.get-safe: repeated GETs leave the item unchanged, `updated_at` included. */
export const methodsGetSafe = defineRule('methods.get-safe', {
  probes: [methodsGetTwiceProbe],
  check(rec, ctx) {
    const outputs = outputOf(rec, methodsGetTwiceProbe) ?? {};
    const findings: Finding[] = [];
    const judged: number[] = [];
    // Why a resource's pair was not compared, for an honest skip message (issue 13's field review:
    // Prism's items were read twice, and the message said none were listed).
    const notCompared: string[] = [];
    for (const [resource, out] of Object.entries(outputs)) {
      const [a, b] = out.reads.map((id) => exchangeById(rec, id));
      if (!a || !b) continue;
      if (!a.response || !b.response) return unanswered([a, b], resource, (a.error ?? b.error)?.message ?? 'no response');
      if (!ok(a.response.status)) {
        notCompared.push(`${resource}: the item read answered ${a.response.status}`); // status.read-200 judges the read
        continue;
      }
      if (!ok(b.response.status)) {
        findings.push({
          message: `${resource}: the item answered ${a.response.status}, then ${b.response.status} on the next GET`,
          exchanges: [a.id, b.id],
          expected: String(a.response.status),
          received: String(b.response.status),
        });
        continue;
      }
      const ra = representationOf(a, ctx.target.profile);
      const rb = representationOf(b, ctx.target.profile);
      if (!ra || !rb) {
        notCompared.push(`${resource}: the reads carry no JSON item to compare (${describe(a)})`);
        continue;
      }
      const diffs = differences(ra, rb, undefined, representationPath(a, ctx.target.profile));
      if (diffs.length) {
        findings.push({
          message: `${resource}: two GETs ${out.gapMs} ms apart show different items: ${formatDifferences(diffs)}`,
          exchanges: [a.id, b.id],
          at: diffs[0]!.path,
          expected: 'the same representation, `updated_at` included',
          received: formatDifferences(diffs, 10),
        });
      } else judged.push(a.id, b.id);
    }
    if (findings.length) return failed('a GET changed the item', findings);
    for (const r of ctx.target.resources) {
      if (!outputs[r.name]) notCompared.push(`${r.name}: no item id known (none was created, and its list gave none as \`items[].id\`)`);
    }
    if (!judged.length)
      return skipped(
        'nothing-to-check',
        notCompared.length ? `no two reads of an item to compare: ${notCompared.slice(0, 3).join('; ')}` : 'no item was read twice',
      );
    const ids = judged.map((id) => exchangeById(rec, id)!);
    return passed(`repeated GETs left the item unchanged (${ids.slice(0, 2).map(describe).join(', ')})`, ids);
  },
});
