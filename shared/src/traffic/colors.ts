// The one input every backend reads: the two colours. Backend-specific inputs live in the backend's folder.
import { ConfigError } from '../errors.js';
import type { InputSpec } from '../inputs.js';

export const colorsInput = {
  colors: {
    type: 'string',
    default: 'blue,green',
    description:
      'The two colours, comma-separated; also the HAProxy server names, Istio subsets and backendRef suffixes.',
  },
} as const satisfies Record<string, InputSpec>;

/** `blue,green` → ['blue', 'green']; a ConfigError names the input unless they are two different lowercase names. */
export function parseColors(text: string): [string, string] {
  const colors = text
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (colors.length !== 2 || colors[0] === colors[1] || colors.some((c) => !/^[a-z0-9][a-z0-9-]*$/.test(c))) {
    throw new ConfigError(
      `Input 'colors' is '${text}'. Expected two different lowercase names, comma-separated, e.g. blue,green.`,
    );
  }
  return [colors[0], colors[1]];
}
