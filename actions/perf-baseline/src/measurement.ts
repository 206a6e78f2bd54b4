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
  /** When the run's load began (its warm-up), ms since the epoch; absent in results written before it was kept. */
  startedAt?: number;
  durationMs: number;
  /** Every answer, whatever its status. */
  responses: number;
  non2xx: number;
  /** Connection errors and time-outs: requests that got no answer. */
  socketErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  bytes: number;
  /**
   * Latency of every answer in the window, µs: in the open model from the request's intended send time (response
   * time, corrected for coordinated omission), in the closed model from when it was sent (the same as `service`).
   */
  histogram: Histogram;
  /** From when each request was actually sent to its answer, µs (service time, uncorrected). */
  service: Histogram;
  /** Open model: requests sent later than their intended time (no free connection, or the generator fell behind). */
  late: number;
  /** Open model: requests never sent, because they would have left more than a bound after their intended time. */
  dropped: number;
  /** Most connections open at once. */
  peakConnections: number;
  seconds: Second[];
}

/** A Measurement as JSON: histograms in HdrHistogram's compressed base64 form. */
export interface MeasurementRecord extends Omit<Measurement, 'histogram' | 'service' | 'seconds'> {
  histogram: string;
  service: string;
  seconds: { responses: number; errors: number; histogram: string }[];
}

export function encodeMeasurement(m: Measurement): MeasurementRecord {
  return {
    ...m,
    histogram: encodeHistogram(m.histogram),
    service: encodeHistogram(m.service),
    seconds: m.seconds.map((s) => ({ ...s, histogram: encodeHistogram(s.histogram) })),
  };
}

/**
 * Throws on a malformed histogram; callers that read user files check the shape first. Results written before the
 * open model had one histogram of service times and no late or dropped requests.
 */
export function decodeMeasurement(r: MeasurementRecord): Measurement {
  return {
    ...r,
    late: r.late ?? 0,
    dropped: r.dropped ?? 0,
    peakConnections: r.peakConnections ?? 0,
    statusCodes: { ...r.statusCodes },
    histogram: decodeHistogram(r.histogram),
    service: decodeHistogram(r.service ?? r.histogram),
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
  for (const p of parts)
    for (const [code, n] of Object.entries(p.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const starts = parts.flatMap((p) => (p.startedAt === undefined ? [] : [p.startedAt]));
  return {
    ...(starts.length ? { startedAt: Math.min(...starts) } : {}),
    durationMs: Math.max(0, ...parts.map((p) => p.durationMs)),
    responses: sum(parts, (p) => p.responses),
    non2xx: sum(parts, (p) => p.non2xx),
    socketErrors: sum(parts, (p) => p.socketErrors),
    timeouts: sum(parts, (p) => p.timeouts),
    statusCodes,
    bytes: sum(parts, (p) => p.bytes),
    histogram: mergeHistograms(parts.map((p) => p.histogram)),
    service: mergeHistograms(parts.map((p) => p.service)),
    late: sum(parts, (p) => p.late),
    dropped: sum(parts, (p) => p.dropped),
    peakConnections: sum(parts, (p) => p.peakConnections),
    seconds,
  };
}

/** Runs one after the other: counts, durations and histograms add up, the seconds follow each other. */
export function combineSequential(runs: Measurement[]): Measurement {
  const all = combineConcurrent(runs);
  const peakConnections = Math.max(0, ...runs.map((r) => r.peakConnections));
  return {
    ...all,
    startedAt: runs[0]?.startedAt,
    durationMs: sum(runs, (r) => r.durationMs),
    peakConnections,
    seconds: runs.flatMap((r) => r.seconds),
  };
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

/** A run's measurement before its first answer: one bucket per (started) second of the window. */
export function emptyMeasurement(durationMs: number): Measurement {
  return {
    startedAt: Date.now(),
    durationMs,
    responses: 0,
    non2xx: 0,
    socketErrors: 0,
    timeouts: 0,
    statusCodes: {},
    bytes: 0,
    histogram: newHistogram(),
    service: newHistogram(),
    late: 0,
    dropped: 0,
    peakConnections: 0,
    seconds: Array.from({ length: Math.ceil(durationMs / 1000) }, () => ({
      responses: 0,
      errors: 0,
      histogram: newHistogram(),
    })),
  };
}
