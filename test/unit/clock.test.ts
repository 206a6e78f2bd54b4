import { describe, expect, it } from 'vitest';
import { FakeClock, realClock } from '../../shared/src/clock.js';

describe('clocks', () => {
  it('realClock.sleep ends early when its signal aborts', async () => {
    const stop = new AbortController();
    const t0 = performance.now();
    const slept = realClock.sleep(60_000, stop.signal);
    setTimeout(() => stop.abort(), 20);
    await slept;
    expect(performance.now() - t0).toBeLessThan(10_000);
    await realClock.sleep(60_000, stop.signal); // already aborted: returns at once
  });

  it('FakeClock moves time forward instead of waiting', async () => {
    const c = new FakeClock(100);
    await c.sleep(5_000);
    c.advance(5);
    expect(c.now()).toBe(5_105);
  });
});
