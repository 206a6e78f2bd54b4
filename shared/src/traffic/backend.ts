// The seam between the traffic steps (blue-green-switch, rollback) and the routers they drive. One module per backend
// implements TrafficBackend; index.ts registers them by provider name.
import type { Clock } from '../clock.js';
import type { NameKind } from '../inputs-check.js';
import type { Platform } from '../platform/platform.js';

/** Percent of traffic per colour, e.g. { blue: 90, green: 10 }. Sums to 100. */
export type Weights = Record<string, number>;

/** What a backend routes now, as read from the backend itself. */
export interface TrafficState {
  /** The colour with the larger share (the selected one for selector backends); undefined when traffic is split evenly or nothing matches. */
  active: string | undefined;
  weights: Weights;
  /** Backend-specific facts for the summary (server states, selector, file contents…), one line each. */
  details: string[];
}

/** Everything a backend may need, from the step's inputs (shared/src/traffic/inputs.ts) and the job environment. */
export interface BackendSettings {
  colors: [string, string];
  haproxySocket?: string;
  haproxyBackend?: string;
  nginxUpstreamFile?: string;
  nginxUpstream?: string;
  /** Address (host:port) per colour, for NGINX upstream servers. */
  addresses: Record<string, string | undefined>;
  /** argv of the NGINX reload command. */
  nginxReloadCommand: string[];
  service?: string;
  namespace: string;
  selectorKey: string;
  virtualService?: string;
  httpRoute?: string;
  /** backendRef name per colour for Gateway API (default `<service>-<colour>`). */
  backendRefs: Record<string, string | undefined>;
  kubeconfig?: string;
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
  /** Stores the previous colour on the routed object (Kubernetes annotation `shipgate.dev/previous-color`); absent elsewhere. */
  recordPrevious?(previous: string): Promise<void>;
  /** The previous colour stored by recordPrevious, if any. */
  recordedPrevious?(): Promise<string | undefined>;
}

export interface BackendFactory {
  /** Provider name as the user writes it (`haproxy`, `nginx`, `kubernetes`, `istio`, `gateway-api`). */
  name: string;
  /** Input names this backend needs; missing ones are a ConfigError before any change. */
  requires: (keyof BackendSettings)[];
  /** The settings this backend sends to its router as names, with their shape; checked before create(). */
  names: Partial<Record<keyof BackendSettings, NameKind>>;
  create(settings: BackendSettings, deps: BackendDeps): TrafficBackend;
}
