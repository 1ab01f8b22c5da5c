/**
 * Playwright fixtures, all per worker: the target of the worker's project, the waivers, and
 * what judging needs — the target's recording (made once per run, shared across workers through
 * the report dir) and the compiled schemas. A recording that cannot be made is handed to the test
 * as a failure, so every selected rule still gets its own `error` result.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { test as base } from '@playwright/test';
import { join } from 'node:path';
import { loadTargets } from '../config/load.ts';
import type { Target } from '../config/target.ts';
import { EXCHANGES_ATTACHMENT, type ExchangesAttachment, harWanted, type ProjectMetadata } from '../harness/contract.ts';
import type { SchemaSet } from '../spec/schemas.ts';
import { runWaivers, type WaiverSet } from '../policy/waivers.ts';
import type { TargetRecording } from '../harness/recording.ts';
import { selectedRules } from './selection.ts';
import { runPaths } from '../harness/paths.ts';

export type Prepared = { readonly recording: TargetRecording; readonly schemas: SchemaSet } | { readonly failure: string };

export const test = base.extend<{ harAttachment: undefined }, { target: Target; prepared: Prepared; waivers: WaiverSet }>({
  target: [
    async ({}, use, workerInfo) => {
      const meta = workerInfo.project.metadata as ProjectMetadata;
      const target = loadTargets(meta.targetsFile, { trusted: true }).find((t) => t.name === meta.target);
      if (!target) throw new Error(`target ${meta.target} is not in ${meta.targetsFile}`);
      await use(target);
    },
    { scope: 'worker' },
  ],

  // Only for Playwright's own report (annotation, skip); summary.json gets waivers from the reporter.
  waivers: [
    async ({}, use) => {
      await use(runWaivers());
    },
    { scope: 'worker' },
  ],

  // `run --har`: the first test of each target to run attaches the target's exchanges
  // (attachments reach the reporter in live runs and in merges of shards alike).
  harAttachment: [
    async ({ target, prepared }, use, testInfo) => {
      if (harWanted() && 'recording' in prepared && firstOfRun(`har-${target.name}`)) {
        const attached: ExchangesAttachment = { target: target.name, exchanges: prepared.recording.exchanges };
        await testInfo.attach(EXCHANGES_ATTACHMENT, { body: JSON.stringify(attached), contentType: 'application/json' });
      }
      await use(undefined);
    },
    { auto: true },
  ],

  prepared: [
    async ({ target }, use, workerInfo) => {
      // Loaded here, not at the top: the runner process imports this file only to list the tests.
      const [{ RULES }, { sharedRecording }, { loadSchemas }] = await Promise.all([
        import('../rules/registry.ts'),
        import('../harness/recording.ts'),
        import('../spec/schemas.ts'),
      ]);
      const selected = selectedRules(RULES, workerInfo.config, workerInfo.project);
      const dir = join(runPaths().workDir, 'recordings');
      let prepared: Prepared;
      try {
        prepared = { recording: await sharedRecording(dir, target, selected), schemas: loadSchemas() };
      } catch (e) {
        prepared = { failure: (e as Error).message?.split('\n')[0] ?? String(e) };
      }
      await use(prepared);
    },
    { scope: 'worker', timeout: 30 * 60 * 1000 },
  ],
});

export { expect } from '@playwright/test';

/** True for the first caller of this run (across worker processes) to claim `name`. */
function firstOfRun(name: string): boolean {
  const dir = join(runPaths().workDir, 'claims');
  mkdirSync(dir, { recursive: true });
  try {
    closeSync(openSync(join(dir, name.replace(/[^\w.-]/g, '_')), 'wx'));
    return true;
  } catch {
    return false;
  }
}
