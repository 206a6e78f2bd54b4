import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/run-bundle.js';

// Every generated component's spec:inputs against the rules GitLab applies when a pipeline includes it
// (doc/ci/inputs: "default must be one of the options", "default must match the regex", the four input types,
// `regex` only on strings, at most 50 options). A component that breaks one cannot be included at all.
const TYPES = { string: 'string', number: 'number', boolean: 'boolean', array: 'object' } as const;
const KEYS = new Set(['default', 'description', 'options', 'regex', 'type', 'rules']);

const components = readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.yml'));

describe.each(components)('templates/%s spec:inputs', (file) => {
  const text = readFileSync(join(ROOT, 'templates', file), 'utf8');
  const inputs = (parse(text.split('\n---\n')[0]) as { spec: { inputs: Record<string, Record<string, unknown>> } }).spec
    .inputs;

  it.each(Object.keys(inputs))('%s follows GitLab’s input rules', (name) => {
    const input = inputs[name];
    for (const key of Object.keys(input)) expect(KEYS, `${name}: unknown keyword ${key}`).toContain(key);
    const type = (input.type ?? 'string') as keyof typeof TYPES;
    expect(Object.keys(TYPES), `${name}: type`).toContain(type);
    const ofType = (v: unknown) => (type === 'array' ? Array.isArray(v) : typeof v === TYPES[type]);
    if ('default' in input)
      expect(ofType(input.default), `${name}: default ${JSON.stringify(input.default)} is not a ${type}`).toBe(true);
    if (input.options !== undefined) {
      expect(['string', 'number'], `${name}: options on a ${type}`).toContain(type);
      const options = input.options as unknown[];
      expect(Array.isArray(options) && options.length > 0 && options.length <= 50, `${name}: options`).toBe(true);
      for (const o of options) expect(ofType(o), `${name}: option ${JSON.stringify(o)}`).toBe(true);
      if ('default' in input)
        expect(options, `${name}: default ${JSON.stringify(input.default)} is not one of the options`).toContain(
          input.default,
        );
    }
    if (input.regex !== undefined) {
      expect(type, `${name}: regex on a ${type}`).toBe('string');
      if ('default' in input)
        expect(String(input.default), `${name}: default does not match ${input.regex}`).toMatch(
          new RegExp(input.regex as string),
        );
    }
  });
});
