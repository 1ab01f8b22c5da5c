/** What the inputs.* rules share: the generated cases with their exchanges, or why there are none. */
import { documentOf, type OpenApiModel } from '../../openapi/document.ts';
import type { Exchange } from '../../http/exchange.ts';
import { inputsGeneratedProbe, type InputsOutput, type SentCase } from '../../probes/inputs.ts';
import { outputOf } from '../../probes/types.ts';
import { skipped } from '../support.ts';
import type { Outcome, Recording } from '../types.ts';

export interface JudgedCase {
  readonly case: SentCase;
  readonly exchange: Exchange;
  readonly status: number;
}

export interface Generated {
  readonly output: InputsOutput;
  readonly model: OpenApiModel;
  /** Cases that got a complete response (transport errors and cut bodies are not judged). */
  readonly answered: readonly JudgedCase[];
}

/** The generated cases of a recording, or the outcome when there are none to judge. */
export function generatedCases(rec: Recording): Generated | { outcome: Outcome } {
  const output = outputOf(rec, inputsGeneratedProbe);
  if (!output) return { outcome: skipped('nothing-to-check', 'no requests were generated (inputs:generated did not run)') };
  const found = documentOf(rec);
  if (output.problem || !('model' in found)) {
    const problem = output.problem ?? ('problem' in found ? found.problem : 'no document');
    return { outcome: skipped('missing-prerequisite', `${problem}; nothing to generate requests from (docs.openapi says why)`) };
  }
  if (!output.cases.length && output.notSent > 0) {
    return {
      outcome: skipped(
        'nothing-to-check',
        `inputs.max_requests is ${output.maxRequests}: none of ${output.generated} generated cases was sent`,
      ),
    };
  }
  if (!output.cases.length) {
    const why = output.skippedOperations.length
      ? `; operations left out: ${output.skippedOperations.map((s) => `${s.operation} (${s.reason})`).join('; ')}`
      : '';
    return { outcome: skipped('nothing-to-check', `the OpenAPI document gave no operation to generate requests for${why}`) };
  }
  const byId = new Map(rec.exchanges.map((e) => [e.id, e]));
  const answered: JudgedCase[] = [];
  for (const c of output.cases) {
    const exchange = byId.get(c.exchange);
    if (!exchange?.response || exchange.response.incomplete) continue;
    answered.push({ case: c, exchange, status: exchange.response.status });
  }
  return { output, model: found.model, answered };
}

/** "seed 1, 25 cases per operation" and how to run the same cases again. */
export function replayNote(output: InputsOutput): string {
  return `inputs.seed ${output.seed}, inputs.examples ${output.examples}: the same target and seed send the same cases again`;
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;
