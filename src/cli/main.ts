/**
 * `npx conformance <command>` (SPEC §2). Each command returns its exit code; nothing here
 * decides a verdict (see policy/) or formats a report (see report/).
 */
// Commands are imported when called: `run` is the one users wait on, and loading every
// command's modules first cost it about half a second of start-up.
import { UsageError } from './args.ts';

const USAGE = `usage: conformance <command> [options]

commands:
  init --base-url URL --profile platform|backend [--name N] [--out F]
       [--openapi-source S] [--force]
                      first contact: GETs health, ready, the OpenAPI document and one page
                      of each list, and writes a targets file to start from (default
                      ./targets.yaml; never overwritten without --force). Exit 0 written,
                      2 unusable (unreachable, unreadable --openapi-source)
  run [--targets F] [--target NAME]... [--report-dir D] [--waivers F] [--dry-run] [--har]
      [--history DIR|none] [--history-keep N] [-- <playwright args>]
                      probe every target (or the named ones); exit 0 ok, 1 a must rule
                      failed or errored, 2 unusable configuration (nothing probed).
                      Writes index.html, summary.json, junit.xml into the report dir and
                      keeps the last N summaries in DIR (default <report dir>/history, 30).
                      --dry-run: print the requests per target and credential against the
                      declared rate budgets, and send nothing
                      --har: also write every exchange, redacted, as exchanges.har (HAR 1.2)
  gate [--summary F] [--waivers F|none] [--allow-incomplete] [--format table|markdown|json]
       [--markdown FILE]
                      release readiness from summary.json (default <report dir>/summary.json)
                      and waivers (default ./waivers.yaml when present); appends Markdown to
                      $GITHUB_STEP_SUMMARY when set. Exit 0 ready, 1 not ready (or
                      incomplete, unless --allow-incomplete), 2 unusable input
  diff OLD.json NEW.json [--format text|markdown|json] [--fail-on any|must|never]
                      regressions, fixes, new failures, new and removed rules and targets
                      between two runs (OLD may be a history folder: the run before NEW).
                      Exit 0 no regression, 1 a rule regressed (passed → failed/error), 2
                      unusable input
  validate [--targets F]
                      check targets.yaml only; exit 0 valid, 2 invalid
  rules [--profile platform|backend] [--format table|json|markdown]
                      print the rule catalogue
`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  // `conformance run --help` (before any `--`: what follows belongs to Playwright) prints the usage.
  const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (command && (own.includes('--help') || own.includes('-h'))) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'run':
        return await (await import('./run.ts')).runCommand(args);
      case 'init':
        return await (await import('./init.ts')).initCommand(args);
      case 'validate':
        return (await import('./validate.ts')).validateCommand(args);
      case 'gate':
        return (await import('./gate.ts')).gateCommand(args);
      case 'diff':
        return (await import('./diff.ts')).diffCommand(args);
      case 'rules':
        return (await import('./rules.ts')).rulesCommand(args);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return command ? 0 : 2;
      default:
        process.stderr.write(`unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
}
