import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-bundle.js';

// A system's `testing/` folder (launchers and fakes) serves the tests, the benches and the demo only: no source the
// bundles are built from may import it, so the bundler never reaches it from a main.ts.
const SOURCES = ['shared/src', 'cli', ...readdirSync(join(ROOT, 'actions')).map((step) => `actions/${step}/src`)];

function files(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(ROOT, dir));
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'testing' || name === 'dist' ? [] : files(path);
    return /\.(ts|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** The relative import specifiers of a source file, resolved to paths under ROOT. */
function imports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) =>
    relative(ROOT, resolve(ROOT, dirname(file), m[1])),
  );
}

describe('testing/ folders', () => {
  it('exist beside the systems they stand in for', () => {
    const found = files('shared/src').length;
    expect(found).toBeGreaterThan(50);
    for (const dir of [
      'shared/src/testing',
      'shared/src/traffic/haproxy/testing',
      'shared/src/registry/testing',
      'shared/src/metrics/testing',
    ]) {
      expect(readdirSync(join(ROOT, dir)).length, dir).toBeGreaterThan(0);
    }
  });

  it('are imported by no source a bundle is built from', () => {
    const offenders = SOURCES.flatMap(files).flatMap((f) =>
      imports(f)
        .filter((target) => /(^|\/)testing\//.test(target))
        .map((target) => `${f} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the scanner finds an import of a testing/ folder', () => {
    // the scanner itself: a file that imports a launcher is an offender
    expect(imports('demo/blue-green-switch.ts').some((t) => t.startsWith('shared/src/traffic/haproxy/testing/'))).toBe(
      true,
    );
  });
});
