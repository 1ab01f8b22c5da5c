/**
 * Judges targets as a run's workers do — `recordTarget`, then `evaluateRule` for every rule of
 * the catalogue — but in this process, several targets at a time. For matrices of many targets
 * (one per reference fault, one per hostile case): Playwright starts a worker process per
 * project and again after every failed test (~1 s each here), so a matrix of 150 targets that
 * each fail on purpose would spend most of its time starting workers. The runner's own wiring
 * over these same two functions is proven by the end-to-end runs (e2e, report, safety, examples).
 */
import { stringify } from 'yaml';
import { parseTargets } from '../../src/config/load.ts';
import type { Target } from '../../src/config/target.ts';
import { evaluateRule, type RuleResult } from '../../src/harness/evaluate.ts';
import { recordTarget, type TargetRecording } from '../../src/harness/recording.ts';
import { RULES } from '../../src/rules/registry.ts';
import { loadSchemas } from '../../src/spec/schemas.ts';

export interface JudgedTarget {
  readonly name: string;
  readonly target: Target;
  readonly rules: readonly RuleResult[];
  readonly recording: TargetRecording;
  /** Wall time of the recording and judging of this target. */
  readonly durationMs: number;
}

/** `file` is a targets file as data (`{ version: 1, targets: {…} }`); `${VAR}`s read `env`. */
export async function judgeTargets(file: object, env: NodeJS.ProcessEnv, concurrency = 4): Promise<JudgedTarget[]> {
  const targets = parseTargets(stringify(file), 'targets.yaml', env);
  const schemas = loadSchemas();
  const judged: JudgedTarget[] = new Array(targets.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < targets.length; i = next++) {
      const target = targets[i]!;
      const started = performance.now();
      const recording = await recordTarget(target, RULES);
      const rules = RULES.map((rule) => evaluateRule(rule, target, recording, schemas));
      judged[i] = { name: target.name, target, rules, recording, durationMs: Math.round(performance.now() - started) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, lane));
  return judged;
}

export function judgedRule(judged: readonly JudgedTarget[], target: string, id: string): RuleResult {
  const t = judged.find((x) => x.name === target);
  if (!t) throw new Error(`target ${target} was not judged`);
  const rule = t.rules.find((r) => r.id === id);
  if (!rule) throw new Error(`rule ${id} is not in the catalogue`);
  return rule;
}
