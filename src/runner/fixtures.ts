/**
 * Playwright fixtures: per worker, the target of the worker's project, the compiled schemas,
 * and the target's recording (made once per run, shared across workers through the report dir).
 */
import { test as base } from '@playwright/test';
import { join } from 'node:path';
import { loadTargets } from '../config/load.ts';
import type { Target } from '../config/target.ts';
import type { ProjectMetadata } from '../harness/contract.ts';
import { RULES } from '../rules/registry.ts';
import { loadSchemas, type SchemaSet } from '../spec/schemas.ts';
import { runWaivers, type WaiverSet } from '../policy/waivers.ts';
import { sharedRecording, type TargetRecording } from '../harness/recording.ts';
import { selectedRules } from './selection.ts';
import { runPaths } from '../harness/paths.ts';

export const test = base.extend<object, { target: Target; schemas: SchemaSet; recording: TargetRecording; waivers: WaiverSet }>({
  target: [
    async ({}, use, workerInfo) => {
      const meta = workerInfo.project.metadata as ProjectMetadata;
      const target = loadTargets(meta.targetsFile, { trusted: true }).find((t) => t.name === meta.target);
      if (!target) throw new Error(`target ${meta.target} is not in ${meta.targetsFile}`);
      await use(target);
    },
    { scope: 'worker' },
  ],

  schemas: [
    async ({}, use) => {
      await use(loadSchemas());
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

  recording: [
    async ({ target }, use, workerInfo) => {
      const selected = selectedRules(RULES, workerInfo.config, workerInfo.project);
      const dir = join(runPaths().workDir, 'recordings');
      await use(await sharedRecording(dir, target, selected));
    },
    { scope: 'worker', timeout: 30 * 60 * 1000 },
  ],
});

export { expect } from '@playwright/test';
