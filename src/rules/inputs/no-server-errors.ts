import { describe, failed, passed } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { inputsGeneratedProbe, type ShrunkCase } from '../../probes/inputs.ts';
import { generatedCases, replayNote } from './generated.ts';

/**
 * SPEC §6 inputs.no-server-errors: no generated request (valid or invalid) gets a 5xx. Each
 * failing operation shows the smallest failing request shrinking found (SPEC §8), the broken
 * constraint when the case was an invalid one, and how to send the same case again.
 */
export const inputsNoServerErrors = defineRule('inputs.no-server-errors', {
  probes: [inputsGeneratedProbe],
  check(rec) {
    const found = generatedCases(rec);
    if ('outcome' in found) return found.outcome;
    const { output, answered } = found;
    const byId = new Map(rec.exchanges.map((e) => [e.id, e]));
    const findings: Finding[] = [];
    const reported = new Set<string>();
    for (const { case: c, exchange, status } of answered) {
      if (status < 500 || reported.has(c.operation)) continue;
      reported.add(c.operation);
      const shrunk = output.shrunk.find((s) => s.operation === c.operation);
      const smallest = shrunk ? byId.get(shrunk.exchange) : undefined;
      const broke = c.kind === 'invalid' ? ` (invalid case: ${c.description ?? c.constraint} at ${c.at})` : ' (a valid case)';
      const count = answered.filter((a) => a.case.operation === c.operation && a.status >= 500).length;
      findings.push({
        message:
          `${c.operation}: ${count} generated request(s) got a 5xx, first ${describe(exchange)}${broke}` +
          (shrunk && smallest ? `; smallest failing request found: ${describe(smallest)} ${shrinkNote(shrunk)}` : '') +
          `; ${replayNote(output)}`,
        exchanges: [...new Set([smallest?.id ?? exchange.id, exchange.id])],
        ...(c.at ? { at: c.at } : {}),
        expected: '< 500',
        received: String(smallest?.response?.status ?? status),
      });
    }
    return findings.length
      ? failed(`${reported.size} documented operation(s) answered a generated request with a 5xx`, findings)
      : passed(
          `none of ${answered.length} generated requests (${output.seed === 1 ? 'default ' : ''}seed ${output.seed}) got a 5xx`,
          answered.map((a) => a.exchange),
        );
  },
});

function shrinkNote(s: ShrunkCase): string {
  const sent = [
    Object.keys(s.request.query).length ? `query ${JSON.stringify(s.request.query)}` : '',
    s.request.body !== undefined ? `body ${JSON.stringify(s.request.body)}` : '',
  ].filter(Boolean);
  const text = sent.join(', ') || 'no query or body';
  const shown = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return (
    `(${shown}; ${s.shrinks} shrink step(s) in ${s.calls} request(s)${s.budgetExhausted ? ', stopped by inputs.max_requests' : ''}; ` +
    `fast-check seed ${s.seed}${s.path ? ` path "${s.path}"` : ''})`
  );
}
