import { describe, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { bodyExcerpt } from '../support.ts';
import { inputsGeneratedProbe } from '../../probes/inputs.ts';
import { generatedCases, isSuccess, replayNote } from './generated.ts';

/**
 * SPEC §6 inputs.valid-accepted: a generated request valid against the document is accepted:
 * 2xx, or a 4xx the operation documents other than 400/422 (404 for a generated id, 409).
 * Cases the harness cannot know to be valid (a made-up id or cursor) never count against it
 * (SPEC §8); a 5xx is inputs.no-server-errors' finding, 401/403/429 are not about the input.
 */
export const inputsValidAccepted = defineRule('inputs.valid-accepted', {
  probes: [inputsGeneratedProbe],
  check(rec) {
    const found = generatedCases(rec);
    if ('outcome' in found) return found.outcome;
    const { output, model } = found;
    const judged = found.answered.filter(
      (a) => a.case.kind === 'valid' && !a.case.unknowable && a.status < 500 && ![401, 403, 429].includes(a.status),
    );
    if (!judged.length) {
      return skipped(
        'nothing-to-check',
        'no valid generated request could be judged (every one named a made-up id or cursor, or got a 5xx, 401, 403 or 429)',
      );
    }
    const findings: Finding[] = [];
    for (const { case: c, exchange, status } of judged) {
      if (isSuccess(status)) continue;
      const op = model.match(exchange.request.method, exchange.path, new URL(exchange.request.url).pathname);
      const documented = op ? model.response(op, status) : undefined;
      if (status !== 400 && status !== 422 && status < 500 && documented && documented.key !== 'default') continue;
      findings.push({
        message: `${c.operation}: a request valid against the document was rejected: ${describe(exchange)} ${bodyExcerpt(exchange, 160)}; ${replayNote(output)}`,
        exchanges: [exchange.id],
        expected: '2xx or a documented 4xx other than 400/422',
        received: String(status),
      });
    }
    return findings.length
      ? failed(`${findings.length} of ${judged.length} valid generated requests were rejected`, findings)
      : passed(
          `${judged.length} generated requests valid against the document were accepted (${[...new Set(judged.map((j) => j.status))].join('/')})`,
          judged.map((j) => j.exchange),
        );
  },
});
