import { describe, expect, it } from 'vitest';
import { intendedTimes } from '../../actions/perf-baseline/src/load/schedule.js';
import { splitShare } from '../../actions/perf-baseline/src/load/workers.js';

describe('perf-baseline open-model schedule', () => {
  it('spaces an even schedule exactly: 200/s for 8 s is 1,600 times, each an absolute offset', () => {
    const t = [...intendedTimes(200, 'even', 8000)];
    expect(t).toHaveLength(1600);
    expect(t.slice(0, 3)).toEqual([0, 5, 10]);
    expect(t.at(-1)).toBe(7995);
  });

  it('draws Poisson arrivals with the rate as their average and the same sequence every time', () => {
    const a = [...intendedTimes(100, 'poisson', 60_000)];
    expect(a.length).toBeGreaterThan(5700);
    expect(a.length).toBeLessThan(6300);
    expect([...intendedTimes(100, 'poisson', 60_000)]).toEqual(a);
    const gaps = a.slice(1).map((x, i) => x - a[i]);
    // exponential gaps: about 63 % shorter than the mean gap (10 ms)
    expect(gaps.filter((g) => g < 10).length / gaps.length).toBeCloseTo(1 - Math.exp(-1), 1);
  });

  it('splits a rate over worker threads that interleave rather than send together', () => {
    const shares = splitShare(
      {
        url: 'http://x/',
        method: 'GET',
        headers: {},
        body: '',
        connections: 4,
        maxConnections: 9,
        durationMs: 1000,
        warmupMs: 0,
        rate: 101,
        arrival: 'even',
      },
      2,
    );
    expect(shares.map((s) => [s.rate, s.connections, s.maxConnections])).toEqual([
      [51, 2, 5],
      [50, 2, 4],
    ]);
    const merged = shares.flatMap((s) => [...intendedTimes(s.rate!, 'even', 1000, s.phaseMs)]).sort((x, y) => x - y);
    expect(merged).toHaveLength(101);
    expect(merged[1] - merged[0]).toBeCloseTo(1000 / 101, 6);
  });
});
