// The health inputs blue-green-switch and rollback share: one URL with `{color}` (colours as host names), or one URL
// per colour (colours that differ by port or path, which `{color}` cannot spell).
import { ConfigError } from '../errors.js';
import type { InputSpec } from '../inputs.js';
import { httpUrl } from '../inputs-check.js';
import { colourUrl } from './gate.js';

/** The per-colour inputs, for the first and the second colour of `colors`. */
export const healthUrlInputs = {
  'health-url-blue': {
    type: 'string',
    description:
      'Health endpoint of the first colour of `colors` (`blue`), e.g. `http://127.0.0.1:8081/healthz`; it wins over `health-url` for that colour.',
  },
  'health-url-green': {
    type: 'string',
    description:
      'Health endpoint of the second colour of `colors` (`green`), e.g. `http://127.0.0.1:8082/healthz`; it wins over `health-url` for that colour.',
  },
} as const satisfies Record<string, InputSpec>;

const PER_COLOUR = Object.keys(healthUrlInputs) as (keyof typeof healthUrlInputs)[];

/** Where each colour's health is checked; undefined when no health input is set (checks are skipped). */
export interface HealthUrls {
  /** The URL of one colour. */
  of(colour: string): string;
  /** Every URL, for masking credentials in them. */
  all: string[];
}

/**
 * Reads `health-url` and `health-url-blue` / `health-url-green` against the colours; throws a ConfigError naming the
 * input when one is not a URL or a colour is left without one.
 */
export function healthUrls(
  values: { 'health-url': string; 'health-url-blue': string; 'health-url-green': string },
  colors: readonly string[],
): HealthUrls | undefined {
  const template = values['health-url'].trim();
  const own = new Map<string, string>();
  PER_COLOUR.forEach((name, i) => {
    const url = values[name].trim();
    if (url && colors[i]) own.set(colors[i], url);
  });
  if (!template && !own.size) return undefined;
  const of = (c: string) => own.get(c) ?? colourUrl(template, c);
  if (!colors.length) httpUrl('health-url', template);
  PER_COLOUR.forEach((name, i) => {
    const c = colors[i];
    if (!c) return;
    if (!own.has(c) && !template) {
      throw new ConfigError(
        `Input '${name}' is empty, but '${PER_COLOUR[1 - i]}' is set: colour ${c} would go unchecked. Set both, or 'health-url' with {color}.`,
      );
    }
    httpUrl(own.has(c) ? name : 'health-url', of(c));
  });
  return { of, all: colors.map(of) };
}
