import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../helpers/run-bundle.js';

// The copy-paste YAML in the READMEs must paste: every ```yaml block parses, and no `run:` script has `${{ }}` pasted
// into it (values reach scripts through env:, so an input can never become shell code).
const readmes = ['README.md', ...readdirSync(join(ROOT, 'actions')).map((s) => join('actions', s, 'README.md'))].filter(
  (f) => existsSync(join(ROOT, f)),
);

function blocks(file: string): string[] {
  return [...readFileSync(join(ROOT, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Every value under a `run` key, however deep. */
function runScripts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => runScripts(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'run' && typeof v === 'string') out.push(v);
      else runScripts(v, out);
    }
  }
  return out;
}

describe.each(readmes)('%s', (file) => {
  it('has YAML blocks that parse, with no ${{ }} inside a run: script', () => {
    const found = blocks(file);
    for (const [i, text] of found.entries()) {
      const docs = parseAllDocuments(text);
      for (const doc of docs) {
        expect(
          doc.errors.map((e) => e.message),
          `${file} block ${i + 1}`,
        ).toEqual([]);
        for (const script of runScripts(doc.toJS())) expect(script, `${file} block ${i + 1}`).not.toContain('${{');
      }
    }
  });
});

it('finds the blocks it checks', () => {
  expect(blocks('README.md').length).toBeGreaterThan(1);
  expect(runScripts({ jobs: { a: { steps: [{ run: 'echo ${{ x }}' }] } } })).toEqual(['echo ${{ x }}']);
});
