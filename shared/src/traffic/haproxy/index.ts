// The haproxy backend: its inputs, their parsing and its factory.
import type { InputSpec } from '../../inputs.js';
import { checkName } from '../../inputs-check.js';
import { emptyInputs, requireInputs, type BackendModule } from '../backend.js';
import { HaproxyBackend, type HaproxySettings } from './haproxy.js';

const inputs = {
  'haproxy-socket': {
    type: 'string',
    description: 'haproxy: the runtime API, a unix socket path or `host:port` (`stats socket … level admin`).',
  },
  'haproxy-backend': {
    type: 'string',
    description: 'haproxy: the backend that holds one server per colour, named after it.',
  },
} as const satisfies Record<string, InputSpec>;

export const haproxy: BackendModule<typeof inputs, HaproxySettings> = {
  name: 'haproxy',
  inputs,
  parse(values, { colors }) {
    requireInputs(
      'haproxy',
      emptyInputs({ 'haproxy-socket': values['haproxy-socket'], 'haproxy-backend': values['haproxy-backend'] }),
    );
    checkName('haproxy', 'haproxy-backend', values['haproxy-backend']);
    return { colors, socket: values['haproxy-socket'], backend: values['haproxy-backend'] };
  },
  create: (settings, deps) => new HaproxyBackend(settings, deps),
};
