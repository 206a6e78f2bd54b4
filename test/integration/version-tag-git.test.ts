// version-tag's git side effects and guards on real repositories: a tag pushed to a local bare origin, a refused push,
// shallow clones made with `git clone --depth`, and bad input that must stop the job before anything is tagged.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shallowClone, TempRepo, withOrigin } from '../../shared/src/git/testing/temp-repo.js';
import { versionTagIn } from '../helpers/version-tag.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
function repo(): TempRepo {
  const r = TempRepo.create();
  repos.push(r);
  return r;
}

const dry = { 'dry-run': 'true' };

describe('tagging through git push', () => {
  it('creates an annotated tag and pushes it to origin', async () => {
    const { origin, work } = withOrigin();
    repos.push(origin, work);
    work.commit('feat: a');
    work.tag('v0.1.0');
    work.commit('feat(api): b');
    work.git('push', '--quiet', 'origin', 'main', '--tags');
    const res = await versionTagIn(work.dir, { push: 'true' });
    expect(res.code).toBe(0);
    expect(res.outputs).toMatchObject({ tag: 'v0.2.0', released: 'true' });
    expect(origin.git('rev-parse', 'v0.2.0^{commit}')).toBe(work.head());
    expect(origin.git('cat-file', '-t', 'v0.2.0')).toBe('tag');
    expect(origin.git('tag', '-l', '--format=%(contents)', 'v0.2.0')).toContain('- **api:** b (');
    expect(res.summary).toContain('### Published');
    // The next run starts from the new tag.
    expect((await versionTagIn(work.dir, dry)).outputs.bump).toBe('none');
  });

  it('fails with exit 3 when the push is refused, and leaves no local tag behind', async () => {
    const { origin, work } = withOrigin();
    repos.push(origin, work);
    work.commit('fix: a');
    origin.git('config', 'receive.denyCurrentBranch', 'refuse');
    const hook = join(origin.dir, 'hooks', 'pre-receive');
    (await import('node:fs')).writeFileSync(hook, '#!/bin/sh\necho "tags are protected" >&2\nexit 1\n', {
      mode: 0o755,
    });
    // CI=true: a CI system Shipgate has no platform for publishes by default, as GitHub and GitLab do
    const res = await versionTagIn(work.dir, {}, { CI: 'true' });
    expect(res.code).toBe(3);
    expect(res.log).toContain('git push of tag v0.0.1 to origin failed');
    expect(res.log).toContain('Nothing was changed before this failure.');
    expect(work.git('tag', '--list')).toBe('');
  });

  it('refuses to publish without origin or token, before anything else', async () => {
    const r = repo();
    r.commit('feat: a');
    const res = await versionTagIn(r.dir, { push: 'true' });
    expect(res.code).toBe(2);
    expect(res.log).toContain(
      "Input 'push' is 'true', but no forge token is in the environment: GITHUB_TOKEN with GITHUB_REPOSITORY for GitHub, or GITLAB_TOKEN with CI_PROJECT_ID and CI_SERVER_URL for GitLab to tag through the API, and there is no git remote 'origin'",
    );
    const rel = await versionTagIn(r.dir, { release: 'true' });
    expect(rel.log).toContain("Input 'release' is 'true', but no forge token is in the environment");
  });
});

describe('shallow clones', () => {
  function source(): TempRepo {
    const r = repo();
    r.commit('feat: a');
    r.tag('v1.0.0');
    for (let i = 0; i < 5; i++) r.commit(`fix: f${i}`);
    r.commit('feat: last');
    return r;
  }

  it('on a dry run, stops with the exact fix for the platform', async () => {
    const clone = shallowClone(source(), 2);
    repos.push(clone);
    const gh = await versionTagIn(clone.dir, dry, { GITHUB_ACTIONS: 'true' }, 'github');
    expect(gh.code).toBe(2);
    expect(gh.log).toContain("Set 'fetch-depth: 0' on actions/checkout");
    const gl = await versionTagIn(
      clone.dir,
      dry,
      {
        GITLAB_CI: 'true',
        SHIPGATE_SUMMARY_FILE: join(clone.dir, 's.md'),
        SHIPGATE_DOTENV_FILE: join(clone.dir, 'x.env'),
      },
      'gitlab',
    );
    expect(gl.code).toBe(2);
    expect(gl.log).toContain("Set the variable 'GIT_DEPTH: 0' on the job");
  });

  it('when it may write, fetches the history and tags from origin and computes the right version', async () => {
    const src = source();
    const clone = shallowClone(src, 1);
    repos.push(clone);
    expect(clone.git('rev-parse', '--is-shallow-repository')).toBe('true');
    const res = await versionTagIn(clone.dir, { push: 'false' });
    expect(res.code).toBe(0);
    expect(res.outputs).toMatchObject({ 'previous-tag': 'v1.0.0', version: '1.1.0' });
    expect(res.log).toContain('shallow clone; fetching the full history and the tags from origin');
  });
});

describe('bad input: exit 2 with the fix named, nothing tagged', () => {
  it.each([
    [{ prefix: 'v1' }, "Input 'prefix' is 'v1': it ends in a digit"],
    [{ prefix: 'my prefix/' }, "Input 'prefix' is 'my prefix/': git does not accept 'my prefix/0.0.0' as a tag name"],
    [{ prefix: 'v..' }, "git does not accept 'v..0.0.0'"],
    [{ 'initial-version': '1.0' }, "Input 'initial-version' is '1.0'. Expected a version X.Y.Z"],
    [{ prerelease: 'rc.1' }, "Input 'prerelease' is 'rc.1'."],
    [{ images: 'Foo/Bar' }, "Input 'images': image 'Foo/Bar' is not a valid image reference"],
    [{ 'image-tags': '{sha}' }, "Input 'image-tags' has '{sha}'"],
    [
      { 'api-breaking-policy': 'ignore' },
      "Input 'api-breaking-policy' is 'ignore'. Expected one of: force-major, fail.",
    ],
    [{ release: 'true', push: 'false' }, "Input 'release' is 'true' but 'push' is 'false'"],
  ])('%j', async (flags, message) => {
    const { origin, work } = withOrigin();
    repos.push(origin, work);
    work.commit('feat: a');
    const res = await versionTagIn(work.dir, flags);
    expect(res.code).toBe(2);
    expect(res.log).toContain(message);
    expect(work.git('tag', '--list')).toBe('');
    expect(origin.git('tag', '--list')).toBe('');
  });

  it('outside a git repository', async () => {
    const res = await versionTagIn(mkdtempSync(join(tmpdir(), 'shipgate-nogit-')), dry);
    expect(res.code).toBe(2);
    expect(res.log).toContain('is not inside a git repository');
  });

  it('in a repository without commits', async () => {
    const res = await versionTagIn(repo().dir, dry);
    expect(res.code).toBe(2);
    expect(res.log).toContain('has no commit yet');
  });
});
