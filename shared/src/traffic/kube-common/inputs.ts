// Inputs the three Kubernetes backends share (one spec object each, so the registry lists them once), and where
// they point: the namespace of the routed object and the kubeconfig to reach it with.
import type { InputSpec } from '../../inputs.js';
import { kubeconfigPath } from '../../kube/config.js';

export const namespaceInput = {
  type: 'string',
  default: 'default',
  description: 'kubernetes, istio, gateway-api: namespace of the routed object.',
} as const satisfies InputSpec;
export const kubeconfigInput = {
  type: 'string',
  description: 'kubernetes, istio, gateway-api: path of a kubeconfig; default `KUBECONFIG`, then in-cluster.',
} as const satisfies InputSpec;
export const serviceInput = {
  type: 'string',
  description:
    'kubernetes: the Service whose selector is switched. gateway-api: prefix of backendRef names (`<service>-<colour>`).',
} as const satisfies InputSpec;

/** The routed object's namespace and the kubeconfig path(s), from the inputs and the job environment. */
export interface KubeTarget {
  namespace: string;
  kubeconfig?: string;
}

export function kubeTarget(
  inputs: { namespace: string; kubeconfig: string },
  env: (name: string) => string | undefined,
): KubeTarget {
  return { namespace: inputs.namespace, kubeconfig: kubeconfigPath(inputs.kubeconfig, env) };
}
