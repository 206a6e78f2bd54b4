import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { parseInputs } from '../../shared/src/inputs.js';
import { k6Report } from '../../actions/perf-baseline/src/k6.js';
import { newHistogram } from '../../actions/perf-baseline/src/histogram.js';
import type { Measurement } from '../../actions/perf-baseline/src/measurement.js';
import { numbers } from '../../actions/perf-baseline/src/result.js';
import { schema } from '../../actions/perf-baseline/src/schema.js';
import { parseHeaders, parseRegression, parseShare, parseSettings } from '../../actions/perf-baseline/src/settings.js';
import { latencyChart } from '../../actions/perf-baseline/src/summary.js';
import { checkThresholds, ms, share } from '../../actions/perf-baseline/src/thresholds.js';

/** Inputs as the platform would give them, parsed by the schema and then by the step. */
function settings(given: Record<string, string>) {
  return parseSettings(
    parseInputs(schema.inputs, (n) => given[n]),
    process.cwd(),
  );
}

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('perf-baseline inputs', () => {
  it('parse into one settings object with the documented defaults', () => {
    const s = settings({ url: 'http://127.0.0.1:8080/orders?x=1' });
    expect(s.load).toEqual({
      url: 'http://127.0.0.1:8080/orders?x=1',
      method: 'GET',
      headers: {},
      body: '',
      connections: 10,
      durationMs: 30_000,
      warmupMs: 5000,
      rate: undefined,
      workers: 1,
      runs: 1,
    });
    expect(s.limits).toEqual([
      { metric: 'p95', limit: 0.1 },
      { metric: 'rps', limit: 0.1 },
    ]);
    expect(s.save).toBe('perf-result.json');
    expect(s.thresholds).toEqual({
      p50: undefined,
      p95: undefined,
      p99: undefined,
      minRps: undefined,
      maxErrorRate: undefined,
    });
  });

  it('read thresholds: durations in ms, rps as a number, the error rate as a fraction', () => {
    const s = settings({
      url: 'http://x/',
      'max-p50': '50ms',
      'max-p95': '1.5s',
      'max-p99': '2s',
      'min-rps': '99.5',
      'max-error-rate': '0.5%',
    });
    expect(s.thresholds).toEqual({ p50: 50, p95: 1500, p99: 2000, minRps: 99.5, maxErrorRate: 0.005 });
  });

  it('read headers as Name: value lines and mask credential values', () => {
    const s = settings({
      url: 'http://u:hunter22@x/',
      headers: 'Accept: application/json\nAuthorization: Bearer s3cr3t-token\nX-Api-Key:k-123',
    });
    expect(s.load.headers).toEqual({
      Accept: 'application/json',
      Authorization: 'Bearer s3cr3t-token',
      'X-Api-Key': 'k-123',
    });
    expect(s.secrets).toEqual(expect.arrayContaining(['Bearer s3cr3t-token', 's3cr3t-token', 'k-123', 'hunter22']));
    expect(s.secrets).not.toContain('application/json');
    expect(s.secrets).not.toContain('Bearer');
  });

  it('name a bad header line by number and name, never its value', () => {
    const msg = problem(() => parseHeaders(['Accept: */*', 'Bearer very-secret']));
    expect(msg).toBe(
      "Input 'headers' line 2 has no ':'. Expected one 'Name: value' per line, such as 'Accept: application/json'.",
    );
    expect(problem(() => parseHeaders(['Bad Name: v']))).toContain("line 1 has the name 'Bad Name'");
  });

  it('read regression limits with or without a sign, and reject the wrong sign', () => {
    expect(parseRegression('p95:+10%, rps:-5%,p50:20%')).toEqual([
      { metric: 'p95', limit: 0.1 },
      { metric: 'rps', limit: 0.05 },
      { metric: 'p50', limit: 0.2 },
    ]);
    expect(parseRegression('')).toEqual([]);
    expect(problem(() => parseRegression('p95:-10%'))).toContain('wrong sign: a latency regresses when it rises');
    expect(problem(() => parseRegression('rps:+5%'))).toContain('rps regresses when it falls');
    expect(problem(() => parseRegression('p95:10'))).toBe(
      "Input 'max-regression' is 'p95:10': 'p95:10' is not metric:±N%. Expected comma-separated limits such as p95:+10%,rps:-5% (p50, p90, p95, p99 may rise, rps may fall).",
    );
    expect(problem(() => parseRegression('p97:+1%'))).toContain("unknown metric 'p97'");
    expect(problem(() => parseRegression('p95:+1%,p95:+2%'))).toContain("'p95' is given twice");
  });

  it('read a share as a percentage with its % sign or as a fraction below 1, and refuse a bare number that could be either', () => {
    expect(parseShare('max-error-rate', '1%')).toBe(0.01);
    expect(parseShare('max-error-rate', '0.5 %')).toBe(0.005);
    expect(parseShare('max-error-rate', '0.01')).toBe(0.01);
    expect(parseShare('max-error-rate', '.2')).toBe(0.2);
    expect(parseShare('max-error-rate', '0')).toBe(0);
    expect(parseShare('max-error-rate', ' ')).toBeUndefined();
    const expected = 'Expected a percentage from 0% to 100% such as 1%, or a fraction below 1 such as 0.01.';
    for (const bad of ['101%', 'one%', '-0.1'])
      expect(problem(() => parseShare('max-error-rate', bad))).toBe(`Input 'max-error-rate' is '${bad}'. ${expected}`);
    expect(problem(() => parseShare('max-error-rate', '1'))).toBe(
      `Input 'max-error-rate' is '1'. ${expected} For 1 percent write 1%; for a fraction, a number below 1 such as 0.01.`,
    );
  });

  it('report every bad input at once, each with the accepted form', () => {
    const msg = problem(() =>
      settings({
        url: 'ftp://x',
        duration: '500ms',
        'min-rps': 'many',
        'max-error-rate': '2',
        'max-regression': 'p95',
        workers: '4',
        connections: '2',
      }),
    );
    expect(msg.split('\n')).toEqual([
      "Input 'url' is 'ftp://x'. Expected an http:// or https:// URL such as http://127.0.0.1:8080/health.",
      "Input 'duration' is 500ms. Expected at least 1s, such as 30s.",
      "Input 'workers' is 4 but 'connections' is 2: each worker needs at least one connection. Lower workers or raise connections.",
      "Input 'min-rps' is 'many'. Expected a number of requests per second, such as 500.",
      "Input 'max-error-rate' is '2'. Expected a percentage from 0% to 100% such as 1%, or a fraction below 1 such as 0.01. For 2 percent write 2%; for a fraction, a number below 1 such as 0.02.",
      "Input 'max-regression' is 'p95': 'p95' is not metric:±N%. Expected comma-separated limits such as p95:+10%,rps:-5% (p50, p90, p95, p99 may rise, rps may fall).",
    ]);
  });

  it('reject a rate below 1 and an invalid duration through the schema', () => {
    expect(problem(() => settings({ url: 'http://x/', rate: '0' }))).toBe(
      "Input 'rate' is '0'. Expected a whole number of requests per second of at least 1, such as 200, or empty for as fast as the connections go.",
    );
    expect(settings({ url: 'http://x/', rate: '250' }).load.rate).toBe(250);
    expect(problem(() => settings({ url: 'http://x/', 'max-p95': '150' }))).toBe(
      "Input 'max-p95' is '150'. Expected a duration such as 500ms, 30s, 2m or 1h.",
    );
    expect(problem(() => settings({ url: 'http://x/', rate: '3', workers: '4', connections: '8' }))).toContain(
      "Input 'rate' is 3 but 'workers' is 4",
    );
  });

  it('read the open model: max-connections defaults to connections, is at least that, and needs a rate', () => {
    expect(settings({ url: 'http://x/', rate: '200', connections: '8' }).load).toMatchObject({
      rate: 200,
      maxConnections: 8,
      arrival: 'even',
    });
    expect(settings({ url: 'http://x/', rate: '200', 'max-connections': '64', arrival: 'poisson' }).load).toMatchObject(
      { maxConnections: 64, arrival: 'poisson' },
    );
    expect(settings({ url: 'http://x/' }).load).toMatchObject({
      rate: undefined,
      maxConnections: undefined,
      arrival: undefined,
    });
    expect(problem(() => settings({ url: 'http://x/', rate: '200', connections: '8', 'max-connections': '4' }))).toBe(
      "Input 'max-connections' is '4'. Expected a whole number of at least 'connections' (8), or empty for the same as 'connections'.",
    );
    expect(problem(() => settings({ url: 'http://x/', 'max-connections': '40' }))).toBe(
      "Input 'max-connections' is 40 but 'rate' is empty: only the open model opens more connections. Set 'rate' or drop 'max-connections'.",
    );
  });
});

/** A measurement of `latenciesMs` over `seconds` seconds, with `errors` non-2xx answers among them. */
function measurement(
  latenciesMs: number[],
  opts: { non2xx?: number; socketErrors?: number; durationMs?: number } = {},
): Measurement {
  const histogram = newHistogram();
  for (const l of latenciesMs) histogram.recordValue(Math.round(l * 1000));
  const non2xx = opts.non2xx ?? 0;
  return {
    durationMs: opts.durationMs ?? 1000,
    responses: latenciesMs.length,
    non2xx,
    socketErrors: opts.socketErrors ?? 0,
    timeouts: 0,
    statusCodes: { 200: latenciesMs.length - non2xx, ...(non2xx && { 500: non2xx }) },
    bytes: latenciesMs.length * 100,
    histogram,
    service: histogram,
    late: 0,
    dropped: 0,
    peakConnections: 1,
    seconds: [],
  };
}

describe('perf-baseline thresholds', () => {
  const n = numbers(
    measurement(
      Array.from({ length: 100 }, (_, i) => i + 1),
      { non2xx: 2, durationMs: 2000 },
    ),
  );

  it('compute the numbers from the histogram', () => {
    expect(n.rps).toBe(50);
    expect(n.p50).toBeCloseTo(50, 1);
    expect(n.p95).toBeCloseTo(95, 1);
    expect(n.p99).toBeCloseTo(99, 1);
    expect(n.errorRate).toBe(0.02);
  });

  it('pass and fail each threshold with a readable reason', () => {
    const checks = checkThresholds(n, { p50: 60, p95: 90, minRps: 100, maxErrorRate: 0.01 });
    expect(checks.map((c) => [c.metric, c.ok, c.text])).toEqual([
      ['p50', true, 'p50 50 ms ≤ 60 ms'],
      ['p95', false, 'p95 95 ms > 90 ms'],
      ['rps', false, 'rps 50/s < 100/s'],
      ['error rate', false, 'error rate 2 % > 1 %'],
    ]);
    expect(checkThresholds(n, {})).toEqual([]);
  });

  it('format numbers the way the summary shows them', () => {
    expect([ms(0.4234), ms(18.34), ms(1204.4)]).toEqual(['0.423 ms', '18.3 ms', '1,204 ms']);
    expect([share(0), share(0.0005), share(0.1234)]).toEqual(['0 %', '0.05 %', '12.3 %']);
  });
});

describe('perf-baseline reports', () => {
  it('write the GitLab load_performance report in the k6 summary-export shape the widget reads', () => {
    const m = measurement([10, 20, 30, 40], { non2xx: 1, socketErrors: 1, durationMs: 2000 });
    const report = k6Report(numbers(m), m) as { metrics: Record<string, Record<string, number>> };
    expect(report.metrics.http_reqs).toEqual({ count: 5, rate: 2 });
    expect(report.metrics.http_req_waiting['p(90)']).toBeCloseTo(40, 1);
    expect(report.metrics.http_req_waiting['p(95)']).toBeCloseTo(40, 1);
    expect(report.metrics.http_req_waiting.med).toBeCloseTo(20, 1);
    // the widget shows passes / (passes + fails) as "Checks"
    expect(report.metrics.checks).toMatchObject({ passes: 3, fails: 2 });
  });

  it('chart the percentiles as bars, with the baseline as a line', () => {
    const now = numbers(measurement([10, 20, 30, 40]));
    const base = numbers(measurement([5, 10, 15, 20]));
    const chart = latencyChart(now, base).split('\n');
    expect(chart[0]).toBe('xychart-beta');
    expect(chart).toContain('  x-axis [p50, p90, p95, p99]');
    expect(chart).toContain('  bar [20, 40, 40, 40]');
    expect(chart).toContain('  line [10, 20, 20, 20]');
    expect(latencyChart(now)).not.toContain('line [');
  });
});
