import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { formatDuration } from '../../../shared/src/duration.js';
import { ConfigError, errorMessage } from '../../../shared/src/errors.js';
import { redactUrl } from '../../../shared/src/http/url-secrets.js';
import { encodeHistogram, percentileMs } from './histogram.js';
import {
  combineSequential,
  decodeMeasurement,
  encodeMeasurement,
  errorRate,
  rps,
  type Measurement,
  type MeasurementRecord,
} from './measurement.js';
import { engineOf } from './load/measure.js';
import type { Arrival } from './load/schedule.js';
import type { LoadParams } from './settings.js';

export const FORMAT = 'shipgate-perf-baseline/v1';

/**
 * The load as stored: header names without their values (a hash of a short secret can be guessed back), the body
 * only as a hash, but enough to tell whether two results measured the same thing.
 */
export interface StoredParams {
  url: string;
  method: string;
  headerNames: string[];
  bodySha256: string;
  bodyBytes: number;
  /** Per shard. */
  connections: number;
  durationMs: number;
  warmupMs: number;
  rate: number | null;
  /** Open model: most connections per shard, and how requests were spaced; null in the closed model. */
  maxConnections?: number | null;
  arrival?: Arrival | null;
  /** What generated the load: `node:http` (open model) or `autocannon` (closed model). */
  engine?: 'node:http' | 'autocannon';
  workers: number;
  runs: number;
  /** Parallel runners whose results were merged into this one (1: a single runner). */
  shards: number;
}

/** Where the load was generated; a baseline from a different machine is flagged, not refused. */
export interface Environment {
  cpus: number;
  cpuModel: string;
  node: string;
  platform: string;
  arch: string;
}

/** The headline numbers; latencies in ms, errorRate a fraction. */
export interface Numbers {
  rps: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  errorRate: number;
  /** Open model: requests sent late and requests never sent (see the Measurement). */
  late: number;
  dropped: number;
  /** Percentiles of service time (from actual send), ms: in the open model lower than the corrected ones above. */
  service: { p50: number; p90: number; p95: number; p99: number };
  responses: number;
  non2xx: number;
  socketErrors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

/** A result file: what `save` writes and `baseline` and `merge` read. */
export interface ResultFile {
  format: typeof FORMAT;
  createdAt: string;
  params: StoredParams;
  environment: Environment;
  summary: Numbers;
  /**
   * All runs' latencies, µs, HdrHistogram compressed base64 (decode with any HdrHistogram library): response times
   * from the intended send time in the open model (corrected for coordinated omission), service times in the closed.
   */
  histogram: string;
  /** All runs' service times (from actual send, uncorrected), µs, in the same form. */
  serviceHistogram: string;
  runs: MeasurementRecord[];
}

/** A result with its runs decoded, as the step works with it. */
export interface Result {
  file: ResultFile;
  runs: Measurement[];
  /** The runs one after the other. */
  total: Measurement;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function storedParams(p: LoadParams, shards = 1): StoredParams {
  const names = Object.keys(p.headers).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return {
    // The result file is an artifact: the URL without its credentials.
    url: redactUrl(p.url),
    method: p.method,
    headerNames: names,
    bodySha256: sha256(p.body),
    bodyBytes: Buffer.byteLength(p.body),
    connections: p.connections,
    durationMs: p.durationMs,
    warmupMs: p.warmupMs,
    rate: p.rate ?? null,
    maxConnections: p.maxConnections ?? null,
    arrival: p.arrival ?? null,
    engine: engineOf(p),
    workers: p.workers,
    runs: p.runs,
    shards,
  };
}

export function currentEnvironment(): Environment {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model?.trim() ?? 'unknown',
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

export function numbers(m: Measurement): Numbers {
  const h = m.histogram;
  return {
    rps: rps(m),
    p50: percentileMs(h, 50),
    p90: percentileMs(h, 90),
    p95: percentileMs(h, 95),
    p99: percentileMs(h, 99),
    max: h.totalCount ? h.maxValue / 1000 : 0,
    mean: h.totalCount ? h.mean / 1000 : 0,
    errorRate: errorRate(m),
    late: m.late,
    dropped: m.dropped,
    service: {
      p50: percentileMs(m.service, 50),
      p90: percentileMs(m.service, 90),
      p95: percentileMs(m.service, 95),
      p99: percentileMs(m.service, 99),
    },
    responses: m.responses,
    non2xx: m.non2xx,
    socketErrors: m.socketErrors,
    timeouts: m.timeouts,
    statusCodes: m.statusCodes,
  };
}

export function buildResult(
  params: StoredParams,
  environment: Environment,
  runs: Measurement[],
  createdAt = new Date(),
): Result {
  const total = combineSequential(runs);
  const file: ResultFile = {
    format: FORMAT,
    createdAt: createdAt.toISOString(),
    params,
    environment,
    summary: numbers(total),
    histogram: encodeHistogram(total.histogram),
    serviceHistogram: encodeHistogram(total.service),
    runs: runs.map(encodeMeasurement),
  };
  return { file, runs, total };
}

export function writeResult(path: string, r: Result): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(r.file, null, 2) + '\n');
  } catch (err) {
    throw new ConfigError(
      `Input 'save' is '${path}', which cannot be written (${errorMessage(err)}). Expected a writable file path.`,
    );
  }
}

/** Checks, before any load, that a file input can be written: a long run must not end in a path it cannot write. */
export function checkWritable(path: string, input = 'save', example = 'perf-result.json'): void {
  const fail = (why: string) =>
    new ConfigError(`Input '${input}' is '${path}', which ${why}. Expected a writable file path such as ${example}.`);
  if (existsSync(path) && statSync(path).isDirectory()) throw fail('is a directory');
  let dir = dirname(resolve(path));
  while (!existsSync(dir)) dir = dirname(dir);
  try {
    accessSync(existsSync(path) ? path : dir, constants.W_OK);
  } catch {
    throw fail('is not writable');
  }
}

/**
 * Reads a result file named by `input` (baseline or merge). Anything that is not a result this step wrote is
 * the user's mistake, named with the input and the file.
 */
export function readResult(input: string, path: string): Result {
  const bad = (why: string) =>
    new ConfigError(
      `Input '${input}' names '${path}', which ${why}. Expected a result file written by perf-baseline's 'save'.`,
    );
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw bad((err as NodeJS.ErrnoException).code ? `cannot be read (${errorMessage(err)})` : 'is not JSON');
  }
  const f = data as Partial<ResultFile> | null;
  if (!f || typeof f !== 'object' || f.format !== FORMAT) {
    throw bad(
      f && typeof f === 'object' && 'format' in f
        ? `has format '${String(f.format)}', not '${FORMAT}'`
        : `is not a Shipgate result (no "format": "${FORMAT}")`,
    );
  }
  if (!f.params || !Array.isArray(f.runs) || !f.runs.length || !f.environment)
    throw bad('lacks its params, environment or runs');
  let runs: Measurement[];
  try {
    runs = f.runs.map(decodeMeasurement);
  } catch (err) {
    throw bad(`has a run that cannot be decoded (${errorMessage(err)})`);
  }
  return { file: f as ResultFile, runs, total: combineSequential(runs) };
}

/**
 * How two results' loads differ, as `name: a → b`; empty when they are comparable. The host is left out (the
 * same endpoint may be served under another name, e.g. a preview environment), and so are warm-up and runs,
 * which change how well, not what, is measured.
 */
export function paramDifferences(base: StoredParams, current: StoredParams): string[] {
  const pathOf = (url: string) => (URL.canParse(url) ? new URL(url).pathname + new URL(url).search : url);
  const fields: [string, unknown, unknown][] = [
    ['method', base.method, current.method],
    ['url path', pathOf(base.url), pathOf(current.url)],
    ['headers', base.headerNames.join(', ').toLowerCase(), current.headerNames.join(', ').toLowerCase()],
    ['body', base.bodySha256, current.bodySha256],
    ['connections', base.connections, current.connections],
    ['duration', base.durationMs, current.durationMs],
    ['rate', base.rate, current.rate],
    ['max-connections', base.maxConnections ?? null, current.maxConnections ?? null],
    ['arrival', base.arrival ?? null, current.arrival ?? null],
    ['workers', base.workers, current.workers],
    ['shards', base.shards, current.shards],
  ];
  return fields
    .filter(([, a, b]) => a !== b)
    .map(([name, a, b]) => {
      if (name === 'headers')
        return `headers: ${base.headerNames.join(', ') || 'none'} → ${current.headerNames.join(', ') || 'none'}`;
      if (name === 'body')
        return `body: ${base.bodyBytes} → ${current.bodyBytes} bytes${base.bodyBytes === current.bodyBytes ? ' (other content)' : ''}`;
      if (name === 'duration') return `duration: ${formatDuration(a as number)} → ${formatDuration(b as number)}`;
      return `${name}: ${a ?? 'none'} → ${b ?? 'none'}`;
    });
}
