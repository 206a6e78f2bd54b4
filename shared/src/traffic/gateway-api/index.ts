// The gateway-api backend (an HTTPRoute's backendRef weights): its inputs, their parsing and its factory.
import { ConfigError } from '../../errors.js';
import { KubeClient, type KubeRef } from '../../kube/client.js';
import type { InputSpec } from '../../inputs.js';
import { checkName } from '../../inputs-check.js';
import { emptyInputs, requireInputs, type BackendModule } from '../backend.js';
import { kubeconfigInput, kubeTarget, namespaceInput, serviceInput, type KubeTarget } from '../kube-common/inputs.js';
import { GatewayApiBackend, HTTP_ROUTE } from './http-route.js';

const inputs = {
  service: serviceInput,
  namespace: namespaceInput,
  'http-route': { type: 'string', description: 'gateway-api: HTTPRoute whose backendRef weights move.' },
  'backend-refs': {
    type: 'string',
    description: 'gateway-api: backendRef names per colour as `blue=svc-a,green=svc-b`; default `<service>-<colour>`.',
  },
  kubeconfig: kubeconfigInput,
} as const satisfies Record<string, InputSpec>;

interface Settings extends KubeTarget {
  colors: [string, string];
  httpRoute: string;
  /** backendRef name per colour. */
  backendRefs: Record<string, string>;
}

/** `a=b,c=d` → { a: 'b', c: 'd' }; a ConfigError names the input when a pair is malformed. */
function pairs(input: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([^=\s]+)=(\S+)$/.exec(part);
    if (!m)
      throw new ConfigError(
        `Input '${input}' has '${part}'. Expected colour=name pairs, e.g. blue=web-blue,green=web-green.`,
      );
    out[m[1]] = m[2];
  }
  return out;
}

export const gatewayApi: BackendModule<typeof inputs, Settings> = {
  name: 'gateway-api',
  inputs,
  parse(values, { colors, env }) {
    const given = pairs('backend-refs', values['backend-refs']);
    for (const colour of Object.keys(given)) {
      if (!colors.includes(colour))
        throw new ConfigError(`Input 'backend-refs' names colour '${colour}'. Expected one of: ${colors.join(', ')}.`);
    }
    const refs = Object.fromEntries(
      colors.map((c) => [c, given[c] ?? (values.service ? `${values.service}-${c}` : undefined)]),
    );
    requireInputs('gateway-api', emptyInputs({ 'http-route': values['http-route'] }));
    checkName('dns-subdomain', 'http-route', values['http-route']);
    checkName('dns-label', 'namespace', values.namespace);
    for (const ref of Object.values(refs)) if (ref) checkName('dns-1035', 'backend-refs', ref);
    const missing = colors.filter((c) => !refs[c]);
    if (missing.length) {
      throw new ConfigError(
        `Provider 'gateway-api' needs the backendRef name of ${missing.join(' and ')}: set input 'service' (refs are named <service>-<colour>) or input 'backend-refs' (e.g. ${colors.map((c) => `${c}=web-${c}`).join(',')}).`,
      );
    }
    return {
      colors,
      httpRoute: values['http-route'],
      backendRefs: refs as Record<string, string>,
      ...kubeTarget(values, env),
    };
  },
  create(settings, deps) {
    const ref: KubeRef = {
      resource: HTTP_ROUTE,
      namespace: settings.namespace,
      name: settings.httpRoute,
      input: 'http-route',
    };
    return new GatewayApiBackend(
      KubeClient.connect(settings.kubeconfig, deps),
      ref,
      settings.colors,
      settings.backendRefs,
    );
  },
};
