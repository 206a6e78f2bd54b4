import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/run-bundle.js';
import { TempRepo } from '../../shared/src/git/testing/temp-repo.js';
import { commandFile } from '../helpers/workflow-runner.js';

// The multi-service example writes the changed files to $GITHUB_OUTPUT as a multi-line value. Run its step in bash
// over a real commit that changes files named like a delimiter and like an output line: the value must hold them
// all, and no other output may appear.
describe('examples/github/multi-service.yml changed-files step', () => {
  const workflow = parse(readFileSync(join(ROOT, 'examples/github/multi-service.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { id?: string; run?: string }[] }>;
  };
  const script = workflow.jobs.changes.steps.find((s) => s.id === 'diff')!.run!;

  it('keeps a changed file named EOF, or like a delimiter, inside the value', () => {
    const repo = TempRepo.create();
    repo.commit('chore: start', { 'README.md': 'x' });
    const names = ['EOF', 'files_0', 'services/api/EOF', 'matrix=injected'];
    repo.commit('feat: change', Object.fromEntries(names.map((n) => [n, 'changed'])));
    const output = join(repo.dir, '..', `${Date.now()}-output`);
    for (let i = 0; i < 3; i++) {
      writeFileSync(output, '');
      execFileSync('bash', ['-eo', 'pipefail', '-c', script], {
        cwd: repo.dir,
        env: { ...process.env, GITHUB_OUTPUT: output },
      });
      const outputs = commandFile(output);
      expect(Object.keys(outputs)).toEqual(['files']);
      expect(outputs.files.split('\n').sort()).toEqual([...names].sort());
    }
    expect(script).not.toMatch(/<<\s*['"]?EOF/);
  });
});
