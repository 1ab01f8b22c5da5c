import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePacingLedger, Pacer } from '../src/http/pacer.ts';

function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

describe('pacer', () => {
  it('lets a budget through at once, then waits exactly until the window frees a slot', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(1, clock.now, clock.sleep);
    const budget = { limit: 3, windowS: 10 };
    for (let i = 0; i < 3; i++) assert.equal(await pacer.acquire('k', budget), 0);
    const waited = await pacer.acquire('k', budget);
    assert.equal(waited, 10_200, 'the window plus a 2 % margin for arrival jitter');
    assert.deepEqual(clock.slept, [10_200]);
  });

  it('never lets more than `limit` requests into any window', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(1, clock.now, clock.sleep);
    const budget = { limit: 5, windowS: 2 };
    const times: number[] = [];
    for (let i = 0; i < 23; i++) {
      await pacer.acquire('k', budget);
      times.push(clock.now());
    }
    for (const t of times) assert.ok(times.filter((x) => x >= t && x < t + 2000).length <= 5);
  });

  it('keeps keys (origin and credential) apart', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(1, clock.now, clock.sleep);
    const budget = { limit: 1, windowS: 60 };
    await pacer.acquire('a bearer', budget);
    assert.equal(await pacer.acquire('a anonymous', budget), 0);
    assert.equal(await pacer.delayFor('a bearer', budget), 61_200);
  });

  it('keeps one budget across pacers that share a file ledger (two worker processes)', async () => {
    const clock = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'pacer-'));
    const a = new Pacer(1, clock.now, clock.sleep, new FilePacingLedger(dir));
    const b = new Pacer(1, clock.now, clock.sleep, new FilePacingLedger(dir));
    const budget = { limit: 4, windowS: 10 };
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      await (i % 2 ? a : b).acquire('origin credential', budget);
      times.push(clock.now());
    }
    for (const t of times) assert.ok(times.filter((x) => x >= t && x < t + 10_000).length <= 4, `more than 4 in a window at ${t}`);
    assert.equal(clock.now() - 1_000_000, 20_400, 'twelve requests at 4 per 10 s take two extra (padded) windows');
    assert.equal(await b.delayFor('another key', budget), 0);
  });

  it('counts unpaced burst requests so the next request on the key waits for their window', async () => {
    const clock = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'pacer-'));
    const burst = new Pacer(1, clock.now, clock.sleep, new FilePacingLedger(dir));
    const other = new Pacer(1, clock.now, clock.sleep, new FilePacingLedger(dir));
    const budget = { limit: 3, windowS: 60 };
    await burst.record('k', budget, [clock.now(), clock.now(), clock.now(), clock.now()]);
    assert.equal(await other.acquire('k', budget), 61_200);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const clock = fakeClock();
    const dir = mkdtempSync(join(tmpdir(), 'pacer-'));
    const ledger = new FilePacingLedger(dir);
    writeFileSync(`${ledger.fileFor('k')}.lock`, '999999999');
    const pacer = new Pacer(1, clock.now, clock.sleep, ledger);
    assert.equal(await pacer.acquire('k', { limit: 1, windowS: 1 }), 0);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.lock')),
      [],
    );
  });

  it('holds across real processes: 3 processes × 8 requests, never more than 10 in a window', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pacer-'));
    const script = `
      import { FilePacingLedger, Pacer } from ${JSON.stringify(new URL('../src/http/pacer.ts', import.meta.url).href)};
      const out = [];
      // Records the send time the pacer wrote into the shared log when it let a request go.
      class Spy extends FilePacingLedger {
        update(key, fn) { return super.update(key, (log) => { const change = fn(log); out.push(...(change.add ?? [])); return change; }); }
      }
      const pacer = new Pacer(1, Date.now, undefined, new Spy(process.argv[1]));
      for (let i = 0; i < 8; i++) await pacer.acquire('shared', { limit: 10, windowS: 0.5 });
      process.stdout.write(JSON.stringify(out));`;
    const run = (): Promise<number[]> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let text = '';
        child.stdout.on('data', (d: Buffer) => (text += d.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(text) as number[]) : reject(new Error(`exit ${code}`))));
      });
    const times = (await Promise.all([run(), run(), run()])).flat().sort((x, y) => x - y);
    assert.equal(times.length, 24);
    for (const t of times)
      assert.ok(times.filter((x) => x >= t && x < t + 600).length <= 10, `more than 10 in a (padded) window from ${t}`);
    assert.ok(times.at(-1)! - times[0]! >= 1000, 'the third window opened only after the first two');
    const log = readdirSync(dir)
      .filter((f) => !f.includes('.') && !f.startsWith('owner-'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    assert.equal(log.length, 1);
  });
});
