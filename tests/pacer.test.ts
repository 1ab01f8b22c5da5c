import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer } from '../src/probe/pacer.ts';

function fakeClock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 1_000_000;
  const slept: number[] = [];
  return { now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; }, slept };
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
    assert.equal(pacer.delayFor('a bearer', budget), 61_200);
  });
});
