// Backend inputs shared by blue-green-switch and rollback (provider blue-green): spelled once, spread into both schemas.
import { ConfigError } from '../errors.js';
import type { Inputs, InputSpec } from '../inputs.js';
import type { BackendSettings } from './backend.js';

export const backendInputs = {
  colors: { type: 'string', default: 'blue,green', description: 'The two colours, comma-separated; also the HAProxy server names, Istio subsets and backendRef suffixes.' },
  'haproxy-socket': {
    type: 'string',
    description: 'haproxy: the runtime API, a unix socket path or `host:port` (`stats socket … level admin`).',
  },
  'haproxy-backend': { type: 'string', description: 'haproxy: the backend that holds one server per colour, named after it.' },
  'nginx-upstream-file': {
    type: 'string',
    description: 'nginx: the upstream include file Shipgate owns and rewrites atomically (included from your nginx.conf).',
  },
  'nginx-upstream': { type: 'string', description: 'nginx: name of the upstream block written to the file.' },
  'blue-address': { type: 'string', description: 'nginx: host:port of the first colour\'s servers.' },
  'green-address': { type: 'string', description: 'nginx: host:port of the second colour\'s servers.' },
  'nginx-reload-command': {
    type: 'string',
    default: 'nginx -s reload',
    description: 'nginx: command run after writing the file (split on spaces, run without a shell); a failed reload restores the previous file.',
  },
  service: {
    type: 'string',
    description: 'kubernetes: the Service whose selector is switched. gateway-api: prefix of backendRef names (`<service>-<colour>`).',
  },
  namespace: { type: 'string', default: 'default', description: 'kubernetes, istio, gateway-api: namespace of the routed object.' },
  'selector-key': { type: 'string', default: 'color', description: 'kubernetes: the selector label that names the colour.' },
  'virtual-service': { type: 'string', description: 'istio: VirtualService whose route weights move between subsets named after the colours.' },
  'http-route': { type: 'string', description: 'gateway-api: HTTPRoute whose backendRef weights move.' },
  'backend-refs': {
    type: 'string',
    description: 'gateway-api: backendRef names per colour as `blue=svc-a,green=svc-b`; default `<service>-<colour>`.',
  },
  kubeconfig: { type: 'string', description: 'kubernetes, istio, gateway-api: path of a kubeconfig; default `KUBECONFIG`, then in-cluster.' },
} as const satisfies Record<string, InputSpec>;

/** The inputs that give the address of the first and the second colour (named after the default colours). */
export const ADDRESS_INPUTS = ['blue-address', 'green-address'] as const;

/** `a=b,c=d` → { a: 'b', c: 'd' }; a ConfigError names the input when a pair is malformed. */
function pairs(input: string, text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([^=\s]+)=(\S+)$/.exec(part);
    if (!m) throw new ConfigError(`Input '${input}' has '${part}'. Expected colour=name pairs, e.g. blue=web-blue,green=web-green.`);
    out[m[1]] = m[2];
  }
  return out;
}

/** Turns the parsed backend inputs into BackendSettings, checking what every backend needs alike. */
export function backendSettings(inputs: Inputs<typeof backendInputs>, env: (name: string) => string | undefined): BackendSettings {
  const colors = inputs.colors.split(',').map((c) => c.trim()).filter(Boolean);
  if (colors.length !== 2 || colors[0] === colors[1] || colors.some((c) => !/^[a-z0-9][a-z0-9-]*$/.test(c))) {
    throw new ConfigError(`Input 'colors' is '${inputs.colors}'. Expected two different lowercase names, comma-separated, e.g. blue,green.`);
  }
  const refs = pairs('backend-refs', inputs['backend-refs']);
  for (const colour of Object.keys(refs)) {
    if (!colors.includes(colour)) throw new ConfigError(`Input 'backend-refs' names colour '${colour}'. Expected one of: ${colors.join(', ')}.`);
  }
  return {
    colors: [colors[0], colors[1]],
    haproxySocket: inputs['haproxy-socket'] || undefined,
    haproxyBackend: inputs['haproxy-backend'] || undefined,
    nginxUpstreamFile: inputs['nginx-upstream-file'] || undefined,
    nginxUpstream: inputs['nginx-upstream'] || undefined,
    addresses: { [colors[0]]: inputs['blue-address'] || undefined, [colors[1]]: inputs['green-address'] || undefined },
    nginxReloadCommand: inputs['nginx-reload-command'].split(/\s+/).filter(Boolean),
    service: inputs.service || undefined,
    namespace: inputs.namespace,
    selectorKey: inputs['selector-key'],
    virtualService: inputs['virtual-service'] || undefined,
    httpRoute: inputs['http-route'] || undefined,
    backendRefs: Object.fromEntries(colors.map((c) => [c, refs[c] ?? (inputs.service ? `${inputs.service}-${c}` : undefined)])),
    kubeconfig: inputs.kubeconfig || env('KUBECONFIG') || undefined,
  };
}
