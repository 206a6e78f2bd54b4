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
    if (hasBounds)
      throw new ConfigError(
        `Inputs '${names.max}' / '${names.min}' are set, but '${names.query}' and 'prometheus-url' are empty. Set both, or drop the bounds.`,
      );
    return undefined;
  }
  if (!url)
    throw new ConfigError(
      `Input '${names.query}' is set, but 'prometheus-url' is empty. Set it to your Prometheus, e.g. http://prometheus:9090.`,
    );
  if (!query)
    throw new ConfigError(`Input 'prometheus-url' is set, but '${names.query}' is empty. Set the PromQL ${purpose}.`);
  httpUrl('prometheus-url', url);
  if (!hasBounds)
    throw new ConfigError(
      `Input '${names.query}' is set without '${names.max}' or '${names.min}'. Set at least one bound.`,
    );
  if (bounds.max !== undefined && bounds.min !== undefined && bounds.min > bounds.max) {
    throw new ConfigError(
      `Input '${names.min}' (${bounds.min}) is above '${names.max}' (${bounds.max}): no value could pass.`,
    );
  }
  return { url, query, bounds, token: platform.secret('PROMETHEUS_TOKEN') };
}

/**
 * The shapes of names that reach a router's protocol, a Kubernetes object or a generated file. Anything outside them
 * could end a command (`;`, a newline), add an argument (a space) or name an object other than the one meant.
 */
export const NAME_KINDS = {
  /** HAProxy backend and server names, as haproxy.cfg allows them. */
  haproxy: { pattern: /^[A-Za-z0-9._:-]{1,100}$/, expected: "an HAProxy name: letters, digits, '.', '_', ':' or '-'" },
  /** An NGINX upstream name: one word in the generated include file. */
  nginx: { pattern: /^[A-Za-z0-9._-]{1,100}$/, expected: "an NGINX upstream name: letters, digits, '.', '_' or '-'" },
  /** Kubernetes namespaces and containers (RFC 1123 label). */
  'dns-label': {
    pattern: /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    expected:
      "a Kubernetes name: at most 63 lowercase letters, digits or '-', starting and ending with a letter or digit",
  },
  /** Kubernetes Services (RFC 1035 label). */
  'dns-1035': {
    pattern: /^(?=.{1,63}$)[a-z]([-a-z0-9]*[a-z0-9])?$/,
    expected:
      "a Kubernetes Service name: at most 63 lowercase letters, digits or '-', starting with a letter and ending with a letter or digit",
  },
  /** Deployments, VirtualServices, HTTPRoutes (RFC 1123 subdomain). */
  'dns-subdomain': {
    pattern: /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    expected:
      "a Kubernetes object name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
  },
  /** A label key, `[prefix/]name`. */
  'label-key': {
    pattern:
      /^((?=[^/]{1,253}\/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(?=[^/]{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    expected: 'a Kubernetes label key such as color or example.com/color',
  },
  /** A service of dependency-config.yml: it becomes job names, file names, matrix values and router names. */
  service: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/,
    expected: "a service name: letters, digits, '.', '_' and '-', starting with a letter or digit",
  },
} as const;

export type NameKind = keyof typeof NAME_KINDS;

/** True when `value` is a name of `kind`. */
export function isName(kind: NameKind, value: string): boolean {
  return NAME_KINDS[kind].pattern.test(value);
}

/** A value as an error message shows it: control characters visible, so a newline cannot forge a log line. */
export function shown(value: string): string {
  return /[\x00-\x1f\x7f]/.test(value) ? JSON.stringify(value) : `'${value}'`;
}

/** Throws a ConfigError naming `input`, its value and the allowed shape, unless `value` is a name of `kind`. */
export function checkName(kind: NameKind, input: string, value: string): void {
  if (!isName(kind, value))
    throw new ConfigError(`Input '${input}' is ${shown(value)}. Expected ${NAME_KINDS[kind].expected}.`);
}

/**
 * Has Prometheus parse the query before anything changes. A syntax error is a ConfigError naming `input`; when
 * Prometheus cannot tell (unreachable, an auth error), the reason is returned for the step to decide.
 */
export async function checkQuerySyntax(cfg: QueryConfig, input: string): Promise<string | undefined> {
  const parsed = await parseQuery({ url: cfg.url, query: cfg.query, token: cfg.token, timeoutMs: 10_000 });
  if (parsed.ok) return undefined;
  if (parsed.syntax) {
    throw new ConfigError(
      `Input '${input}' is '${cfg.query}', which Prometheus at ${cfg.url} cannot parse: ${parsed.reason}. Fix the PromQL (try it in Prometheus's expression browser). Nothing was changed.`,
    );
  }
  return parsed.reason;
}
