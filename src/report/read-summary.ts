/**
 * Reads a summary.json and validates it against schemas/summary.schema.json: every command
 * that consumes a summary (gate, diff, history) goes through here, so a truncated or foreign
 * file is "unusable input" with a precise reason, never a silent "ready".
 */
import { readFileSync } from 'node:fs';
import { describeSchemaError, loadSchemas } from '../spec/schemas.ts';
import { SUMMARY_SCHEMA_VERSION, type Summary } from '../spec/summary.ts';

export class SummaryError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'SummaryError';
  }
}

/** Problems of a parsed value as a summary; [] when it is one. */
export function summaryProblems(value: unknown): string[] {
  if (typeof value === 'object' && value !== null && 'schema_version' in value && value.schema_version !== SUMMARY_SCHEMA_VERSION) {
    return [`schema_version ${JSON.stringify(value.schema_version)} is not supported (this harness reads ${SUMMARY_SCHEMA_VERSION})`];
  }
  return loadSchemas().validate('summary', value).slice(0, 5).map(describeSchemaError);
}

export function parseSummary(text: string, file: string): Summary {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SummaryError(file, `not JSON (${(e as Error).message})`);
  }
  const problems = summaryProblems(value);
  if (problems.length) throw new SummaryError(file, `not a valid summary.json: ${problems.join('; ')}`);
  return value as Summary;
}

export function readSummary(file: string): Summary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SummaryError(
      file,
      code === 'ENOENT' ? 'no such file (did the run finish? `npx conformance run` writes reports/summary.json)' : (e as Error).message,
    );
  }
  return parseSummary(text, file);
}
