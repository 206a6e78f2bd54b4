// Metric analysis against Prometheus: one instant query over the HTTP API, one number, compared with bounds.
// Everything that is not exactly one finite number (an error, no series, several series, NaN) fails the check:
// a broken query must never let a bad release through.
import { errorMessage, withHint, type HintTarget } from '../errors.js';
import { httpGet } from '../http/get.js';

export interface AnalysisBounds {
  /** The value must be at most this (e.g. an error rate). */
  max?: number;
  /** The value must be at least this (e.g. a success rate). */
  min?: number;
}

export interface QueryOptions {
  /** Base URL of Prometheus, e.g. `http://prometheus:9090` (a path prefix is kept). */
  url: string;
  query: string;
  timeoutMs: number;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string;
}

export interface AnalysisResult {
  ok: boolean;
  query: string;
  /** The sample's value, when there was exactly one. */
  value?: number;
  /** Why the check failed, or which bounds it met, in one line. */
  reason: string;
}

const prometheusInput = (url: string): HintTarget => ({ input: "input 'prometheus-url'", value: url, kind: 'url' });

/** The `/api/v1/query` URL for an instant query. */
export function queryUrl(base: string, query: string): string {
  const u = new URL(base);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/api/v1/query`;
  u.searchParams.set('query', query);
  return u.toString();
}

interface ApiAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

/** The one number in an API answer, or why there is not exactly one. */
export function singleValue(answer: ApiAnswer): { value: number } | { error: string } {
  if (answer.status !== 'success')
    return {
      error: `Prometheus error${answer.errorType ? ` (${answer.errorType})` : ''}: ${answer.error ?? 'no status'}`,
    };
  const { resultType, result } = answer.data ?? {};
  let raw: unknown;
  if (resultType === 'scalar') raw = (result as unknown[] | undefined)?.[1];
  else if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length !== 1) {
      const labels = result.slice(0, 3).map((r: { metric?: Record<string, string> }) => JSON.stringify(r.metric ?? {}));
      return {
        error: result.length
          ? `${result.length} series, expected one (${labels.join(', ')}${result.length > 3 ? ', …' : ''}); aggregate it, e.g. sum(…)`
          : 'no data: the query returned no series',
      };
    }
    raw = (result[0] as { value?: unknown[] }).value?.[1];
  } else return { error: `result type '${resultType}', expected an instant vector with one sample or a scalar` };
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value)) return { error: `the value is ${String(raw)}, not a number` };
  return { value };
}

/** The input names a reason quotes for the bounds (rollback's are `trigger-max` / `trigger-min`). */
export type BoundNames = { max: string; min: string };
const ANALYSIS: BoundNames = { max: 'analysis-max', min: 'analysis-min' };

/** Whether `value` meets the bounds, in words. */
export function checkBounds(
  value: number,
  bounds: AnalysisBounds,
  names: BoundNames = ANALYSIS,
): { ok: boolean; reason: string } {
  if (bounds.max !== undefined && value > bounds.max)
    return { ok: false, reason: `${value} is above ${names.max} ${bounds.max}` };
  if (bounds.min !== undefined && value < bounds.min)
    return { ok: false, reason: `${value} is below ${names.min} ${bounds.min}` };
  const met = [bounds.min !== undefined && `≥ ${bounds.min}`, bounds.max !== undefined && `≤ ${bounds.max}`]
    .filter(Boolean)
    .join(' and ');
  return { ok: true, reason: `${value} ${met}` };
}

/** Runs the query and checks it. Never throws: a failing Prometheus is a failed check, reported in `reason`. */
export async function analyse(
  opts: QueryOptions,
  bounds: AnalysisBounds,
  names: BoundNames = ANALYSIS,
): Promise<AnalysisResult> {
  const { query } = opts;
  let answer: ApiAnswer;
  try {
    const res = await httpGet(queryUrl(opts.url, query), {
      timeoutMs: opts.timeoutMs,
      readBody: true,
      headers: { accept: 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    });
    try {
      answer = JSON.parse(res.body) as ApiAnswer;
    } catch {
      return {
        ok: false,
        query,
        reason: `HTTP ${res.status} from Prometheus, not JSON: ${res.body.trim().slice(0, 120)}`,
      };
    }
  } catch (err) {
    return {
      ok: false,
      query,
      reason: withHint(
        `Prometheus at ${opts.url} did not answer: ${errorMessage(err)}`,
        err,
        prometheusInput(opts.url),
      ),
    };
  }
  const single = singleValue(answer);
  if ('error' in single) return { ok: false, query, reason: single.error };
  return { query, value: single.value, ...checkBounds(single.value, bounds, names) };
}

/** Whether Prometheus parses a query: a syntax error is the user's, anything else says Prometheus could not tell. */
export type ParseResult = { ok: true } | { ok: false; syntax: boolean; reason: string };

/**
 * Asks Prometheus to parse `query` without acting on it: `format_query` (Prometheus 2.31+) parses only; where it is
 * missing (404), an instant query stands in, and its `bad_data` answer is the syntax error.
 */
export async function parseQuery(opts: QueryOptions): Promise<ParseResult> {
  const headers = { accept: 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) };
  const ask = (url: string) => httpGet(url, { timeoutMs: opts.timeoutMs, readBody: true, headers });
  let res: { status: number; body: string };
  try {
    res = await ask(queryUrl(opts.url, opts.query).replace(/\/api\/v1\/query\?/, '/api/v1/format_query?'));
    if (res.status === 404) res = await ask(queryUrl(opts.url, opts.query));
  } catch (err) {
    return {
      ok: false,
      syntax: false,
      reason: withHint(
        `Prometheus at ${opts.url} did not answer: ${errorMessage(err)}`,
        err,
        prometheusInput(opts.url),
      ),
    };
  }
  let answer: ApiAnswer;
  try {
    answer = JSON.parse(res.body) as ApiAnswer;
  } catch {
    return {
      ok: false,
      syntax: false,
      reason: `HTTP ${res.status} from Prometheus at ${opts.url}, not JSON: ${res.body.trim().slice(0, 120)}`,
    };
  }
  if (answer.status === 'success') return { ok: true };
  const reason = (answer.error ?? 'no status').replace(/^invalid parameter "query": /, '');
  return { ok: false, syntax: answer.errorType === 'bad_data', reason };
}
