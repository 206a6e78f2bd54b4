import { percentileMs } from './histogram.js';
import { rps, secondLengthMs, type Measurement } from './measurement.js';
import { paramDifferences, type Result } from './result.js';
import { LATENCY_METRICS, type LatencyMetric, type Metric, type RegressionLimit } from './settings.js';
import { bootstrapChange, PooledPercentiles, type Interval } from './stats.js';

/** `regressed` fails the step; the others inform. `worse` is a significant change of a metric without a limit. */
export type Verdict = 'regressed' | 'within limit' | 'no significant change' | 'improved' | 'worse';

export interface MetricChange {
  metric: Metric;
  base: number;
  current: number;
  /** Relative change, current / base − 1. */
  change: number;
  /** 95 % interval of the change; absent when there were too few samples for one. */
  interval?: Interval;
  limit?: number;
  verdict: Verdict;
  /** `p95 +12 % (95 % CI +8 % … +16 %): regressed` */
  text: string;
}

/** What the confidence interval was computed over. */
export type Sampling = 'runs' | 'seconds' | 'point';

export type Comparison =
  | { status: 'refused'; reason: string }
  | { status: 'compared'; sampling: Sampling; changes: MetricChange[]; regressed: boolean; notes: string[] };

/** Bootstrap settings: fixed, so the same two results always give the same verdict. */
const ITERATIONS = 2000;
const SEED = 0x5eed;
const CONFIDENCE = 0.95;
/** Fewest per-second buckets for an interval; with runs ≥ 3 on both sides the runs are the samples instead. */
const MIN_SECONDS = 5;
const MIN_RUNS = 3;

/** Compares `current` with `base` on the limited metrics and the usual ones (p50, p95, p99, rps). */
export function compare(base: Result, current: Result, limits: RegressionLimit[]): Comparison {
  const differences = paramDifferences(base.file.params, current.file.params);
  if (differences.length) {
    return {
      status: 'refused',
      reason: `the baseline was measured with other load parameters (${differences.join('; ')})`,
    };
  }
  const sampling: Sampling =
    base.runs.length >= MIN_RUNS && current.runs.length >= MIN_RUNS
      ? 'runs'
      : seconds(base).length >= MIN_SECONDS && seconds(current).length >= MIN_SECONDS
        ? 'seconds'
        : 'point';
  const samples = { base: units(base, sampling), current: units(current, sampling) };
  const pool =
    sampling === 'point'
      ? undefined
      : new PooledPercentiles([...samples.base, ...samples.current].map((u) => u.histogram));
  const cum = pool && {
    base: samples.base.map((u) => pool.cumulative(u.histogram)),
    current: samples.current.map((u) => pool.cumulative(u.histogram)),
  };
  const wanted = new Set<Metric>(['p50', 'p95', 'p99', 'rps', ...limits.map((l) => l.metric)]);
  const changes: MetricChange[] = [];
  for (const [i, metric] of [...LATENCY_METRICS, 'rps' as const].entries()) {
    if (!wanted.has(metric)) continue;
    const opts = { iterations: ITERATIONS, seed: SEED + i, confidence: CONFIDENCE };
    const latency = metric !== 'rps';
    const b = latency ? percentileMs(base.total.histogram, pct(metric)) : rps(base.total);
    const c = latency ? percentileMs(current.total.histogram, pct(metric)) : rps(current.total);
    if (!(b > 0)) continue; // nothing to compare with (no answers in the baseline)
    let interval: Interval | undefined;
    if (cum && pool) {
      interval = latency
        ? bootstrapChange(cum.current, cum.base, (u) => pool.percentile(u, pct(metric)), opts)
        : bootstrapChange(
            samples.current.map((u) => u.rps),
            samples.base.map((u) => u.rps),
            mean,
            opts,
          );
    }
    const limit = limits.find((l) => l.metric === metric)?.limit;
    changes.push(judge(metric, b, c, interval, limit));
  }
  const notes = environmentNotes(base, current);
  if (sampling === 'point')
    notes.push(
      `Too few samples for a confidence interval (fewer than ${MIN_SECONDS} seconds and fewer than ${MIN_RUNS} runs): the change is compared as measured.`,
    );
  return { status: 'compared', sampling, changes, regressed: changes.some((c) => c.verdict === 'regressed'), notes };
}

const pct = (m: LatencyMetric) => Number(m.slice(1));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

function seconds(r: Result) {
  return r.runs.flatMap((run) =>
    run.seconds.map((s, i) => ({ s, ms: secondLengthMs(run.durationMs, i) })).filter((x) => x.ms > 0),
  );
}

/** The samples of the bootstrap: each run, or each second of every run. */
function units(r: Result, sampling: Sampling): { histogram: Measurement['histogram']; rps: number }[] {
  if (sampling === 'runs') return r.runs.map((run) => ({ histogram: run.histogram, rps: rps(run) }));
  if (sampling === 'seconds')
    return seconds(r).map(({ s, ms }) => ({ histogram: s.histogram, rps: s.responses / (ms / 1000) }));
  return [];
}

/** The verdict on one metric: `regressed` only when the whole interval is past the limit. */
export function judge(
  metric: Metric,
  base: number,
  current: number,
  interval: Interval | undefined,
  limit?: number,
): MetricChange {
  const change = current / base - 1;
  // In "worse" terms: latencies are worse when they rise, rps when it falls.
  const flip = metric === 'rps' ? -1 : 1;
  const [lo, hi] = interval
    ? [interval.lo * flip, interval.hi * flip].sort((a, b) => a - b)
    : [change * flip, change * flip];
  const worse = limit === undefined ? 'worse' : 'within limit';
  let verdict: Verdict;
  if (limit !== undefined && lo > limit) verdict = 'regressed';
  else if (hi < 0) verdict = 'improved';
  else if (lo > 0) verdict = worse;
  // without an interval, "no significant change" can only mean no change at all
  else verdict = interval || hi === 0 ? 'no significant change' : worse;
  const ci = interval ? ` (95 % CI ${percent(interval.lo)} … ${percent(interval.hi)})` : '';
  return {
    metric,
    base,
    current,
    change,
    interval,
    limit,
    verdict,
    text: `${metric} ${percent(change)}${ci}: ${verdict}`,
  };
}

/** `+12 %`, `−3.5 %`: one decimal below 10 %. */
export function percent(x: number): string {
  const v = x * 100;
  const digits = Math.abs(v) < 10 ? 1 : 0;
  const text = Math.abs(v).toFixed(digits);
  if (Number(text) === 0) return '±0 %';
  return `${v < 0 ? '−' : '+'}${text} %`;
}

function environmentNotes(base: Result, current: Result): string[] {
  const a = base.file.environment;
  const b = current.file.environment;
  const notes: string[] = [];
  if (a.cpus !== b.cpus || a.cpuModel !== b.cpuModel) {
    notes.push(
      `The baseline ran on ${a.cpus} × ${a.cpuModel}, this run on ${b.cpus} × ${b.cpuModel}: part of a change may be the machine.`,
    );
  }
  if (a.node !== b.node) notes.push(`The baseline ran on Node ${a.node}, this run on ${b.node}.`);
  return notes;
}
