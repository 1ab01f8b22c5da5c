/**
 * What the harness creates it deletes, also when a worker dies mid-run: the ledger on disk lets
 * the global teardown delete the orphans, and what it cannot delete is reported.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { mintToken } from '../reference/tokens.ts';
import { Ledger, ledgerFile } from '../src/harness/ledger.ts';
import { deleteOrphans } from '../src/harness/teardown.ts';
import { loadTargets } from '../src/config/load.ts';
import { tempDir, writeTargets } from './support/harness.ts';
import { startReference } from './support/reference.ts';

describe('cleanup after an interrupted run', () => {
  let reference: Awaited<ReturnType<typeof startReference>>;
  before(async () => {
    reference = await startReference();
  });
  after(async () => {
    await reference?.close();
  });

  it('the teardown deletes items a dead worker left in its ledger, and lists what it could not', async () => {
    const token = mintToken();
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const create = async (): Promise<string> => {
      const res = await request(`${reference.url}/backend/v1/sessions`, { method: 'POST', headers: auth, body: '{"name":"orphan"}' });
      return ((await res.body.json()) as { id: string }).id;
    };
    const ids = [await create(), await create()];
    const dir = tempDir('cleanup');
    const file = writeTargets(
      dir,
      `version: 1\ntargets:\n  orphaned:\n    base_url: ${reference.url}/backend\n    profile: backend\n    mode: mutating\n    auth: { bearer: "${token}" }\n    resources:\n      - { name: sessions, collection: /v1/sessions, item: "/v1/sessions/{id}" }\n`,
    );
    const target = loadTargets(file)[0]!;
    const workDir = `${dir}/work`;
    // What a worker writes as it creates, then dies before its own cleanup:
    const ledger = new Ledger(ledgerFile(workDir, 'orphaned'));
    for (const id of ids) ledger.created(target.resources[0]!, id);
    ledger.created(target.resources[0]!, 'already-gone-00000000');

    const left = await deleteOrphans(workDir, file);
    assert.deepEqual(left, { orphaned: [] }, 'everything was deleted (an item already gone counts as deleted)');
    for (const id of ids) {
      const res = await request(`${reference.url}/backend/v1/sessions/${id}`, { headers: auth });
      await res.body.dump();
      assert.equal(res.statusCode, 404);
    }
    assert.deepEqual(await deleteOrphans(workDir, file), {}, 'the ledger is gone once handled');
  });
});
