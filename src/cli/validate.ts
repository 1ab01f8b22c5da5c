import { resolve } from 'node:path';
import { tryLoadTargets, formatProblem } from '../config/load.ts';
import { usesReference } from '../runner/reference-env.ts';
import { referenceCredentials } from '../../reference/tokens.ts';
import { parseArgs } from './args.ts';

export function targetsPath(flag: string[] | undefined): string {
  return resolve(flag?.at(-1) ?? process.env.CONFORMANCE_TARGETS ?? 'targets.yaml');
}

/** `conformance validate`: exit 0 valid, 2 invalid. */
export function validateCommand(argv: readonly string[]): number {
  const args = parseArgs(argv);
  const file = targetsPath(args.flags.get('targets'));
  // Validation must not fail on what only a run provides: the reference API's URL and credentials.
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (usesReference(file)) {
    for (const [k, v] of Object.entries(referenceCredentials())) env[k] ??= v;
    env.CONFORMANCE_REFERENCE_URL ??= 'http://127.0.0.1:0';
  }
  const loaded = tryLoadTargets(file, { env });
  if ('problems' in loaded) {
    process.stderr.write(`${loaded.problems.map(formatProblem).join('\n')}\n${loaded.problems.length} problem(s); nothing was probed.\n`);
    return 2;
  }
  for (const t of loaded.targets) {
    process.stdout.write(
      `${t.name}: ${t.profile} ${t.baseUrl} (${t.mode}, ${t.resources.length} resource(s), credentials: ${Object.keys(t.auth).join(', ') || 'none'})\n`,
    );
  }
  process.stdout.write(`${file}: valid (${loaded.targets.length} target(s))\n`);
  return 0;
}
