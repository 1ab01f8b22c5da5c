/**
 * `conformance diff OLD NEW`: what changed between two runs (SPEC §2). OLD may be a history
 * folder: the latest run in it that started before NEW is compared.
 * Exit 0 no regression, 1 a rule regressed (passed → failed/error; see --fail-on), 2 unusable input.
 */
import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { diffExitCode, diffSummaries, type FailOn } from '../report/diff.ts';
import { diffJson, diffMarkdown, diffText } from '../report/diff-view.ts';
import { previousRun, readHistory } from '../report/history.ts';
import { readSummary, SummaryError } from '../report/read-summary.ts';
import { styleFor } from '../report/text.ts';
import type { Summary } from '../spec/summary.ts';
import { parseArgs, UsageError } from './args.ts';

const display = (file: string): string => {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
};

function readOld(path: string, newer: Summary): { summary: Summary; file: string } {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) return { summary: readSummary(display(path)), file: display(path) };
  const { entries } = readHistory(path);
  const before = previousRun(entries, newer);
  if (!before)
    throw new SummaryError(display(path), `the history folder holds no earlier run of these targets (${entries.length} run(s) in it)`);
  return { summary: before.summary, file: display(before.file) };
}

export function diffCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const args = parseArgs(argv);
  if (args.positional.length !== 2)
    throw new UsageError('diff needs two summaries: conformance diff OLD.json NEW.json (OLD may be a history folder)');
  const format = args.flags.get('format')?.at(-1) ?? 'text';
  if (!['text', 'table', 'markdown', 'json'].includes(format)) throw new UsageError(`unknown format "${format}" (text | markdown | json)`);
  const failOn = (args.flags.get('fail-on')?.at(-1) ?? 'any') as FailOn;
  if (!['any', 'must', 'never'].includes(failOn)) throw new UsageError(`unknown --fail-on "${failOn}" (any | must | never)`);
  const [oldArg, newArg] = args.positional as [string, string];
  try {
    const newer = readSummary(display(resolve(newArg)));
    const older = readOld(resolve(oldArg), newer);
    const d = diffSummaries(older.summary, newer);
    const code = diffExitCode(d, failOn);
    const ctx = { oldFile: older.file, newFile: display(resolve(newArg)) };
    if (format === 'json') process.stdout.write(diffJson(d, ctx, code));
    else if (format === 'markdown') process.stdout.write(diffMarkdown(d, ctx));
    else process.stdout.write(diffText(d, ctx, styleFor(process.stdout, env), process.stdout.columns ?? 120));
    return code;
  } catch (e) {
    if (e instanceof SummaryError) {
      process.stderr.write(`diff: unusable input.\n${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
