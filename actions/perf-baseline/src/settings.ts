import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { urlSecrets } from '../../../shared/src/http/url-secrets.js';
import { formatDuration } from '../../../shared/src/duration.js';
import { ConfigError } from '../../../shared/src/errors.js';
import type { Inputs } from '../../../shared/src/inputs.js';
import type { Arrival } from './load/schedule.js';
import type { schema } from './schema.js';

/** What is sent: everything that must be equal for two results to be comparable (see `comparableParams`). */
export interface LoadParams {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  /** Open model: total requests per second; undefined: the closed model, as fast as the connections go. */
  rate?: number;
  /** Open model: the most connections open at once (at least `connections`). */
  maxConnections?: number;
  /** Open model: how requests are spaced. */
  arrival?: Arrival;
  workers: number;
  runs: number;
}

/** Absolute gates; latencies in milliseconds, the error rate as a fraction. */
export interface Thresholds {
  p50?: number;
  p95?: number;
  p99?: number;
  minRps?: number;
  maxErrorRate?: number;
}

export type LatencyMetric = 'p50' | 'p90' | 'p95' | 'p99';
export type Metric = LatencyMetric | 'rps';

/** How much a metric may move against the baseline: latencies up, rps down, by `limit` (a fraction, 0.1 = 10 %). */
export interface RegressionLimit {
  metric: Metric;
  limit: number;
}

/** Every input, parsed and checked before the first request. */
export interface Settings {
  load: LoadParams;
  thresholds: Thresholds;
  baseline: string;
  limits: RegressionLimit[];
  save: string;
  merge: string[];
  /** JSON-lines file of earlier runs, appended to. */
  history: string;
  /** Values to mask in every log line: credential headers, passwords and tokens in the URL. */
  secrets: string[];
}

type Raw = Inputs<typeof schema.inputs>;

const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const SECRET_HEADER = /authorization|cookie|token|key|secret|passw|auth|session/i;
export const LATENCY_METRICS: readonly LatencyMetric[] = ['p50', 'p90', 'p95', 'p99'];

/**
 * Parses the inputs the schema leaves as text and checks how they fit together; all problems at once. `cwd` is the
 * job's working directory (Platform.cwd), which a relative `@file` body is read from.
 */
export function parseSettings(raw: Raw, cwd: string): Settings {
  const problems: string[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(err.message);
      return undefined;
    }
  };
  const url = attempt(() => parseUrl(raw.url)) ?? '';
  const rate = attempt(() => parseRate(raw.rate));
  const headers = attempt(() => parseHeaders(raw.headers)) ?? {};
  const body = attempt(() => parseBody(raw.body, cwd)) ?? '';
  const maxConnections = attempt(() => parseMaxConnections(raw['max-connections'], raw.connections));
  if (maxConnections !== undefined && rate === undefined) {
    problems.push(
      `Input 'max-connections' is ${maxConnections} but 'rate' is empty: only the open model opens more connections. Set 'rate' or drop 'max-connections'.`,
    );
  }
  if (raw.duration < 1000)
    problems.push(`Input 'duration' is ${formatDuration(raw.duration)}. Expected at least 1s, such as 30s.`);
  if (raw.connections < raw.workers) {
    problems.push(
      `Input 'workers' is ${raw.workers} but 'connections' is ${raw.connections}: each worker needs at least one connection. Lower workers or raise connections.`,
    );
  }
  if (rate !== undefined && rate < raw.workers) {
    problems.push(
      `Input 'rate' is ${rate} but 'workers' is ${raw.workers}: each worker needs at least 1 request/s. Lower workers or raise rate.`,
    );
  }
  const thresholds: Thresholds = {
    p50: raw['max-p50'],
    p95: raw['max-p95'],
    p99: raw['max-p99'],
    minRps: attempt(() => parseRps(raw['min-rps'])),
    maxErrorRate: attempt(() => parseShare('max-error-rate', raw['max-error-rate'])),
  };
  const limits = attempt(() => parseRegression(raw['max-regression'])) ?? [];
  if (!raw.save.trim()) problems.push(`Input 'save' is empty. Expected a file path such as perf-result.json.`);
  if (problems.length) throw new ConfigError(problems.join('\n'));
  const secrets = [
    // `Bearer abc`: the credential alone too (it may be printed without its scheme), never the scheme by itself
    ...Object.entries(headers).flatMap(([name, value]) =>
      SECRET_HEADER.test(name) ? [value, value.replace(/^[A-Za-z]+\s+/, '')] : [],
    ),
    ...urlSecrets(url),
  ];
  return {
    load: {
      url,
      method: raw.method,
      headers,
      body,
      connections: raw.connections,
      maxConnections: rate === undefined ? undefined : (maxConnections ?? raw.connections),
      arrival: rate === undefined ? undefined : (raw.arrival as Arrival),
      durationMs: raw.duration,
      warmupMs: raw.warmup,
      rate,
      workers: raw.workers,
      runs: raw.runs,
    },
    thresholds,
    baseline: raw.baseline.trim(),
    limits,
    save: raw.save.trim(),
    merge: raw.merge,
    history: raw.history.trim(),
    secrets: secrets.filter((s) => s.length >= 3),
  };
}

function parseUrl(text: string): string {
  const t = text.trim();
  if (!URL.canParse(t) || !/^https?:$/.test(new URL(t).protocol)) {
    throw new ConfigError(
      `Input 'url' is '${t}'. Expected an http:// or https:// URL such as http://127.0.0.1:8080/health.`,
    );
  }
  return t;
}

/** `Name: value` lines. A bad line is named by its number and header name only: its value may be a credential. */
export function parseHeaders(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  lines.forEach((line, i) => {
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).trim();
    if (!TOKEN.test(name)) {
      const shown = colon === -1 ? `has no ':'` : `has the name '${name}'`;
      throw new ConfigError(
        `Input 'headers' line ${i + 1} ${shown}. Expected one 'Name: value' per line, such as 'Accept: application/json'.`,
      );
    }
    out[name] = line.slice(colon + 1).trim();
  });
  return out;
}

/**
 * A share as people type it: `1%`, `0.5%` (a percentage, with its sign) or `0.01` (a fraction, as the `error-rate`
 * output prints it) → 0.01, 0.005, 0.01; empty → undefined. A bare number of 1 or more is refused rather than
 * guessed: `1` could mean 1 % or 100 %.
 */
export function parseShare(input: string, text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const m = PERCENT.exec(t);
  if (m && Number(m[1]) <= 100) return Number(m[1]) / 100;
  if (/^(0|0?\.\d+)$/.test(t)) return Number(t);
  const hint =
    /^\d+(\.\d+)?$/.test(t) && Number(t) <= 100
      ? ` For ${t} percent write ${t}%; for a fraction, a number below 1 such as ${Number(t) / 100}.`
      : '';
  throw new ConfigError(
    `Input '${input}' is '${t}'. Expected a percentage from 0% to 100% such as 1%, or a fraction below 1 such as 0.01.${hint}`,
  );
}

/** `@path` → the file's contents, `@@text` → `@text`, anything else as is. */
function parseBody(text: string, cwd: string): string {
  if (text.startsWith('@@')) return text.slice(1);
  if (!text.startsWith('@')) return text;
  const path = text.slice(1).trim();
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    const why =
      (err as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'does not exist'
        : `cannot be read (${(err as Error).message})`;
    throw new ConfigError(
      `Input 'body' is '${text}', but the file '${path}' ${why}. Fix the path (relative to ${cwd}), or start the body with @@ to send a literal @.`,
    );
  }
}

function parseMaxConnections(text: string, connections: number): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (!/^\d+$/.test(t) || Number(t) < connections) {
    throw new ConfigError(
      `Input 'max-connections' is '${t}'. Expected a whole number of at least 'connections' (${connections}), or empty for the same as 'connections'.`,
    );
  }
  return Number(t);
}

function parseRate(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (!/^\d+$/.test(t) || Number(t) < 1) {
    throw new ConfigError(
      `Input 'rate' is '${t}'. Expected a whole number of requests per second of at least 1, such as 200, or empty for as fast as the connections go.`,
    );
  }
  return Number(t);
}

function parseRps(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (!/^\d+(\.\d+)?$/.test(t))
    throw new ConfigError(`Input 'min-rps' is '${t}'. Expected a number of requests per second, such as 500.`);
  return Number(t);
}

/**
 * `p95:+10%,rps:-5%`. Latencies may only rise and rps only fall, so a sign is optional; the wrong one is an error
 * rather than a silently inverted gate.
 */
export function parseRegression(text: string): RegressionLimit[] {
  const t = text.trim();
  if (!t) return [];
  const bad = (why: string) =>
    new ConfigError(
      `Input 'max-regression' is '${t}': ${why}. Expected comma-separated limits such as p95:+10%,rps:-5% (${LATENCY_METRICS.join(', ')} may rise, rps may fall).`,
    );
  const seen = new Set<string>();
  return t.split(',').map((part) => {
    const m = /^\s*([a-z0-9]+)\s*:\s*([+-]?)(\d+(?:\.\d+)?)\s*%\s*$/i.exec(part);
    if (!m) throw bad(`'${part.trim()}' is not metric:±N%`);
    const metric = m[1].toLowerCase() as Metric;
    if (metric !== 'rps' && !LATENCY_METRICS.includes(metric)) throw bad(`unknown metric '${m[1]}'`);
    if (seen.has(metric)) throw bad(`'${metric}' is given twice`);
    seen.add(metric);
    const rising = metric !== 'rps';
    if ((rising && m[2] === '-') || (!rising && m[2] === '+')) {
      throw bad(
        `'${part.trim()}' has the wrong sign: ${rising ? 'a latency regresses when it rises' : 'rps regresses when it falls'}`,
      );
    }
    return { metric, limit: Number(m[3]) / 100 };
  });
}
