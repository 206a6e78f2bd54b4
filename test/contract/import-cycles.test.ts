import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKED_DIRS, findImportCycles, importGraph } from '../../scripts/import-cycles.js';
import { ROOT } from '../helpers/run-bundle.js';

// No module of the steps, the core, the scripts or the CLI imports itself through others: a cycle decides by load
// order which side sees the other half-initialised, and says that two modules want a third they both import.
describe('import cycles', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'shipgate-cycles-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(tmp, name)), { recursive: true });
      writeFileSync(join(tmp, name), text);
    }
  };

  it('names a cycle made of type-only imports, re-exports and .js specifiers of .ts files', () => {
    write({
      'src/a.ts': "import type { B } from './b.js';\nexport type A = B;\n",
      'src/b.ts': "export { c } from './c.js';\nexport type B = string;\n",
      'src/c.ts': "import { a } from './a.js';\nexport const c = a;\n",
      'src/leaf.ts': "import { c } from './c.js';\nimport 'yaml';\n",
      'src/self.mjs': "import './self.mjs';\n",
    });
    const cycles = findImportCycles(importGraph(tmp, ['src']));
    expect(cycles).toEqual([
      ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/a.ts'],
      ['src/self.mjs', 'src/self.mjs'],
    ]);
  });

  it(`finds none in ${CHECKED_DIRS.join(', ')}`, () => {
    const graph = importGraph(ROOT, CHECKED_DIRS);
    // The walk reached the code it is meant to check (a wrong root would pass with nothing scanned).
    expect(graph.get('actions/api-compat/src/diff/view.ts')).toContain('actions/api-compat/src/diff/view-read.ts');
    expect(graph.size).toBeGreaterThan(150);
    const cycles = findImportCycles(graph).map((cycle) => cycle.join(' → '));
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });
});
