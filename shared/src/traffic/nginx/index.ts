// The nginx backend: its inputs, their parsing and its factory.
import type { InputSpec } from '../../inputs.js';
import { checkName } from '../../inputs-check.js';
import { emptyInputs, requireInputs, type BackendModule } from '../backend.js';
import { ADDRESS_INPUTS, NginxBackend, type NginxSettings } from './nginx.js';

const inputs = {
  'nginx-upstream-file': {
    type: 'string',
    description:
      'nginx: the upstream include file Shipgate owns and rewrites atomically (included from your nginx.conf).',
  },
  'nginx-upstream': { type: 'string', description: 'nginx: name of the upstream block written to the file.' },
  'blue-address': { type: 'string', description: "nginx: host:port of the first colour's servers." },
  'green-address': { type: 'string', description: "nginx: host:port of the second colour's servers." },
  'nginx-reload-command': {
    type: 'string',
    default: 'nginx -s reload',
    description:
      'nginx: command run after writing the file (split on spaces, run without a shell); a failed reload restores the previous file.',
  },
} as const satisfies Record<string, InputSpec>;

export const nginx: BackendModule<typeof inputs, NginxSettings> = {
  name: 'nginx',
  inputs,
  parse(values, { colors }) {
    const [first, second] = ADDRESS_INPUTS.map((name) => values[name]);
    requireInputs(
      'nginx',
      emptyInputs({
        'nginx-upstream-file': values['nginx-upstream-file'],
        'nginx-upstream': values['nginx-upstream'],
        [ADDRESS_INPUTS[0]]: first,
        [ADDRESS_INPUTS[1]]: second,
      }),
    );
    checkName('nginx', 'nginx-upstream', values['nginx-upstream']);
    return {
      colors,
      file: values['nginx-upstream-file'],
      upstream: values['nginx-upstream'],
      addresses: { [colors[0]]: first!, [colors[1]]: second! },
      reload: values['nginx-reload-command'].split(/\s+/).filter(Boolean),
    };
  },
  create: (settings, deps) => new NginxBackend(settings, deps),
};
