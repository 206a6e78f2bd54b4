// The registry of traffic backends: provider name → module. A new backend is one folder, imported and listed in
// `modules`; its inputs reach blue-green-switch's and rollback's schemas (and so action.yml, the components, the
// CLI) from here.
import type { Inputs, InputSpec } from '../inputs.js';
import { notOneOf } from '../inputs.js';
import type { BackendDeps, BackendModule, TrafficBackend } from './backend.js';
import { colorsInput, parseColors } from './colors.js';
import { gatewayApi } from './gateway-api/index.js';
import { haproxy } from './haproxy/index.js';
import { istio } from './istio/index.js';
import { kubernetes } from './kubernetes/index.js';
import { nginx } from './nginx/index.js';

/** Every backend, in the order the `provider` options list them. */
const modules = [kubernetes, istio, gatewayApi, haproxy, nginx] as const;

/** Every backend by the name a user writes in `provider`. */
export const providers: Record<string, BackendModule> = Object.fromEntries(modules.map((m) => [m.name, m]));

/** The provider names, for the `provider` input's options. */
export const providerNames = Object.keys(providers);

/**
 * `colors`, then every backend's inputs in registry order. Backends that read the same input (namespace, kubeconfig)
 * share one spec object; two different specs under one name are a bug, refused here at load.
 */
export function composeInputs(list: readonly BackendModule[]): Record<string, InputSpec> {
  const out: Record<string, InputSpec> = { ...colorsInput };
  for (const m of list) {
    for (const [name, spec] of Object.entries(m.inputs as Record<string, InputSpec>)) {
      if (out[name] && out[name] !== spec)
        throw new Error(
          `Traffic backend '${m.name}' declares input '${name}' differently from another backend: share one spec.`,
        );
      out[name] = spec;
    }
  }
  return out;
}

/** A union of input maps as one map with every key (`A | B` → `A & B`). */
type AllOf<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The traffic inputs, typed from the registered backends' own declarations. */
export type TrafficInputs = typeof colorsInput & AllOf<(typeof modules)[number]['inputs']>;

/** The traffic inputs of blue-green-switch and rollback, composed from the backend folders. */
export const trafficInputs = composeInputs(modules) as TrafficInputs;

/**
 * The backend for `name`: `colors` and the backend's own inputs parsed and checked (ConfigError naming the unknown
 * provider or the input), then created. Nothing has been contacted yet.
 */
export function createBackend(
  name: string,
  inputs: Inputs<TrafficInputs>,
  env: (name: string) => string | undefined,
  deps: BackendDeps,
): TrafficBackend {
  const colors = parseColors(inputs.colors);
  const module = providers[name];
  if (!module) throw notOneOf('provider', name, providerNames);
  return module.create(module.parse(inputs, { colors, env }), deps);
}
