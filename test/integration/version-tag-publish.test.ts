// version-tag's side effects against real parts: tags and releases through in-process GitHub and GitLab API servers,
// images re-tagged in Debian's docker-registry (anonymous, basic auth, bearer tokens), and what a failure halfway says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageRef, RegistryClient } from '../../shared/src/registry/index.js';
import { githubReleaseServer, gitlabReleaseServer } from '../../shared/src/forge/testing/forge-releases.js';
import { startRegistry, type TestRegistry } from '../../shared/src/registry/testing/registry.js';
import { pushImage, pushIndex } from '../../shared/src/registry/testing/registry-push.js';
import { TempRepo, withOrigin } from '../../shared/src/git/testing/temp-repo.js';
import { versionTagIn } from '../helpers/version-tag.js';

const repos: TempRepo[] = [];
let open: TestRegistry;
let basic: TestRegistry;
let token: TestRegistry;

beforeAll(async () => {
  [open, basic, token] = await Promise.all([
    startRegistry(),
    startRegistry({ auth: 'basic' }),
    startRegistry({ auth: 'token', users: { ci: 'secret', reader: 'pw' }, readOnlyUsers: ['reader'] }),
  ]);
});
afterAll(async () => {
  repos.forEach((r) => r.remove());
  await Promise.all([open, basic, token].map((r) => r?.stop()));
});

/** A repository at v1.4.7 with a feature since: the next version is 1.5.0. */
function releasable(): TempRepo {
  const { origin, work } = withOrigin();
  repos.push(origin, work);
  work.commit('feat: a');
  work.tag('v1.4.7');
  work.commit('feat(api): search\n\nCloses #4');
  work.commit('fix: trim');
  return work;
}

const digestOf = (reg: TestRegistry, repository: string, tag: string, creds?: { username: string; password: string }) =>
  new RegistryClient({ credentials: creds && (() => ({ ...creds, source: 'test' })) }).manifestExists(
    parseImageRef(`${reg.host}/${repository}:${tag}`),
  );

describe('through the GitHub API', () => {
  it('creates an annotated tag and a release with the changelog, and re-tags the image keeping its digest', async () => {
    const work = releasable();
    const sha = work.head();
    const gh = await githubReleaseServer('acme', 'shop', { commits: [sha], token: 'gh-write' });
    try {
      const built = await pushImage(open, 'acme/user-service', `sha-${sha.slice(0, 7)}`);
      const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'gh-write' };
      const res = await versionTagIn(work.dir, { release: 'true', images: `${open.host}/acme/user-service` }, env);
      expect(res.log).not.toContain('gh-write');
      expect(res.code).toBe(0);
      expect(res.outputs).toMatchObject({ tag: 'v1.5.0', released: 'true', digest: built.digest });
      expect(JSON.parse(res.outputs.digests)).toEqual({ [`${open.host}/acme/user-service`]: built.digest });
      expect(gh.state.tags.get('v1.5.0')).toMatchObject({ sha });
      expect(gh.state.tags.get('v1.5.0')?.message).toContain('### Features');
      const release = gh.state.releases.get('v1.5.0');
      expect(release).toMatchObject({ name: 'v1.5.0', prerelease: false });
      expect(release?.notes).toBe(res.outputs.changelog);
      for (const tag of ['1.5.0', '1.5', '1', 'latest'])
        expect(await digestOf(open, 'acme/user-service', tag)).toBe(built.digest);
      // Side effects in the order: the tag before the release.
      const writes = gh.requests.filter((r) => r.method === 'POST').map((r) => r.path);
      expect(writes).toEqual(['/repos/acme/shop/git/tags', '/repos/acme/shop/git/refs', '/repos/acme/shop/releases']);
      expect(work.git('ls-remote', '--tags', 'origin')).toBe('');
    } finally {
      await gh.close();
    }
  });

  it('when the release fails after the tag, says precisely what was done and what was not', async () => {
    const work = releasable();
    const gh = await githubReleaseServer('acme', 'shop', { commits: [work.head()], token: 'gh-write' });
    try {
      gh.state.releases.set('v1.5.0', { prerelease: false });
      const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'gh-write' };
      const res = await versionTagIn(work.dir, { release: 'true', images: `${open.host}/acme/never-pushed` }, env);
      // The image is checked before anything is written: a missing one stops the job first.
      expect(res.code).toBe(3);
      expect(res.log).toContain(`Image ${open.host}/acme/never-pushed:sha-`);
      expect(gh.state.tags.size).toBe(0);

      await pushImage(open, 'acme/never-pushed', `sha-${work.head().slice(0, 7)}`);
      const again = await versionTagIn(work.dir, { release: 'true', images: `${open.host}/acme/never-pushed` }, env);
      expect(again.code).toBe(3);
      expect(again.log).toContain('Could not create release v1.5.0 on GitHub (acme/shop): HTTP 422');
      expect(again.log).toMatch(/Already done: tag v1\.5\.0 → GitHub acme\/shop at [0-9a-f]{7}\./);
      expect(again.log).toContain(`Not done: release v1.5.0, re-tag of ${open.host}/acme/never-pushed.`);
      expect(again.log).toContain('### Published');
      expect(gh.state.tags.has('v1.5.0')).toBe(true);
      expect(await digestOf(open, 'acme/never-pushed', '1.5.0')).toBeUndefined();
    } finally {
      await gh.close();
    }
  });

  it('a token without write permission fails with the permission to add, nothing tagged', async () => {
    const work = releasable();
    const gh = await githubReleaseServer('acme', 'shop', {
      commits: [work.head()],
      token: 'gh-write',
      readOnlyToken: 'gh-read',
    });
    try {
      const res = await versionTagIn(
        work.dir,
        { push: 'true' },
        { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'gh-read' },
      );
      expect(res.code).toBe(3);
      expect(res.log).toContain('permissions: contents: write');
      expect(gh.state.tags.size).toBe(0);
    } finally {
      await gh.close();
    }
  });
});

describe('through the GitLab API', () => {
  it('creates the tag and the release, and marks nothing when it is a dry run', async () => {
    const work = releasable();
    const gl = await gitlabReleaseServer('42', 'acme/shop', { commits: [work.head()], token: 'gl-write' });
    try {
      const env = {
        GITLAB_CI: 'true',
        CI_PROJECT_ID: '42',
        CI_API_V4_URL: `${gl.url}/api/v4`,
        GITLAB_TOKEN: 'gl-write',
      };
      const preview = await versionTagIn(work.dir, { release: 'true', 'dry-run': 'true' }, env);
      expect(preview.outputs).toMatchObject({ tag: 'v1.5.0', released: 'false' });
      expect(gl.requests).toHaveLength(0);
      const res = await versionTagIn(work.dir, { release: 'true', prerelease: 'rc' }, env);
      expect(res.code).toBe(0);
      expect(res.outputs).toMatchObject({ tag: 'v1.5.0-rc.1', released: 'true' });
      expect(gl.state.tags.get('v1.5.0-rc.1')?.sha).toBe(work.head());
      expect(gl.state.releases.get('v1.5.0-rc.1')?.notes).toContain('- **api:** search (');
    } finally {
      await gl.close();
    }
  });

  it('with only CI_JOB_TOKEN, pushes the tag with git (the job token cannot create tags) and creates the release through the API', async () => {
    const work = releasable();
    const gl = await gitlabReleaseServer('42', 'acme/shop', {
      commits: [work.head()],
      token: 'gl-write',
      jobToken: 'job-token-value',
    });
    try {
      // GitLab knows a pushed tag at once; this server learns it from the test.
      gl.state.tags.set('v1.5.0', { sha: work.head() });
      const env = {
        GITLAB_CI: 'true',
        CI_PROJECT_ID: '42',
        CI_API_V4_URL: `${gl.url}/api/v4`,
        CI_JOB_TOKEN: 'job-token-value',
      };
      const res = await versionTagIn(work.dir, { release: 'true' }, env);
      expect(res.code).toBe(0);
      expect(res.log).not.toContain('job-token-value');
      expect(work.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/v1.5.0');
      expect(gl.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v4/projects/42/releases']);
      expect(gl.requests[0].headers['job-token']).toBe('job-token-value');
      expect(gl.state.releases.get('v1.5.0')?.notes).toBe(res.outputs.changelog);
    } finally {
      await gl.close();
    }
  });
});

describe('image re-tag in a real registry', () => {
  it('keeps a multi-arch index digest, and gives a pre-release no floating tags', async () => {
    const work = releasable();
    const index = await pushIndex(open, 'acme/multi', 'build-7');
    const res = await versionTagIn(
      work.dir,
      { push: 'false', prerelease: 'rc', images: `${open.host}/acme/multi`, 'source-tag': 'build-7' },
      {},
    );
    expect(res.code).toBe(0);
    expect(res.outputs).toMatchObject({ version: '1.5.0-rc.1', digest: index.digest, released: 'false' });
    expect(await digestOf(open, 'acme/multi', '1.5.0-rc.1')).toBe(index.digest);
    for (const floating of ['latest', '1', '1.5']) expect(await digestOf(open, 'acme/multi', floating)).toBeUndefined();
  });

  it('basic auth: 401 without credentials names the variables, and REGISTRY_USERNAME/PASSWORD log in', async () => {
    const work = releasable();
    const tag = `sha-${work.head().slice(0, 7)}`;
    const creds = { username: 'ci', password: 'secret' };
    const image = await pushImage(basic, 'acme/private', tag);
    const anonymous = await versionTagIn(work.dir, { push: 'false', images: `${basic.host}/acme/private` }, {});
    expect(anonymous.code).toBe(3);
    expect(anonymous.log).toContain('REGISTRY_USERNAME and REGISTRY_PASSWORD');
    const res = await versionTagIn(
      work.dir,
      { push: 'false', images: `${basic.host}/acme/private`, 'image-tags': '{version}\nstable' },
      { REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: 'secret' },
    );
    expect(res.code).toBe(0);
    expect(res.log).not.toContain('secret');
    expect(await digestOf(basic, 'acme/private', 'stable', creds)).toBe(image.digest);
  });

  it('bearer tokens: a read-only user passes the existence check, then the re-tag fails after the git tag was pushed', async () => {
    const work = releasable();
    await pushImage(token, 'acme/tokened', `sha-${work.head().slice(0, 7)}`);
    const res = await versionTagIn(
      work.dir,
      { push: 'true', images: `${token.host}/acme/tokened` },
      { REGISTRY_USERNAME: 'reader', REGISTRY_PASSWORD: 'pw' },
    );
    expect(res.code).toBe(3);
    expect(res.log).toMatch(/Already done: tag v1\.5\.0 → .* \(git push\)\./);
    expect(res.log).toContain(`Not done: re-tag of ${token.host}/acme/tokened.`);
    expect(work.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/v1.5.0');
    expect(token.tokenRequests.length).toBeGreaterThan(0);
  });
});
