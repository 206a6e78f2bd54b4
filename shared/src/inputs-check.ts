// Checks of inputs more than one step shares: URLs, numeric bounds, and a Prometheus query with its bounds
// (blue-green-switch's analysis, rollback's trigger). Each ConfigError names the input as the user writes it.
import { ConfigError } from './errors.js';
import { parseQuery, type AnalysisBounds } from './metrics/prometheus.js';
import type { Platform } from './platform/platform.js';

/** Throws a ConfigError naming `input` unless `text` is an http:// or https:// URL. */
export function httpUrl(input: string, text: string): void {
  if (!URL.canParse(text) || !/^https?:$/.test(new URL(text).protocol)) {
    throw new ConfigError(`Input '${input}' is '${text}'. Expected an http:// or https:// URL.`);
  }
}

/** A number input that may be empty (undefined). */
export function parseBound(input: string, text: string): number | undefined {
  if (!text.trim()) return undefined;
  const n = Number(text.trim());
  if (!Number.isFinite(n)) throw new ConfigError(`Input '${input}' is '${text}'. Expected a number such as 0.01.`);
  return n;
}

/** The input names of one query with its bounds, e.g. `analysis-query`, `analysis-max`, `analysis-min`. */
export interface QueryInputNames {
  query: string;
  max: string;
  min: string;
}

/** A checked query: where, what, the bounds it must meet, and the bearer token. */
export interface QueryConfig {
  url: string;
  query: string;
  bounds: AnalysisBounds;
  token?: string;
}

/**
 * `prometheus-url`, a query input and its bounds, checked together: all empty is undefined (no query), anything half
 * set is a ConfigError saying what is missing. `purpose` finishes "Set the PromQL …" (e.g. `to evaluate after each step`).
 * The token comes from PROMETHEUS_TOKEN, masked.
 */
export function queryConfig(
  values: { url: string; query: string; max: string; min: string },
  names: QueryInputNames,
  platform: Platform,
  purpose: string,
): QueryConfig | undefined {
  const url = values.url.trim();
  const query = values.query.trim();
  const bounds = { max: parseBound(names.max, values.max), min: parseBound(names.min, values.min) };
  const hasBounds = bounds.max !== undefined || bounds.min !== undefined;
  if (!url && !query) {
    if (hasBounds) throw new ConfigError(`Inputs '${names.max}' / '${names.min}' are set, but '${names.query}' and 'prometheus-url' are empty. Set both, or drop the bounds.`);
    return undefined;
  }
  if (!url) throw new ConfigError(`Input '${names.query}' is set, but 'prometheus-url' is empty. Set it to your Prometheus, e.g. http://prometheus:9090.`);
  if (!query) throw new ConfigError(`Input 'prometheus-url' is set, but '${names.query}' is empty. Set the PromQL ${purpose}.`);
  httpUrl('prometheus-url', url);
  if (!hasBounds) throw new ConfigError(`Input '${names.query}' is set without '${names.max}' or '${names.min}'. Set at least one bound.`);
  if (bounds.max !== undefined && bounds.min !== undefined && bounds.min > bounds.max) {
    throw new ConfigError(`Input '${names.min}' (${bounds.min}) is above '${names.max}' (${bounds.max}): no value could pass.`);
  }
  return { url, query, bounds, token: platform.secret('PROMETHEUS_TOKEN') };
}

/**
 * Has Prometheus parse the query before anything changes. A syntax error is a ConfigError naming `input`; when
 * Prometheus cannot tell (unreachable, an auth error), the reason is returned for the step to decide.
 */
export async function checkQuerySyntax(cfg: QueryConfig, input: string): Promise<string | undefined> {
  const parsed = await parseQuery({ url: cfg.url, query: cfg.query, token: cfg.token, timeoutMs: 10_000 });
  if (parsed.ok) return undefined;
  if (parsed.syntax) {
    throw new ConfigError(`Input '${input}' is '${cfg.query}', which Prometheus at ${cfg.url} cannot parse: ${parsed.reason}. Fix the PromQL (try it in Prometheus's expression browser). Nothing was changed.`);
  }
  return parsed.reason;
}
