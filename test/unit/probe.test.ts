import { describe, expect, it } from 'vitest';
import { FakeClock, realClock, type Clock } from '../../shared/src/clock.js';
import {
  attemptOnce,
  probeAllWith,
  type AttemptResult,
  type ProbeOptions,
  type ProbeTarget,
} from '../../shared/src/http/probe.js';

const fail = (error = 'HTTP 503', status = 503): AttemptResult => ({ ok: false, latencyMs: 0, status, error });
const pass = (latencyMs = 0): AttemptResult => ({ ok: true, latencyMs, status: 200 });
const macrotask = () => new Promise((resolve) => setImmediate(resolve));

function options(clock: FakeClock, over: Partial<ProbeOptions> = {}): ProbeOptions {
  return {
    clock,
    attemptTimeoutMs: 500,
    intervalMs: 100,
    deadlineMs: 10_000,
    concurrency: 4,
    random: () => 0,
    ...over,
  };
}

const target = (name: string, url = `http://127.0.0.1/${name}`): ProbeTarget => ({ name, url });
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);

describe('probeAllWith', () => {
  it('retries until the attempt succeeds and reports the last attempt', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const [r] = await probeAllWith([target('api')], options(clock), async () => (++calls < 4 ? fail() : pass(7)));
    expect(calls).toBe(4);
    expect(r).toEqual({
      name: 'api',
      url: 'http://127.0.0.1/api',
      healthy: true,
      attempts: 4,
      latencyMs: 7,
      status: 200,
    });
  });

  it('gives up at the deadline with the last error, starting no attempt at or after it', async () => {
    const clock = new FakeClock(1_000);
    const times: number[] = [];
    const [r] = await probeAllWith([target('api')], options(clock, { deadlineMs: 2_000 }), async () => {
      times.push(clock.now() - 1_000);
      return fail('HTTP 503', 503);
    });
    expect(r.healthy).toBe(false);
    expect(r.lastError).toBe('HTTP 503');
    expect(r.status).toBe(503);
    expect(r.attempts).toBe(times.length);
    expect(r.attempts).toBeGreaterThan(3);
    expect(Math.max(...times)).toBeLessThan(2_000);
    expect(clock.now() - 1_000).toBe(2_000);
  });

  it('doubles the wait from intervalMs and caps it at 8 × intervalMs (jitter at its minimum)', async () => {
    const clock = new FakeClock();
    const times: number[] = [];
    await probeAllWith([target('api')], options(clock, { random: () => 0 }), async () => {
      times.push(clock.now());
      return fail();
    });
    // random 0 → half of each base wait: 100, 200, 400, 800 (cap), 800 …
    expect(gaps(times).slice(0, 6)).toEqual([50, 100, 200, 400, 400, 400]);
  });

  it('keeps waits under the cap with jitter at its maximum and never sleeps past the deadline', async () => {
    const clock = new FakeClock();
    const times: number[] = [];
    const timeouts: number[] = [];
    const opts = options(clock, { random: () => 0.99, deadlineMs: 1_000, attemptTimeoutMs: 500 });
    const [r] = await probeAllWith([target('api')], opts, async (_t, timeoutMs) => {
      times.push(clock.now());
      timeouts.push(timeoutMs);
      return fail();
    });
    // factor 0.995: attempts at 0, 99.5, 298.5, 696.5; the next wait (796) would pass 1000, so it is cut short
    expect(times.map((t) => Math.round(t * 10) / 10)).toEqual([0, 99.5, 298.5, 696.5]);
    expect(Math.max(...gaps(times))).toBeLessThanOrEqual(800);
    expect(clock.now()).toBe(1_000);
    expect(r.attempts).toBe(4);
    // the last attempt may only use the time left before the deadline
    expect(timeouts.slice(0, 3)).toEqual([500, 500, 500]);
    expect(timeouts[3]).toBeCloseTo(303.5, 5);
  });

  it('with a long wait cap the backoff stays at 8 × intervalMs over many attempts', async () => {
    const clock = new FakeClock();
    const times: number[] = [];
    await probeAllWith([target('api')], options(clock, { random: () => 0.999999, deadlineMs: 20_000 }), async () => {
      times.push(clock.now());
      return fail();
    });
    const g = gaps(times);
    expect(g.length).toBeGreaterThan(10);
    expect(Math.max(...g)).toBeLessThanOrEqual(800);
    expect(g.at(-2)).toBeCloseTo(800, 2);
  });

  it('makes exactly one attempt per target when the deadline is 0', async () => {
    const clock = new FakeClock();
    const calls: string[] = [];
    const timeouts: number[] = [];
    const targets = [target('a'), target('b'), target('c')];
    const results = await probeAllWith(targets, options(clock, { deadlineMs: 0 }), async (t, timeoutMs) => {
      calls.push(t.name);
      timeouts.push(timeoutMs);
      return t.name === 'b' ? pass() : fail();
    });
    expect(calls.sort()).toEqual(['a', 'b', 'c']);
    expect(results.map((r) => [r.name, r.healthy, r.attempts])).toEqual([
      ['a', false, 1],
      ['b', true, 1],
      ['c', false, 1],
    ]);
    // a 1 ms attempt could never succeed against a real endpoint
    expect(timeouts).toEqual([500, 500, 500]);
  });

  it('bounds the first attempt by the deadline, but never below one second', async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    const record = async (_t: ProbeTarget, timeoutMs: number) => (seen.push(timeoutMs), pass());
    await probeAllWith([target('a')], options(clock, { deadlineMs: 2_000, attemptTimeoutMs: 5_000 }), record);
    await probeAllWith([target('a')], options(clock, { deadlineMs: 0, attemptTimeoutMs: 5_000 }), record);
    await probeAllWith([target('a')], options(clock, { deadlineMs: 60_000, attemptTimeoutMs: 5_000 }), record);
    expect(seen).toEqual([2_000, 1_000, 5_000]);
  });

  it('keeps the earlier reason when a retry cut short by the deadline fails', async () => {
    const clock = new FakeClock();
    const opts = options(clock, { random: () => 0.99, deadlineMs: 1_000, attemptTimeoutMs: 500 });
    const [r] = await probeAllWith([target('api')], opts, async (_t, timeoutMs) =>
      timeoutMs < 500 ? { ok: false, latencyMs: timeoutMs, error: 'timed out after 304ms' } : fail('HTTP 502', 502),
    );
    expect(r).toMatchObject({ healthy: false, attempts: 4, status: 502, lastError: 'HTTP 502', latencyMs: 0 });
  });

  it('reports success of a retry cut short by the deadline', async () => {
    const clock = new FakeClock();
    const opts = options(clock, { random: () => 0.99, deadlineMs: 1_000, attemptTimeoutMs: 500 });
    const [r] = await probeAllWith([target('api')], opts, async (_t, timeoutMs) =>
      timeoutMs < 500 ? pass(3) : fail(),
    );
    expect(r).toEqual({
      name: 'api',
      url: 'http://127.0.0.1/api',
      healthy: true,
      attempts: 4,
      latencyMs: 3,
      status: 200,
    });
  });

  it('never has more attempts in flight than the concurrency limit, and uses all of it', async () => {
    for (const concurrency of [1, 3]) {
      const clock = new FakeClock();
      let inFlight = 0;
      let most = 0;
      const seen = new Map<string, number>();
      const targets = Array.from({ length: 10 }, (_, i) => target(`svc-${i}`));
      const results = await probeAllWith(targets, options(clock, { concurrency, deadlineMs: 1e9 }), async (t) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await clock.sleep(10);
        inFlight--;
        seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
        return seen.get(t.name)! >= 2 ? pass() : fail();
      });
      expect(most).toBe(concurrency);
      expect(results.every((r) => r.healthy && r.attempts === 2)).toBe(true);
    }
  });

  it('does not hold a slot while waiting between attempts', async () => {
    // FakeClock sleeps finish at once, which would hide a slot held while sleeping; here the sleep takes a macrotask.
    let time = 0;
    const clock: Clock = {
      now: () => time,
      sleep: (ms) => new Promise((resolve) => setImmediate(() => resolve(void (time += ms)))),
    };
    const log: [string, number][] = [];
    const opts: ProbeOptions = {
      ...options(new FakeClock()),
      clock,
      concurrency: 1,
      intervalMs: 1_000,
      deadlineMs: 5_000,
    };
    await probeAllWith([target('a'), target('b')], opts, async (t) => {
      log.push([t.name, time]);
      return t.name === 'b' ? pass() : fail();
    });
    // b runs while a sleeps after its first failure; a held slot would push b behind a's wait
    expect(log.slice(0, 2)).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    expect(log.filter(([n]) => n === 'a').length).toBeGreaterThan(2);
  });

  it('returns results in target order, probing duplicate urls separately', async () => {
    const clock = new FakeClock();
    const counts = new Map<string, number>();
    const targets = [target('slow', 'http://x/a'), target('fast', 'http://x/b'), target('dup', 'http://x/a')];
    const results = await probeAllWith(targets, options(clock), async (t) => {
      const n = (counts.get(t.name) ?? 0) + 1;
      counts.set(t.name, n);
      return n >= (t.name === 'fast' ? 1 : 3) ? pass() : fail();
    });
    expect(results.map((r) => [r.name, r.url, r.attempts])).toEqual([
      ['slow', 'http://x/a', 3],
      ['fast', 'http://x/b', 1],
      ['dup', 'http://x/a', 3],
    ]);
  });

  it('treats a throwing attempt as a failed one', async () => {
    const clock = new FakeClock();
    const [r] = await probeAllWith([target('api')], options(clock, { deadlineMs: 0 }), async () => {
      throw new Error('boom');
    });
    expect(r).toMatchObject({ healthy: false, attempts: 1, lastError: 'boom' });
  });

  it('reports pending names about every progressEveryMs and stops once all are done', async () => {
    const clock = new FakeClock();
    const calls: { pending: string[]; elapsed: number }[] = [];
    const opts = options(clock, {
      intervalMs: 1_000,
      deadlineMs: 60_000,
      progressEveryMs: 5_000,
      onProgress: (pending, elapsed) => calls.push({ pending, elapsed }),
    });
    const targets = [target('fast'), target('slow'), target('fast')];
    const results = await probeAllWith(targets, opts, async (t) => {
      if (t.name === 'fast') return pass();
      await macrotask(); // lets the progress loop run between attempts, as real I/O would
      return clock.now() >= 12_000 ? pass() : fail();
    });
    expect(results.every((r) => r.healthy)).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const c of calls) expect(c.pending).toEqual(['slow']);
    expect(calls[0].elapsed).toBeGreaterThanOrEqual(5_000);
    for (let i = 1; i < calls.length; i++) expect(calls[i].elapsed).toBeGreaterThan(calls[i - 1].elapsed);

    const count = calls.length;
    const time = clock.now();
    for (let i = 0; i < 5; i++) await macrotask();
    expect(calls.length).toBe(count);
    expect(clock.now()).toBe(time);
  });

  it('leaves no progress timer behind on the real clock', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const started = Date.now();
    const results = await probeAllWith(
      [target('api')],
      {
        clock: realClock,
        attemptTimeoutMs: 500,
        intervalMs: 10,
        deadlineMs: 1_000,
        concurrency: 1,
        progressEveryMs: 60_000,
        onProgress: () => {},
      },
      async () => pass(),
    );
    expect(results[0].healthy).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
    await macrotask();
    expect(timers()).toBe(before);
  });
});

describe('attemptOnce without a network', () => {
  const opts = { clock: new FakeClock(), attemptTimeoutMs: 100 };

  it('fails consul targets when no consul url is configured', async () => {
    expect(await attemptOnce(target('api', 'consul:api'), opts)).toEqual({
      ok: false,
      latencyMs: 0,
      error: 'consul-url is not set',
    });
  });

  it('rejects unknown schemes and tcp targets without a port', async () => {
    expect((await attemptOnce(target('api', 'ftp://x/'), opts)).error).toMatch(/^unsupported target 'ftp:\/\/x\/'/);
    expect((await attemptOnce(target('db', 'tcp://db.internal'), opts)).error).toBe(
      "tcp target needs host:port, got 'tcp://db.internal'",
    );
  });
});
