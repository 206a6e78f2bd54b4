// The committed bundles run as the GitHub runner runs the action (INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) and as a
// GitLab job runs the CLI (GITLAB_CI, SHIPGATE_* variables, dotenv report), on real repositories, pushing to a local
// bare origin and re-tagging an image in a real docker-registry.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageRef, RegistryClient } from '../../shared/src/registry/index.js';
import { githubEnv, githubOutputs } from '../helpers/github-runner.js';
import { startRegistry, type TestRegistry } from '../../shared/src/registry/testing/registry.js';
import { pushImage } from '../../shared/src/registry/testing/registry-push.js';
import { node24, ROOT, runProcess } from '../helpers/run-bundle.js';
import { TempRepo, withOrigin } from '../../shared/src/git/testing/temp-repo.js';

const ACTION = join(ROOT, 'actions/version-tag/dist/index.js');
const CLI = join(ROOT, 'bin/shipgate.js');
const repos: TempRepo[] = [];
let registry: TestRegistry;
let node24Bin = '';

beforeAll(async () => {
  registry = await startRegistry();
  node24Bin = node24();
});
afterAll(async () => {
  repos.forEach((r) => r.remove());
  await registry?.stop();
});

function releasable(): TempRepo {
  const { origin, work } = withOrigin();
  repos.push(origin, work);
  work.commit('feat: first');
  work.tag('v0.4.2');
  work.commit('feat(ui): dark mode');
  work.commit('fix(api): trim names\n\nBREAKING CHANGE: names are trimmed on write');
  return work;
}

describe.each([
  ['machine node', () => process.execPath],
  ['node 24', () => node24Bin],
])('GitHub Action bundle under %s', (_label, nodeBin) => {
  it('computes the version on a dry run and writes outputs and summary, without touching origin', async () => {
    const work = releasable();
    const { env, output, summary } = githubEnv(work.dir, '.gh', { 'dry-run': 'true', 'pre-major': 'true' });
    const r = await runProcess(nodeBin(), [ACTION], { env, cwd: work.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = githubOutputs(output);
    expect(out).toMatchObject({
      'previous-version': '0.4.2',
      'previous-tag': 'v0.4.2',
      version: '0.5.0',
      tag: 'v0.5.0',
      bump: 'minor',
      released: 'false',
    });
    expect(out.changelog).toContain('### Breaking changes\n\n- **api:** names are trimmed on write (');
    expect(readFileSync(summary, 'utf8')).toContain(
      '**`v0.4.2` → `v0.5.0`** · minor · 2 commits since `v0.4.2` · **dry run**',
    );
    expect(work.git('ls-remote', '--tags', 'origin')).toBe('');
  });
});

describe('GitHub Action bundle publishing', () => {
  it('pushes the tag to origin and re-tags the image in the registry', async () => {
    const work = releasable();
    const built = await pushImage(registry, 'acme/web', `sha-${work.head().slice(0, 7)}`);
    const { env, output } = githubEnv(work.dir, '.gh', {
      images: `${registry.host}/acme/web`,
      'image-tags': '{version}\n{major}.{minor}\nlatest',
    });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: work.dir });
    expect(r.code).toBe(0);
    const out = githubOutputs(output);
    expect(out).toMatchObject({ tag: 'v1.0.0', bump: 'major', released: 'true', digest: built.digest });
    expect(work.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/v1.0.0');
    const client = new RegistryClient();
    for (const tag of ['1.0.0', '1.0', 'latest'])
      expect(await client.manifestExists(parseImageRef(`${registry.host}/acme/web:${tag}`))).toBe(built.digest);
    expect(r.stdout).toContain('::group::Publishing v1.0.0');
  });

  it('exits 2 naming the input on a bad prefix, with nothing tagged', async () => {
    const work = releasable();
    const { env, output } = githubEnv(work.dir, '.gh', { prefix: 'release 1' });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: work.dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("::error::Input 'prefix' is 'release 1': it ends in a digit");
    expect(readFileSync(output, 'utf8')).toBe('');
    expect(work.git('ls-remote', '--tags', 'origin')).toBe('');
  });
});

describe('CLI as a GitLab job runs it', () => {
  it('reads SHIPGATE_* variables, pushes the tag, writes the dotenv report and the summary artifact', async () => {
    const work = releasable();
    const r = await runProcess(process.execPath, [CLI, 'version-tag'], {
      cwd: work.dir,
      env: { GITLAB_CI: 'true', SHIPGATE_PRERELEASE: 'rc', SHIPGATE_PUSH: 'true' },
    });
    expect(r.code).toBe(0);
    const dotenv = readFileSync(join(work.dir, 'shipgate.env'), 'utf8');
    expect(dotenv).toContain('SHIPGATE_VERSION=1.0.0-rc.1\n');
    expect(dotenv).toContain('SHIPGATE_TAG=v1.0.0-rc.1\n');
    expect(dotenv).toContain('SHIPGATE_BUMP=major\n');
    expect(dotenv).toContain('SHIPGATE_RELEASED=true\n');
    expect(dotenv).toMatch(/^SHIPGATE_CHANGELOG=### Breaking changes\\n\\n- \*\*api:\*\* names are trimmed on write/m);
    expect(readFileSync(join(work.dir, 'shipgate-summary.md'), 'utf8')).toContain('### Published');
    expect(work.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/v1.0.0-rc.1');
  });

  it('on a shallow clone in a dry run, exits 2 telling to set GIT_DEPTH: 0', async () => {
    const work = releasable();
    work.git('push', '--quiet', 'origin', 'main', '--tags');
    const clone = TempRepo.create();
    repos.push(clone);
    clone.remove();
    await runProcess('git', ['clone', '--quiet', '--depth=1', `file://${work.dir}`, clone.dir]);
    const r = await runProcess(process.execPath, [CLI, 'version-tag', '--dry-run'], {
      cwd: clone.dir,
      env: { GITLAB_CI: 'true' },
    });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("Set the variable 'GIT_DEPTH: 0' on the job");
  });

  it('prints outputs as JSON locally with --json', async () => {
    const work = releasable();
    const r = await runProcess(process.execPath, [CLI, 'version-tag', '--dry-run', '--json'], { cwd: work.dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ version: '1.0.0', bump: 'major' });
  });
});
