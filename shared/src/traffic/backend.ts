// The seam between the traffic steps (blue-green-switch, rollback) and the routers they drive. One folder per backend
// exports a BackendModule; index.ts registers them by provider name and composes their inputs.
import type { Clock } from '../clock.js';
import { ConfigError } from '../errors.js';
import type { Inputs, InputSpec } from '../inputs.js';
import type { Platform } from '../platform/platform.js';
import type { SwitchRecordStore } from './record.js';
import type { Weights } from './weights.js';

export type { Weights };

/** What a backend routes now, as read from the backend itself. */
export interface TrafficState {
  /** The colour with the larger share (the selected one for selector backends); undefined when traffic is split evenly or nothing matches. */
  active: string | undefined;
  weights: Weights;
  /** Backend-specific facts for the summary (server states, selector, file contents…), one line each. */
  details: string[];
}

export interface BackendDeps {
  platform: Platform;
  clock: Clock;
}

/**
 * One router. Methods never leave a half-applied change behind silently: apply() either reaches the target or
 * throws (ExternalError) after restoring what it can, and says what state it left.
 */
export interface TrafficBackend {
  readonly provider: string;
  /** True when the backend can only send all traffic to one colour (Service selector): steps must be `100`. */
  readonly selectorOnly: boolean;
  /** Reads the current routing from the backend. */
  active(): Promise<TrafficState>;
  /** The exact change apply(target) would make, one line each (runtime commands, selector diff, file diff). */
  plan(target: Weights): Promise<string[]>;
  apply(target: Weights): Promise<void>;
  /** Reads back and throws ExternalError when the backend does not route `target`. */
  verify(target: Weights): Promise<TrafficState>;
  /** The record this backend keeps on the routed object itself (Kubernetes: an annotation); absent elsewhere. */
  readonly records?: SwitchRecordStore;
}

/** What every backend's parse() gets besides its own inputs: the colours (input 'colors') and the job environment. */
export interface CommonSettings {
  colors: [string, string];
  env: (name: string) => string | undefined;
}

/**
 * One backend, self-contained: the inputs it reads (spread into blue-green-switch's and rollback's schemas by the
 * registry), parse() that turns them into its settings and throws ConfigError naming an input before anything is
 * contacted, and create() that builds the backend from those settings without contacting it.
 */
export interface BackendModule<I extends Record<string, InputSpec> = any, S = any> {
  /** Provider name as the user writes it (`haproxy`, `nginx`, `kubernetes`, `istio`, `gateway-api`). */
  name: string;
  inputs: I;
  parse(inputs: Inputs<I>, common: CommonSettings): S;
  create(settings: S, deps: BackendDeps): TrafficBackend;
}

/** Fails with one ConfigError line per input in `missing` (the empty ones this provider needs). */
export function requireInputs(provider: string, missing: string[]): void {
  if (!missing.length) return;
  throw new ConfigError(
    [...new Set(missing)]
      .map((input) => `Input '${input}' is required with provider '${provider}'. Set it, or pick the provider you run.`)
      .join('\n'),
  );
}

/** The names among `values` (input → value) that are empty, in order. */
export const emptyInputs = (values: Record<string, string | undefined>): string[] =>
  Object.entries(values)
    .filter(([, v]) => !v)
    .map(([k]) => k);
