import { decodeHistogram, encodeHistogram, mergeHistograms, newHistogram, type Histogram } from './histogram.js';

/** One second of a measured run. */
export interface Second {
  /** Answers (any status) that arrived in this second. */
  responses: number;
  /** Non-2xx answers and socket errors in this second. */
  errors: number;
  /** Latencies of the answers, µs. */
  histogram: Histogram;
}

/** What one run measured after its warm-up (or several threads or shards of it, combined). */
export interface Measurement {
  durationMs: number;
  /** Every answer, whatever its status. */
  responses: number;
  non2xx: number;
  /** Connection errors and time-outs: requests that got no answer. */
  socketErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  bytes: number;
  /** Latency of every answer in the window, µs. */
  histogram: Histogram;
  seconds: Second[];
}

/** A Measurement as JSON: histograms in HdrHistogram's compressed base64 form. */
export interface MeasurementRecord extends Omit<Measurement, 'histogram' | 'seconds'> {
  histogram: string;
  seconds: { responses: number; errors: number; histogram: string }[];
}

export function encodeMeasurement(m: Measurement): MeasurementRecord {
  return {
    ...m,
    histogram: encodeHistogram(m.histogram),
    seconds: m.seconds.map((s) => ({ ...s, histogram: encodeHistogram(s.histogram) })),
  };
}

/** Throws on a malformed histogram; callers that read user files check the shape first. */
export function decodeMeasurement(r: MeasurementRecord): Measurement {
  return {
    ...r,
    statusCodes: { ...r.statusCodes },
    histogram: decodeHistogram(r.histogram),
    seconds: r.seconds.map((s) => ({ ...s, histogram: decodeHistogram(s.histogram) })),
  };
}

/**
 * Load that ran at the same time (worker threads, CI shards): counts and histograms add up, second i with second i.
 * The window is the longest of the parts.
 */
export function combineConcurrent(parts: Measurement[]): Measurement {
  const length = Math.max(0, ...parts.map((p) => p.seconds.length));
  const seconds = Array.from({ length }, (_, i) => {
    const same = parts.flatMap((p) => (p.seconds[i] ? [p.seconds[i]] : []));
    return {
      responses: sum(same, (s) => s.responses),
      errors: sum(same, (s) => s.errors),
      histogram: mergeHistograms(same.map((s) => s.histogram)),
    };
  });
  const statusCodes: Record<string, number> = {};
  for (const p of parts) for (const [code, n] of Object.entries(p.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    durationMs: Math.max(0, ...parts.map((p) => p.durationMs)),
    responses: sum(parts, (p) => p.responses),
    non2xx: sum(parts, (p) => p.non2xx),
    socketErrors: sum(parts, (p) => p.socketErrors),
    timeouts: sum(parts, (p) => p.timeouts),
    statusCodes,
    bytes: sum(parts, (p) => p.bytes),
    histogram: parts.length ? mergeHistograms(parts.map((p) => p.histogram)) : newHistogram(),
    seconds,
  };
}

/** Runs one after the other: counts, durations and histograms add up, the seconds follow each other. */
export function combineSequential(runs: Measurement[]): Measurement {
  const all = combineConcurrent(runs);
  return { ...all, durationMs: sum(runs, (r) => r.durationMs), seconds: runs.flatMap((r) => r.seconds) };
}

/** Length of second `i` of a window, ms: the last one is shorter when the duration is not whole seconds. */
export function secondLengthMs(durationMs: number, i: number): number {
  return Math.max(0, Math.min(1000, durationMs - i * 1000));
}

/** Requests that were sent and finished in the window: answered or failed on the socket. */
export function attempts(m: Pick<Measurement, 'responses' | 'socketErrors'>): number {
  return m.responses + m.socketErrors;
}

/** Non-2xx answers and socket errors as a share of all attempts; 0 when nothing was sent. */
export function errorRate(m: Pick<Measurement, 'responses' | 'socketErrors' | 'non2xx'>): number {
  const n = attempts(m);
  return n ? (m.non2xx + m.socketErrors) / n : 0;
}

/** Answered requests per second. */
export function rps(m: Pick<Measurement, 'responses' | 'durationMs'>): number {
  return m.durationMs ? m.responses / (m.durationMs / 1000) : 0;
}

function sum<T>(xs: T[], f: (x: T) => number): number {
  return xs.reduce((n, x) => n + f(x), 0);
}
