import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemas, steps } from '../../actions/index.js';
import { ROOT } from '../helpers/run-bundle.js';

// actions/index.ts is the one list; the bundler (scripts/build.mjs) and the size bench find steps by folder, so a
// folder left out of the list, or a list entry without its folder, is caught here.
describe('actions/index.ts', () => {
  it('names every step folder with an entry point, in pipeline order, once', () => {
    const folders = readdirSync(join(ROOT, 'actions')).filter((d) =>
      existsSync(join(ROOT, 'actions', d, 'src', 'main.ts')),
    );
    const names = steps.map((s) => s.schema.name);
    expect([...names].sort()).toEqual(folders.sort());
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      'check-dependencies',
      'api-compat',
      'perf-baseline',
      'version-tag',
      'blue-green-switch',
      'rollback',
    ]);
    expect(Object.keys(schemas)).toEqual(names);
  });

  it('loads each step’s code on demand, with the schema the list names and a loadConfig', async () => {
    for (const entry of steps) {
      const step = await entry.load();
      expect(step.schema, entry.schema.name).toBe(entry.schema);
      expect(typeof step.loadConfig, entry.schema.name).toBe('function');
    }
  });
});
