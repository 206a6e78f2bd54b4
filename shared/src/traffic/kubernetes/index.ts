// The kubernetes backend (a Service selector): its inputs, their parsing and its factory.
import { KubeClient, SERVICE, type KubeRef } from '../../kube/client.js';
import type { InputSpec } from '../../inputs.js';
import { checkName } from '../../inputs-check.js';
import { emptyInputs, requireInputs, type BackendModule } from '../backend.js';
import { kubeconfigInput, kubeTarget, namespaceInput, serviceInput, type KubeTarget } from '../kube-common/inputs.js';
import { ServiceSelectorBackend } from './selector.js';

const inputs = {
  service: serviceInput,
  namespace: namespaceInput,
  'selector-key': {
    type: 'string',
    default: 'color',
    description: 'kubernetes: the selector label that names the colour.',
  },
  kubeconfig: kubeconfigInput,
} as const satisfies Record<string, InputSpec>;

interface Settings extends KubeTarget {
  colors: [string, string];
  service: string;
  selectorKey: string;
}

export const kubernetes: BackendModule<typeof inputs, Settings> = {
  name: 'kubernetes',
  inputs,
  parse(values, { colors, env }) {
    requireInputs('kubernetes', emptyInputs({ service: values.service }));
    checkName('dns-1035', 'service', values.service);
    checkName('dns-label', 'namespace', values.namespace);
    checkName('label-key', 'selector-key', values['selector-key']);
    return { colors, service: values.service, selectorKey: values['selector-key'], ...kubeTarget(values, env) };
  },
  create(settings, deps) {
    const ref: KubeRef = { resource: SERVICE, namespace: settings.namespace, name: settings.service, input: 'service' };
    return new ServiceSelectorBackend(
      KubeClient.connect(settings.kubeconfig, deps),
      ref,
      settings.colors,
      settings.selectorKey,
    );
  },
};
