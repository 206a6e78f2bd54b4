import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { compare, judge, percent } from '../../actions/perf-baseline/src/compare.js';
import { decodeHistogram, mergeHistograms, newHistogram } from '../../actions/perf-baseline/src/histogram.js';
import { combineConcurrent, type Measurement } from '../../actions/perf-baseline/src/measurement.js';
import { mergeResults } from '../../actions/perf-baseline/src/merge.js';
import {
  buildResult,
  checkWritable,
  currentEnvironment,
  readResult,
  storedParams,
  writeResult,
  type Result,
} from '../../actions/perf-baseline/src/result.js';
import type { LoadParams } from '../../actions/perf-baseline/src/settings.js';
import { bootstrapChange, PooledPercentiles } from '../../actions/perf-baseline/src/stats.js';
import { seededRandom } from '../../shared/src/random.js';

const load: LoadParams = {
  url: 'http://127.0.0.1:8080/orders',
  method: 'GET',
  headers: { Authorization: 'Bearer t0ken-value' },
  body: '',
  connections: 10,
  durationMs: 10_000,
  warmupMs: 1000,
  workers: 1,
  runs: 1,
};

/**
 * A run of `seconds` seconds with `perSecond` answers a second whose latencies are log-normal around `medianMs`:
 * the shape real services have. Seeded, so every test sees the same data.
 */
function run(seed: number, medianMs: number, seconds = 10, perSecond = 200, durationMs = seconds * 1000): Measurement {
  const rnd = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const secs = Array.from({ length: seconds }, () => {
    const histogram = newHistogram();
    const n = Math.round(perSecond * (0.9 + 0.2 * rnd()));
    for (let i = 0; i < n; i++) histogram.recordValue(Math.round(medianMs * 1000 * Math.exp(0.3 * normal())));
    return { responses: n, errors: 0, histogram };
  });
  const histogram = mergeHistograms(secs.map((s) => s.histogram));
  const responses = secs.reduce((n, s) => n + s.responses, 0);
  return {
    durationMs,
    responses,
    non2xx: 0,
    socketErrors: 0,
    timeouts: 0,
    statusCodes: { 200: responses },
    bytes: 0,
    histogram,
    service: histogram,
    late: 0,
    dropped: 0,
    peakConnections: 1,
    seconds: secs,
  };
}

const result = (runs: Measurement[], params: Partial<LoadParams> = {}): Result =>
  buildResult(storedParams({ ...load, runs: runs.length, ...params }), currentEnvironment(), runs);

describe('perf-baseline statistics', () => {
  it('draw the same numbers from the same seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(new Set(xs).size).toBe(5);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('take percentiles of a union of histograms exactly as HdrHistogram does for their sum', () => {
    const parts = run(1, 20).seconds.map((s) => s.histogram);
    const pool = new PooledPercentiles(parts);
    const cum = parts.map((h) => pool.cumulative(h));
    const sum = mergeHistograms(parts);
    for (const p of [1, 50, 90, 95, 99]) expect(pool.percentile(cum, p), `p${p}`).toBe(sum.getValueAtPercentile(p));
    // a unit drawn twice counts twice
    const twice = mergeHistograms([sum, parts[0]]);
    expect(pool.percentile([...cum, cum[0]], 95)).toBe(twice.getValueAtPercentile(95));
  });

  it('give an interval around 0 for two samples of the same service, and around +20 % for a slower one', () => {
    const base = run(1, 20).seconds.map((s) => s.histogram);
    const same = run(2, 20).seconds.map((s) => s.histogram);
    const slower = run(3, 24).seconds.map((s) => s.histogram);
    const pool = new PooledPercentiles([...base, ...same, ...slower]);
    const c = (hs: typeof base) => hs.map((h) => pool.cumulative(h));
    const opts = { iterations: 1000, seed: 1, confidence: 0.95 };
    const p95 = (u: Float64Array[]) => pool.percentile(u, 95);
    const flat = bootstrapChange(c(same), c(base), p95, opts)!;
    expect(flat.lo).toBeLessThan(0);
    expect(flat.hi).toBeGreaterThan(0);
    const up = bootstrapChange(c(slower), c(base), p95, opts)!;
    expect(up.lo).toBeGreaterThan(0.1);
    expect(up.hi).toBeLessThan(0.3);
    expect(up.lo).toBeLessThan(0.2);
    expect(up.hi).toBeGreaterThan(0.2);
    // reproducible: same seed, same interval
    expect(bootstrapChange(c(slower), c(base), p95, opts)).toEqual(up);
  });
});

describe('perf-baseline regression verdicts', () => {
  it('call a regression only when the whole interval is past the limit', () => {
    expect(judge('p95', 100, 112, { lo: 0.11, hi: 0.13 }, 0.1).verdict).toBe('regressed');
    expect(judge('p95', 100, 112, { lo: 0.08, hi: 0.16 }, 0.1).text).toBe(
      'p95 +12 % (95 % CI +8.0 % … +16 %): within limit',
    );
    expect(judge('p95', 100, 101, { lo: -0.02, hi: 0.04 }, 0.1).text).toBe(
      'p95 +1.0 % (95 % CI −2.0 % … +4.0 %): no significant change',
    );
    expect(judge('p95', 100, 80, { lo: -0.25, hi: -0.15 }, 0.1).verdict).toBe('improved');
    expect(judge('p99', 100, 130, { lo: 0.2, hi: 0.4 }).verdict).toBe('worse');
  });

  it('treat rps as regressing when it falls', () => {
    expect(judge('rps', 1000, 900, { lo: -0.12, hi: -0.08 }, 0.05).verdict).toBe('regressed');
    expect(judge('rps', 1000, 1100, { lo: 0.08, hi: 0.12 }, 0.05).verdict).toBe('improved');
    expect(judge('rps', 1000, 970, { lo: -0.06, hi: 0.01 }, 0.05).verdict).toBe('no significant change');
  });

  it('compare point values when there are too few samples', () => {
    expect(judge('p95', 100, 120, undefined, 0.1).text).toBe('p95 +20 %: regressed');
    expect(judge('p95', 100, 105, undefined, 0.1).verdict).toBe('within limit');
    expect(judge('p95', 100, 100, undefined, 0.1).verdict).toBe('no significant change');
    expect(percent(-0.035)).toBe('−3.5 %');
  });

  it('find a 25 % slower p95 over per-second samples, and no change against an equal run', () => {
    const base = result([run(1, 20)]);
    const slow = compare(base, result([run(2, 25)]), [{ metric: 'p95', limit: 0.1 }]);
    expect(slow.status).toBe('compared');
    if (slow.status !== 'compared') return;
    expect(slow.sampling).toBe('seconds');
    expect(slow.regressed).toBe(true);
    expect(slow.changes.find((c) => c.metric === 'p95')!.text).toMatch(
      /^p95 \+2\d % \(95 % CI \+\d+ % … \+\d+ %\): regressed$/,
    );
    const same = compare(base, result([run(3, 20)]), [{ metric: 'p95', limit: 0.1 }]);
    expect(same.status === 'compared' && same.regressed).toBe(false);
    expect(same.status === 'compared' && same.changes.find((c) => c.metric === 'p95')!.verdict).toBe(
      'no significant change',
    );
  });

  it('sample over runs when both sides have 3 or more', () => {
    const base = result([run(1, 20, 2), run(2, 20, 2), run(3, 20, 2)]);
    const now = result([run(4, 20, 2), run(5, 20, 2), run(6, 20, 2)]);
    const c = compare(base, now, []);
    expect(c.status === 'compared' && c.sampling).toBe('runs');
    const short = compare(result([run(1, 20, 2)]), result([run(2, 20, 2)]), []);
    expect(short.status === 'compared' && short.sampling).toBe('point');
    expect(short.status === 'compared' && short.notes.join()).toContain('Too few samples');
  });

  it('refuse to compare results of different loads, but not of another host or warm-up', () => {
    const base = result([run(1, 20)]);
    const other = compare(
      base,
      result([run(2, 20)], { connections: 20, headers: { Authorization: 'Bearer other', 'X-Tenant': 'a' } }),
      [],
    );
    expect(other).toEqual({
      status: 'refused',
      reason:
        'the baseline was measured with other load parameters (headers: Authorization → Authorization, X-Tenant; connections: 10 → 20)',
    });
    // Header values are not stored, so another token is the same load.
    expect(compare(base, result([run(2, 20)], { headers: { Authorization: 'Bearer rotated' } }), []).status).toBe(
      'compared',
    );
    const moved = compare(base, result([run(2, 20)], { url: 'http://preview-42.internal/orders', warmupMs: 0 }), []);
    expect(moved.status).toBe('compared');
  });
});

describe('perf-baseline result files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-perf-unit-'));

  it('round-trip through a file without storing credential header values', () => {
    const r = result([run(1, 20)]);
    const path = join(dir, 'sub', 'result.json');
    writeResult(path, r);
    const back = readResult('baseline', path);
    expect(back.file.summary).toEqual(r.file.summary);
    expect(back.total.histogram.getValueAtPercentile(99)).toBe(r.total.histogram.getValueAtPercentile(99));
    expect(back.runs[0].seconds).toHaveLength(10);
    expect(JSON.stringify(back.file)).not.toContain('t0ken-value');
    // Not even as a hash, which could be guessed back for a short secret: the header names only.
    expect(back.file.params).not.toHaveProperty('headersSha256');
    expect(readFileSync(path, 'utf8')).not.toContain(
      createHash('sha256').update('authorization: Bearer t0ken-value').digest('hex'),
    );
    expect(back.file.params.headerNames).toEqual(['Authorization']);
    expect(decodeHistogram(back.file.histogram).totalCount).toBe(r.total.responses);
  });

  it('reject a file that is not a Shipgate result, naming the input and the file', () => {
    const cases: [string, string][] = [
      ['{"metrics": {}}', 'is not a Shipgate result (no "format": "shipgate-perf-baseline/v1")'],
      ['not json', 'is not JSON'],
      [
        '{"format": "shipgate-perf-baseline/v0"}',
        "has format 'shipgate-perf-baseline/v0', not 'shipgate-perf-baseline/v1'",
      ],
    ];
    for (const [text, why] of cases) {
      const path = join(dir, 'bad.json');
      writeFileSync(path, text);
      expect(() => readResult('baseline', path)).toThrow(
        new ConfigError(
          `Input 'baseline' names '${path}', which ${why}. Expected a result file written by perf-baseline's 'save'.`,
        ),
      );
    }
  });

  it("check before any load that 'save' can be written", () => {
    expect(() => checkWritable(join(dir, 'new', 'deeper', 'result.json'))).not.toThrow();
    expect(() => checkWritable(dir)).toThrow(
      new ConfigError(
        `Input 'save' is '${dir}', which is a directory. Expected a writable file path such as perf-result.json.`,
      ),
    );
  });

  it('merge shards so the merged percentiles are those of one histogram over both, second by second', () => {
    const a = result([run(1, 20)]);
    const b = result([run(2, 40)]);
    const [pa, pb] = [join(dir, 'a.json'), join(dir, 'b.json')];
    writeResult(pa, a);
    writeResult(pb, b);
    const { result: merged, notes } = mergeResults([pa, pb], load.url);
    expect(notes).toEqual([]);
    const both = newHistogram();
    both.add(a.total.histogram);
    both.add(b.total.histogram);
    for (const p of [50, 95, 99])
      expect(merged.total.histogram.getValueAtPercentile(p)).toBe(both.getValueAtPercentile(p));
    expect(merged.file.summary.p95).toBe(both.getValueAtPercentile(95) / 1000);
    expect(merged.file.summary.responses).toBe(a.total.responses + b.total.responses);
    expect(merged.file.summary.rps).toBeCloseTo(a.file.summary.rps + b.file.summary.rps, 6);
    expect(merged.file.params.shards).toBe(2);
    expect(merged.runs[0].seconds[3].responses).toBe(a.runs[0].seconds[3].responses + b.runs[0].seconds[3].responses);
    expect(combineConcurrent([a.runs[0], b.runs[0]]).histogram.totalCount).toBe(both.totalCount);
    // the service-time histogram is added as exactly, and survives the file
    const service = newHistogram();
    service.add(a.total.service);
    service.add(b.total.service);
    expect(decodeHistogram(merged.file.serviceHistogram).getValueAtPercentile(99)).toBe(
      service.getValueAtPercentile(99),
    );
    expect(merged.file.summary.service.p95).toBe(service.getValueAtPercentile(95) / 1000);
  });

  it('refuse to merge results that ran one after the other: their rps must not add up', () => {
    const ended = (r: Result, at: string): Result => ({ ...r, file: { ...r.file, createdAt: at } });
    const [pa, pb] = [join(dir, 'monday.json'), join(dir, 'tuesday.json')];
    // two 11 s loads (warm-up and run), the second starting a minute after the first ended
    writeResult(pa, ended(result([run(1, 20)]), '2026-03-02T10:00:10.000Z'));
    writeResult(pb, ended(result([run(2, 20)]), '2026-03-02T10:01:20.000Z'));
    expect(() => mergeResults([pa, pb], load.url)).toThrow(
      /Input 'merge' lists results that ran one after the other, not at the same time:\n- '.*tuesday\.json' ran 10:01:09–10:01:20 UTC, '.*monday\.json' ran 09:59:59–10:00:10 UTC\nOnly shards of one load/,
    );
    // shards of a matrix that started 4 s apart still merge, with a note that their rps sum is high
    writeResult(pb, ended(result([run(2, 20)]), '2026-03-02T10:00:14.000Z'));
    const { result: merged, notes } = mergeResults([pa, pb], load.url);
    expect(merged.file.params.shards).toBe(2);
    expect(notes).toEqual([
      'The shards overlapped for only 64 % of their load: their summed rps is more than the service answered at any moment.',
    ]);
  });

  it('refuse to merge results of different loads', () => {
    const [pa, pb] = [join(dir, 'c.json'), join(dir, 'd.json')];
    writeResult(pa, result([run(1, 20)]));
    writeResult(pb, result([run(2, 20)], { connections: 5 }));
    expect(() => mergeResults([pa, pb], load.url)).toThrow(
      /Input 'merge' lists results that were not shards of one load:\n- '.*d\.json' differs from '.*c\.json': connections: 10 → 5/,
    );
    expect(() => mergeResults([pa], 'http://elsewhere/')).toThrow(
      /loaded http:\/\/127\.0\.0\.1:8080\/orders, not 'url' http:\/\/elsewhere\//,
    );
  });
});

describe('perf-baseline result file', () => {
  it('stores the URL without user info or credential query values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-perf-url-'));
    const path = join(dir, 'r.json');
    writeResult(
      path,
      result([run(3, 20)], { url: 'http://svc:pa%24%24w0rd@127.0.0.1:8080/orders?limit=5&token=tok+en%2F1' }),
    );
    const text = readFileSync(path, 'utf8');
    expect(readResult('baseline', path).file.params.url).toBe('http://127.0.0.1:8080/orders?limit=5&token=***');
    expect(text).not.toMatch(/pa%24%24w0rd|pa\$\$w0rd|tok\+en|tok en/);
  });
});
