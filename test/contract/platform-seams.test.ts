import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/run-bundle.js';

// The seams of the integration layer: only shared/src/platform/ knows CI variable names (it reads the job identity
// and the credentials), and only the forge factory tells GitHub from GitLab. A step that needs either asks
// Platform.job, the platform's credential accessors, or a Forge.
const sources = execFileSync(
  'git',
  ['ls-files', 'actions/*/src/*.ts', 'actions/*/src/**/*.ts', 'shared/src/*.ts', 'shared/src/**/*.ts'],
  { cwd: ROOT, encoding: 'utf8' },
)
  .split('\n')
  .filter((f) => f.endsWith('.ts') && !f.includes('/testing/'));

const CI_VARIABLE = /\b(GITHUB|CI)_[A-Z_]+/;
const FORGE_SWITCH = /\.(kind|forge)\s*[!=]==?\s*'(github|gitlab)'/;

/** `file:line: text` of every line matching `pattern` in the files `keep` selects. */
function hits(pattern: RegExp, keep: (file: string) => boolean): string[] {
  return sources.filter(keep).flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('integration seams', () => {
  it('names GitHub and GitLab CI variables only in shared/src/platform/', () => {
    expect(sources.length).toBeGreaterThan(50);
    expect(hits(CI_VARIABLE, (f) => !f.startsWith('shared/src/platform/'))).toEqual([]);
  });

  it('tells the forges apart only in the forge factory', () => {
    expect(
      hits(FORGE_SWITCH, (f) => f !== 'shared/src/forge/index.ts' && !f.startsWith('shared/src/platform/')),
    ).toEqual([]);
  });

  it('the checks see a violation when there is one', () => {
    expect(CI_VARIABLE.test("platform.env('GITHUB_SHA')")).toBe(true);
    expect(FORGE_SWITCH.test("forge?.kind !== 'gitlab'")).toBe(true);
    // The factory itself switches, and the scan finds it there.
    expect(hits(FORGE_SWITCH, (f) => f === 'shared/src/forge/index.ts')).toHaveLength(2);
  });
});
