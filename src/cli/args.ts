/** Command-line arguments shared by every `conformance` command. */

export type Args = { flags: Map<string, string[]>; rest: string[]; positional: string[] };

/** Parses `--name value`, `--name=value` and boolean `--flag`; everything after `--` is passed on. */
export function parseArgs(argv: readonly string[], booleans: readonly string[] = []): Args {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  let rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    const m = /^--([\w-]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      positional.push(arg);
      continue;
    }
    const name = m[1]!;
    const value = m[2] ?? (booleans.includes(name) ? 'true' : argv[++i]);
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { flags, rest, positional };
}

/** A command line that cannot be used: main prints the message and the usage, exit 2. */
export class UsageError extends Error {}
