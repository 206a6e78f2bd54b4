// The registry composes the traffic inputs of blue-green-switch and rollback from the backend folders: every input a
// backend declares reaches both schemas with the very spec the backend owns, and nothing else does.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schema as rollbackSchema } from '../../actions/rollback/src/schema.js';
import { schema as switchSchema } from '../../actions/blue-green-switch/src/schema.js';
import type { InputSpec } from '../../shared/src/inputs.js';
import type { BackendModule } from '../../shared/src/traffic/backend.js';
import { colorsInput } from '../../shared/src/traffic/colors.js';
import { composeInputs, providerNames, providers, trafficInputs } from '../../shared/src/traffic/index.js';

// Every backend folder on disk (a folder of shared/src/traffic with an index.ts) and the module it exports.
const trafficDir = new URL('../../shared/src/traffic/', import.meta.url).pathname;
const found: BackendModule[] = [];
for (const dir of readdirSync(trafficDir, { withFileTypes: true })) {
  if (!dir.isDirectory() || !existsSync(join(trafficDir, dir.name, 'index.ts'))) continue;
  const exported = Object.values(await import(join(trafficDir, dir.name, 'index.ts'))) as unknown[];
  const modules = exported.filter((v): v is BackendModule => typeof (v as BackendModule)?.create === 'function');
  expect(modules, `shared/src/traffic/${dir.name}/index.ts exports one BackendModule`).toHaveLength(1);
  found.push(modules[0]);
}
/** The folders' modules in the registry's order (the order of the provider options). */
const folders = providerNames.map((name) => found.find((m) => m.name === name)).filter((m) => m !== undefined);

const kubernetes = providers.kubernetes;
const haproxy = providers.haproxy;

describe('traffic backend registry', () => {
  it('registers every backend folder under its own name, and nothing else', () => {
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect([...providerNames].sort()).toEqual(found.map((m) => m.name).sort());
    for (const m of found) expect(providers[m.name]).toBe(m);
  });

  it('composes the traffic inputs from colors and the inputs each backend folder declares, the same spec objects', () => {
    const expected = new Map<string, InputSpec>(Object.entries(colorsInput));
    for (const m of folders)
      for (const [name, spec] of Object.entries(m.inputs as Record<string, InputSpec>)) expected.set(name, spec);
    expect(Object.keys(trafficInputs)).toEqual([...expected.keys()]);
    for (const [name, spec] of expected) expect((trafficInputs as Record<string, InputSpec>)[name]).toBe(spec);
  });

  it('gives both steps every backend input (rollback keeps its own `service`)', () => {
    for (const [name, spec] of Object.entries(trafficInputs)) {
      expect((switchSchema.inputs as Record<string, InputSpec>)[name]).toBe(spec);
      if (name !== 'service') expect((rollbackSchema.inputs as Record<string, InputSpec>)[name]).toBe(spec);
    }
    expect(rollbackSchema.inputs.service).not.toBe(trafficInputs.service);
  });

  it('adds a new backend folder by one entry: its inputs appear, shared ones once', () => {
    const sixth: BackendModule = {
      name: 'sixth',
      inputs: {
        'sixth-endpoint': { type: 'string', description: 'sixth: where it listens.' },
        namespace: kubernetes.inputs.namespace,
      },
      parse: (_inputs, { colors }) => ({ colors }),
      create: () => {
        throw new Error('not created in this test');
      },
    };
    const inputs = composeInputs([...folders, sixth]);
    expect(Object.keys(inputs)).toEqual([...Object.keys(trafficInputs), 'sixth-endpoint']);
    expect(inputs['sixth-endpoint']).toBe(sixth.inputs['sixth-endpoint']);
  });

  it('refuses two backends that declare one input differently', () => {
    const clash: BackendModule = {
      ...haproxy,
      name: 'clash',
      inputs: { namespace: { type: 'string', description: 'other' } },
    };
    expect(() => composeInputs([kubernetes, clash])).toThrow(
      /Traffic backend 'clash' declares input 'namespace' differently/,
    );
  });
});
