// The istio backend (a VirtualService's route weights): its inputs, their parsing and its factory.
import { KubeClient, type KubeRef } from '../../kube/client.js';
import type { InputSpec } from '../../inputs.js';
import { checkName } from '../../inputs-check.js';
import { emptyInputs, requireInputs, type BackendModule } from '../backend.js';
import { kubeconfigInput, kubeTarget, namespaceInput, type KubeTarget } from '../kube-common/inputs.js';
import { IstioBackend, VIRTUAL_SERVICE } from './virtual-service.js';

const inputs = {
  namespace: namespaceInput,
  'virtual-service': {
    type: 'string',
    description: 'istio: VirtualService whose route weights move between subsets named after the colours.',
  },
  kubeconfig: kubeconfigInput,
} as const satisfies Record<string, InputSpec>;

interface Settings extends KubeTarget {
  colors: [string, string];
  virtualService: string;
}

export const istio: BackendModule<typeof inputs, Settings> = {
  name: 'istio',
  inputs,
  parse(values, { colors, env }) {
    requireInputs('istio', emptyInputs({ 'virtual-service': values['virtual-service'] }));
    checkName('dns-subdomain', 'virtual-service', values['virtual-service']);
    checkName('dns-label', 'namespace', values.namespace);
    return { colors, virtualService: values['virtual-service'], ...kubeTarget(values, env) };
  },
  create(settings, deps) {
    const ref: KubeRef = {
      resource: VIRTUAL_SERVICE,
      namespace: settings.namespace,
      name: settings.virtualService,
      input: 'virtual-service',
    };
    return new IstioBackend(KubeClient.connect(settings.kubeconfig, deps), ref, settings.colors);
  },
};
