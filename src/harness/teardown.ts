/**
 * Playwright global teardown: deletes what a worker created and could not delete itself because
 * it died or the run was interrupted (its ledger is still on disk), and records what even this
 * could not delete, for summary.json's `leftovers`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadTargets } from '../config/load.ts';
import { ProbeClient } from '../http/client.ts';
import { Ledger, leftoverLedgers } from './ledger.ts';
import { removeTokenCache } from '../http/oauth.ts';
import { runPaths, runTokenDir } from './paths.ts';

export function leftoversFile(workDir: string, target: string): string {
  return join(workDir, 'leftovers', `${target.replace(/[^\w.-]/g, '_')}.json`);
}

export async function deleteOrphans(workDir: string, targetsFile: string): Promise<Record<string, string[]>> {
  const files = leftoverLedgers(workDir);
  const result: Record<string, string[]> = {};
  if (!files.length) return result;
  const targets = loadTargets(targetsFile, { trusted: true });
  for (const file of files) {
    const target = targets.find((t) => `${t.name.replace(/[^\w.-]/g, '_')}.jsonl` === basename(file));
    if (!target) continue;
    const ledger = Ledger.load(file, target);
    const tokenCacheDir = runTokenDir();
    const client = new ProbeClient(target, tokenCacheDir ? { tokenCacheDir } : {});
    try {
      result[target.name] = await ledger.cleanUp(client);
    } finally {
      await client.close();
    }
    ledger.close();
    mkdirSync(join(workDir, 'leftovers'), { recursive: true });
    writeFileSync(leftoversFile(workDir, target.name), JSON.stringify(result[target.name]));
  }
  return result;
}

export default async function globalTeardown(): Promise<void> {
  const targetsFile = process.env.CONFORMANCE_TARGETS ?? 'targets.yaml';
  const tokens = runTokenDir();
  try {
    await deleteOrphans(runPaths().workDir, targetsFile);
  } finally {
    // The files hold live tokens: they do not outlive the run.
    if (tokens) removeTokenCache(tokens);
  }
}
