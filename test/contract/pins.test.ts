import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../scripts/workflows.js';
import { PINS } from '../../scripts/pins.js';
import { ROOT } from '../helpers/run-bundle.js';

// Every third-party action in the workflows, examples and READMEs runs at a full commit SHA (a tag can be moved to
// other code), the one in scripts/pins.ts, with its release in a comment. Shipgate's own steps are pinned by the
// release process, not here.
const files = execFileSync('git', ['ls-files', '*.yml', '*.yaml', '*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

/** Why a `uses:` line is not pinned, or undefined when it is. */
export function unpinned(line: string): string | undefined {
  const m = /uses:\s*['"]?([^\s'"#]+)['"]?\s*(?:#\s*(\S+))?/.exec(line);
  if (!m) return undefined;
  const [, ref, comment] = m;
  if (
    ref.startsWith('./') ||
    ref.startsWith('docker://') ||
    ref.startsWith(`${REPO}/`) ||
    ref.startsWith('$') ||
    ref.startsWith('${{')
  )
    return undefined;
  const at = /^([\w.-]+\/[\w.-]+)(\/[\w./-]+)?@(.+)$/.exec(ref);
  if (!at) return `'${ref}' names no version`;
  const pin = PINS[at[1]];
  if (!/^[0-9a-f]{40}$/.test(at[3])) return `'${ref}' is not pinned to a 40-hex commit SHA`;
  if (!pin) return `'${at[1]}' is not in scripts/pins.ts`;
  if (at[3] !== pin.sha || comment !== pin.version)
    return `'${ref}' ${comment ? `# ${comment}` : ''} is not ${at[1]}@${pin.sha} # ${pin.version}`;
  return undefined;
}

describe('third-party actions are pinned by commit SHA', () => {
  it('recognises an unpinned, a tag-pinned and a wrongly commented reference', () => {
    expect(unpinned('      - uses: actions/checkout@v4')).toMatch(/not pinned/);
    expect(unpinned('      - uses: someone/else@main')).toMatch(/not pinned/);
    expect(unpinned(`      - uses: actions/checkout@${PINS['actions/checkout'].sha}`)).toMatch(
      /is not actions\/checkout@/,
    );
    expect(
      unpinned(`      - uses: actions/cache/save@${PINS['actions/cache'].sha} # ${PINS['actions/cache'].version}`),
    ).toBeUndefined();
    expect(unpinned(`      - uses: ${REPO}/actions/rollback@v1`)).toBeUndefined();
  });

  it('in every workflow, example, template and README', () => {
    const problems: string[] = [];
    let seen = 0;
    for (const file of files) {
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (!/^\s*-?\s*uses:\s/.test(line)) return;
          seen++;
          const why = unpinned(line);
          if (why) problems.push(`${file}:${i + 1}: ${why}`);
        });
    }
    expect(seen).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  });
});
