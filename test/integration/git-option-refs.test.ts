import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiCompat } from '../../actions/api-compat/src/step.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import { TempRepo } from '../../shared/src/git/testing/temp-repo.js';
import { versionTagIn } from '../helpers/version-tag.js';

// A ref or a tag name that starts with '-' is an option to git: `git show --output=FILE` writes FILE. A real
// repository: such a ref is refused with exit 2 before git runs, and nothing is written.
const SPEC = 'openapi: 3.0.3\ninfo: { title: t, version: "1" }\npaths: {}\n';

async function apiCompatIn(dir: string, flags: Record<string, string>): Promise<{ code: number; log: string }> {
  let log = '';
  const platform = new LocalPlatform({
    env: {},
    flags,
    json: true,
    cwd: dir,
    stdout: (t) => void (log += t),
    stderr: (t) => void (log += t),
  });
  const before = process.cwd();
  process.chdir(dir);
  try {
    return { code: await run(apiCompat, platform), log };
  } finally {
    process.chdir(before);
  }
}

describe('refs that git would read as options', () => {
  it('git:--output=FILE:x is refused (exit 2, naming the input) and writes no file', async () => {
    const repo = TempRepo.create();
    repo.commit('feat: api', { 'openapi.yaml': SPEC });
    const target = join(repo.dir, 'pwned');
    // The attack is real: git itself writes the file when handed this ref as an argument.
    execFileSync('git', ['show', `--output=${join(repo.dir, 'proof')}`, 'HEAD:openapi.yaml'], { cwd: repo.dir });
    expect(existsSync(join(repo.dir, 'proof'))).toBe(true);

    for (const [input, other] of [
      ['base', 'head'],
      ['head', 'base'],
    ]) {
      const r = await apiCompatIn(repo.dir, {
        [input]: `git:--output=${target}:openapi.yaml`,
        [other]: 'openapi.yaml',
        'report-dir': 'reports',
      });
      expect(r.code, r.log).toBe(2);
      expect(r.log).toContain(`Input '${input}' is 'git:--output=${target}:openapi.yaml'`);
      expect(r.log).toContain("starts with '-'");
      expect(existsSync(target)).toBe(false);
    }
    // A good ref still reads through `git show --end-of-options`.
    const ok = await apiCompatIn(repo.dir, {
      base: 'git:HEAD:openapi.yaml',
      head: 'openapi.yaml',
      'report-dir': 'reports',
    });
    expect(ok.code, ok.log).toBe(0);
    expect(readdirSync(repo.dir).sort()).toEqual(['.git', 'openapi.yaml', 'proof', 'reports']);
  });

  it("version-tag refuses a prefix starting with '-' (exit 2) and creates no tag", async () => {
    const repo = TempRepo.create();
    repo.commit('feat: first');
    const r = await versionTagIn(repo.dir, { prefix: '-v', push: 'false' });
    expect(r.code, r.log).toBe(2);
    expect(r.log).toContain("Input 'prefix' is '-v': it starts with '-'");
    expect(repo.git('tag', '--list')).toBe('');
  });
});
