// The registry of traffic backends: provider name → factory. A new backend is one import and one entry in `providers`.
import { ConfigError } from '../errors.js';
import { checkName } from '../inputs-check.js';
import { notOneOf } from '../inputs.js';
import type { BackendDeps, BackendFactory, BackendSettings, TrafficBackend } from './backend.js';
import { gatewayApiBackend } from './gateway-api.js';
import { haproxy } from './haproxy.js';
import { ADDRESS_INPUTS } from './inputs.js';
import { istioBackend } from './istio.js';
import { kubernetesBackend } from './kubernetes.js';
import { nginx } from './nginx.js';

/** Every backend by the name a user writes in `provider`. */
export const providers: Record<string, BackendFactory> = {
  [kubernetesBackend.name]: kubernetesBackend,
  [istioBackend.name]: istioBackend,
  [gatewayApiBackend.name]: gatewayApiBackend,
  [haproxy.name]: haproxy,
  [nginx.name]: nginx,
};

/** The provider names, for the `provider` input's options. */
export const providerNames = Object.keys(providers);

/** The input that fills each setting, so a missing one is reported by the name the user writes. */
const INPUT_OF: Record<keyof BackendSettings, string> = {
  colors: 'colors',
  haproxySocket: 'haproxy-socket',
  haproxyBackend: 'haproxy-backend',
  nginxUpstreamFile: 'nginx-upstream-file',
  nginxUpstream: 'nginx-upstream',
  addresses: 'blue-address',
  nginxReloadCommand: 'nginx-reload-command',
  service: 'service',
  namespace: 'namespace',
  selectorKey: 'selector-key',
  virtualService: 'virtual-service',
  httpRoute: 'http-route',
  backendRefs: 'backend-refs',
  kubeconfig: 'kubeconfig',
};

/** The inputs among `requires` that are empty; per-colour settings (addresses, backendRefs) need a value for both colours. */
export function missingInputs(factory: BackendFactory, settings: BackendSettings): string[] {
  const missing: string[] = [];
  for (const key of factory.requires) {
    const value = settings[key];
    if (key === 'addresses' || key === 'backendRefs') {
      const perColour = value as Record<string, string | undefined>;
      settings.colors.forEach((c, i) => {
        if (!perColour[c]) missing.push(key === 'addresses' ? ADDRESS_INPUTS[i] : INPUT_OF[key]);
      });
    } else if (value === undefined || value === '' || (Array.isArray(value) && !value.length)) {
      missing.push(INPUT_OF[key]);
    }
  }
  return [...new Set(missing)];
}

/**
 * The backend for `name`, after checking that every input it needs is set. Throws ConfigError naming the unknown
 * provider or the missing inputs; nothing has been contacted yet.
 */
export function createBackend(name: string, settings: BackendSettings, deps: BackendDeps): TrafficBackend {
  const factory = providers[name];
  if (!factory) throw notOneOf('provider', name, Object.keys(providers));
  const missing = missingInputs(factory, settings);
  if (missing.length) {
    throw new ConfigError(
      missing.map((input) => `Input '${input}' is required with provider '${name}'. Set it, or pick the provider you run.`).join('\n'),
    );
  }
  checkNames(factory, settings);
  return factory.create(settings, deps);
}

/** Every name the backend will send to its router has its shape, or a ConfigError names the input: nothing is sent. */
function checkNames(factory: BackendFactory, settings: BackendSettings): void {
  for (const [key, kind] of Object.entries(factory.names) as [keyof BackendSettings, NonNullable<BackendFactory['names'][keyof BackendSettings]>][]) {
    const value = settings[key];
    if (typeof value === 'string') checkName(kind, INPUT_OF[key], value);
    else if (key === 'backendRefs') {
      for (const ref of Object.values(value as Record<string, string | undefined>)) if (ref) checkName(kind, INPUT_OF[key], ref);
    }
  }
}
