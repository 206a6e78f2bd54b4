import { mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runProcess } from '../helpers/run-bundle.js';

// Every action.yml and reusable workflow checked by @action-validator/cli (one file per call), against the schemas
// GitHub's own editors use.
const validator = join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
const actions = readdirSync(join(ROOT, 'actions'))
  .map((step) => join('actions', step, 'action.yml'))
  .filter((f) => existsSync(join(ROOT, f)));
const yamlIn = (dir: string) =>
  existsSync(join(ROOT, dir))
    ? readdirSync(join(ROOT, dir))
        .filter((f) => /\.ya?ml$/.test(f) && f !== 'dependency-config.yml')
        .map((f) => join(dir, f))
    : [];
// The project's CI, the reusable workflows, and the copy-paste callers in examples/github/ (the multi-project one's
// control side and each service repository's workflow too).
const multiProject = join('examples', 'github', 'multi-project');
const serviceRepos = existsSync(join(ROOT, multiProject, 'services'))
  ? readdirSync(join(ROOT, multiProject, 'services'))
  : [];
const workflows = [
  ...yamlIn(join('.github', 'workflows')),
  ...yamlIn(join('examples', 'github')),
  ...yamlIn(join(multiProject, 'control', '.github', 'workflows')),
  ...serviceRepos.flatMap((s) => yamlIn(join(multiProject, 'services', s, '.github', 'workflows'))),
];
const tmp = mkdtempSync(join(tmpdir(), 'shipgate-validate-'));

async function validate(file: string): Promise<{ code: number; out: string }> {
  const r = await runProcess(process.execPath, [validator, file], { cwd: ROOT });
  return { code: r.code, out: r.stdout + r.stderr };
}

describe('action-validator', () => {
  it.each(actions)('%s is a valid action on node24', async (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    expect(text).toMatch(/^ {2}using: node24$/m);
    // The validator's bundled schema predates `node24` in runs.using (its enum stops at node20); everything else in the
    // file is checked as written.
    const copy = join(tmp, file.replaceAll('/', '_'));
    writeFileSync(copy, text.replace(/^ {2}using: node24$/m, '  using: node20'));
    const r = await validate(copy);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  // The project's own CI workflows and the reusable ones, once there are any.
  if (workflows.length)
    it.each(workflows)('workflow %s is valid', async (file) => {
      const r = await validate(join(ROOT, file));
      // The validator cannot check `paths:` globs yet and says so; anything else it prints is a finding.
      expect(r.out.replace(/^WARNING: Glob validation is not yet supported\..*\n?/gm, '')).toBe('');
      expect(r.code).toBe(0);
    });

  it('reports a misspelt strategy key and a needs of a missing job in a workflow', async () => {
    const bad = join(tmp, 'bad-workflow.yml');
    writeFileSync(
      bad,
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    strategy: { max-paralel: 1, matrix: { x: [1] } }\n    steps: [{ run: echo }]\n  b:\n    needs: c\n    runs-on: ubuntu-latest\n    steps: [{ run: echo }]\n',
    );
    const r = await validate(bad);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("Additional property 'max-paralel' is not allowed");
    expect(r.out).toContain('unresolved job c');
  });

  it('reports a misspelt key, so a pass above means something', async () => {
    const bad = join(tmp, 'bad-action.yml');
    writeFileSync(
      bad,
      'name: x\ndescription: y\nruns:\n  using: node20\n  main: dist/index.js\ninputs:\n  a:\n    descripton: typo\n',
    );
    const r = await validate(bad);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("Additional property 'descripton' is not allowed");
  });
});
