/**
 * targets.yaml → Target[]. Parsed with `yaml` keeping node ranges so that every error names
 * file:line:column and the fix (yaml-source.ts); `${VAR}` and `${VAR:-default}` interpolated
 * from the environment (raw.ts); validated by schemas/targets.schema.json and the catalogue
 * (validate.ts); built into Targets with the profile presets (build.ts). SPEC §3.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { isScalar, type Node } from 'yaml';
import { toTarget } from './build.ts';
import { deepMerge, interpolate, type RawFile, type RawTarget } from './raw.ts';
import type { Target } from './target.ts';
import { checkSemantics, validateShape } from './validate.ts';
import { keyOffset, parseYamlSource, type YamlPath } from './yaml-source.ts';

export interface ConfigProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly fix?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.message}${p.fix ? `\n  fix: ${p.fix}` : ''}`;
}

export interface LoadOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Used in messages instead of the absolute path. */
  readonly displayPath?: string;
  /**
   * Skip the JSON Schema validation (≈90 ms of ajv compilation): for Playwright workers, whose
   * runner already validated the same file. Worker starts repeat after every failed test.
   */
  readonly trusted?: boolean;
}

export function loadTargets(file: string, options: LoadOptions = {}): Target[] {
  const rel = relative(process.cwd(), file);
  const display = options.displayPath ?? (rel && !rel.startsWith('..') ? rel : file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([
      {
        file: display,
        line: 1,
        column: 1,
        message: `cannot read targets file: ${(e as Error).message}`,
        fix: 'point --targets or CONFORMANCE_TARGETS at an existing targets.yaml',
      },
    ]);
  }
  return parseTargets(text, display, options.env ?? process.env, resolve(file, '..'), options.trusted);
}

export function parseTargets(text: string, display: string, env: NodeJS.ProcessEnv, baseDir = process.cwd(), trusted = false): Target[] {
  const { doc, at } = parseYamlSource(text);
  const problems: ConfigProblem[] = [];
  const problem = (offset: number | undefined, message: string, fix?: string): void => {
    problems.push({ file: display, ...at(offset), message, ...(fix ? { fix } : {}) });
  };

  for (const e of doc.errors) {
    const duplicate = e.code === 'DUPLICATE_KEY';
    problem(
      e.pos[0],
      duplicate ? `duplicate key: ${e.message.split('\n')[0]}` : `YAML syntax error: ${e.message.split('\n')[0]}`,
      duplicate
        ? 'each key (and each target name) may appear once; remove or rename the repeat'
        : 'fix the YAML syntax at this position (indentation, quotes, colons)',
    );
  }
  if (problems.length) throw new ConfigError(problems);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new ConfigError([
      {
        file: display,
        line: 1,
        column: 1,
        message: 'the targets file is empty',
        fix: 'start from the example in README: `version: 1` and a `targets:` map',
      },
    ]);
  }

  const envVars = new Map<string, string>(); // path key → env var a secret came from
  interpolate(doc, env, envVars, problem);
  if (problems.length) throw new ConfigError(problems);

  const data = doc.toJS() as unknown;
  if (!trusted) validateShape(doc, data, problem);
  if (problems.length) throw new ConfigError(problems);

  const file = data as RawFile;
  const defaults = file.defaults ?? {};
  const targets: Target[] = [];
  for (const [name, raw] of Object.entries(file.targets)) {
    const merged = deepMerge(defaults, raw) as RawTarget;
    const node = doc.getIn(['targets', name], true) as Node | undefined;
    const nameOffset = keyOffset(doc, ['targets'], name) ?? node?.range?.[0];
    const nodeAt = (path: YamlPath): number | undefined =>
      (doc.getIn(['targets', name, ...path], true) as Node | undefined)?.range?.[0] ?? nameOffset;
    const keyAt = (path: YamlPath, key: string): number | undefined => keyOffset(doc, ['targets', name, ...path], key) ?? nodeAt(path);
    checkSemantics(name, merged, nodeAt, keyAt, problem, baseDir);
    targets.push(toTarget(name, merged, envVars, { file: display, ...at(nameOffset) }, baseDir));
  }
  if (problems.length) throw new ConfigError(problems);
  return targets;
}

/** For tests and `validate`: parse without throwing. */
export function tryLoadTargets(file: string, options: LoadOptions = {}): { targets: Target[] } | { problems: readonly ConfigProblem[] } {
  try {
    return { targets: loadTargets(file, options) };
  } catch (e) {
    if (e instanceof ConfigError) return { problems: e.problems };
    throw e;
  }
}
