// Tags and releases through the real Octokit and Gitbeaker clients against in-process GitHub and GitLab servers;
// the GitHub routes are checked against GitHub's published OpenAPI description.
import { afterEach, describe, expect, it } from 'vitest';
import { ExternalError } from '../../shared/src/errors.js';
import { detectForge } from '../../shared/src/forge/index.js';
import { GitHubPlatform, GitLabPlatform } from '../../shared/src/platform/index.js';
import {
  githubReleaseServer,
  gitlabParams,
  gitlabReleaseServer,
} from '../../shared/src/forge/testing/forge-releases.js';
import type { ForgeServer } from '../../shared/src/forge/testing/forge-server.js';
import { githubSpec, schemaProblems } from '../../shared/src/forge/testing/github-openapi.js';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const OTHER = '0f1e2d3c4b5a69788796a5b4c3d2e1f001234567';
const quiet = { stdout: () => {}, stderr: () => {} };
const servers: ForgeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function github(token = 'gh-write') {
  const server = await githubReleaseServer('acme', 'shop', {
    commits: [SHA, OTHER],
    token: 'gh-write',
    readOnlyToken: 'gh-read',
  });
  servers.push(server);
  const env = {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_TOKEN: token,
    GITHUB_API_URL: server.url,
  };
  return { server, forge: (await detectForge(new GitHubPlatform({ env, ...quiet })))! };
}

async function gitlab(vars: Record<string, string> = { GITLAB_TOKEN: 'gl-write' }) {
  const server = await gitlabReleaseServer('42', 'acme/shop', {
    commits: [SHA, OTHER],
    token: 'gl-write',
    readOnlyToken: 'gl-reporter',
    jobToken: 'job-123',
  });
  servers.push(server);
  const env = { GITLAB_CI: 'true', CI_API_V4_URL: `${server.url}/api/v4`, CI_PROJECT_ID: '42', ...vars };
  return { server, forge: (await detectForge(new GitLabPlatform({ env, ...quiet })))! };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
const posts = (server: ForgeServer) => server.requests.filter((r) => r.method === 'POST').map((r) => [r.path, r.body]);
const gitlabPosts = (server: ForgeServer) =>
  server.requests.filter((r) => r.method === 'POST').map((r) => [r.path, gitlabParams(r)]);

describe('GitHub', () => {
  it('creates a lightweight tag as a ref at the commit', async () => {
    const { server, forge } = await github();
    expect(await forge.createTag({ tag: 'user-service/v1.2.0', sha: SHA })).toEqual({
      tag: 'user-service/v1.2.0',
      sha: SHA,
    });
    expect(posts(server)).toEqual([['/repos/acme/shop/git/refs', { ref: 'refs/tags/user-service/v1.2.0', sha: SHA }]]);
    expect(server.requests[0].headers.authorization).toBe('token gh-write');
  });

  it('creates an annotated tag: the tag object first, then the ref pointing at it', async () => {
    const { server, forge } = await github();
    await forge.createTag({ tag: 'v2.0.0', sha: SHA, message: 'Release 2.0.0' });
    const [tagCall, refCall] = posts(server);
    expect(tagCall).toEqual([
      '/repos/acme/shop/git/tags',
      { tag: 'v2.0.0', message: 'Release 2.0.0', object: SHA, type: 'commit' },
    ]);
    const tagged = server.state.tags.get('v2.0.0');
    expect(tagged).toMatchObject({ sha: SHA, message: 'Release 2.0.0' });
    expect(refCall).toEqual(['/repos/acme/shop/git/refs', { ref: 'refs/tags/v2.0.0', sha: tagged!.tagObject }]);
    expect(tagged!.tagObject).not.toBe(SHA);
  });

  it('names an existing tag and 422', async () => {
    const { forge } = await github();
    await forge.createTag({ tag: 'v1.0.0', sha: SHA });
    const err = await failure(forge.createTag({ tag: 'v1.0.0', sha: OTHER }));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain(
      'Could not create tag v1.0.0 at 0f1e2d3c4b5a on GitHub (acme/shop): HTTP 422 Reference already exists.',
    );
    expect(err?.message).toContain('The tag already exists');
  });

  it("explains a 403 with the 'contents: write' permission", async () => {
    const { server, forge } = await github('gh-read');
    const err = await failure(forge.createTag({ tag: 'v1.0.0', sha: SHA }));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain('HTTP 403 Resource not accessible by integration');
    expect(err?.message).toContain('permissions: contents: write');
    expect(server.state.tags.size).toBe(0);
  });

  it('creates a release with the notes, the prerelease flag and the web URL', async () => {
    const { server, forge } = await github();
    await forge.createTag({ tag: 'v1.3.0-rc.1', sha: SHA });
    const r = await forge.createRelease({
      tag: 'v1.3.0-rc.1',
      name: 'v1.3.0-rc.1',
      notes: '### Features\n- a (abc1234)',
      prerelease: true,
    });
    expect(r).toEqual({ tag: 'v1.3.0-rc.1', url: 'https://github.com/acme/shop/releases/tag/v1.3.0-rc.1' });
    expect(server.state.releases.get('v1.3.0-rc.1')).toEqual({
      name: 'v1.3.0-rc.1',
      notes: '### Features\n- a (abc1234)',
      prerelease: true,
    });
    const err = await failure(forge.createRelease({ tag: 'v1.3.0-rc.1', name: 'again', notes: '' }));
    expect(err?.message).toMatch(
      /Could not create release v1\.3\.0-rc\.1 on GitHub \(acme\/shop\): HTTP 422 Validation Failed: already_exists\. The release already exists/,
    );
  });
});

describe("the in-process GitHub routes follow GitHub's OpenAPI description", () => {
  const spec = githubSpec();
  const problems = (value: unknown, schema: Parameters<typeof schemaProblems>[2], at: string) =>
    schemaProblems(spec, value, schema, at);

  it('accepts the requests our client sends and answers with documented bodies', async () => {
    const { server, forge } = await github();
    await forge.createTag({ tag: 'v1.0.0', sha: SHA, message: 'annotated' });
    await forge.createRelease({ tag: 'v1.0.0', name: 'v1.0.0', notes: 'notes', prerelease: false });
    // replay each request on a fresh server with fetch, to see the raw answer our client consumed
    const fresh = await github();
    const toTemplate = (path: string) => path.replace('/repos/acme/shop/', '/repos/{owner}/{repo}/');
    const seen: string[] = [];
    for (const req of server.requests) {
      const template = toTemplate(req.path);
      const op = spec.paths[template]?.[req.method.toLowerCase()];
      expect(op, `${req.method} ${template} is not in GitHub's API`).toBeDefined();
      expect(problems(req.body, op.requestBody.content['application/json'].schema, 'request')).toEqual([]);
      const res = await fetch(`${fresh.server.url}${req.path}`, {
        method: req.method,
        headers: { authorization: 'token gh-write', 'content-type': 'application/json' },
        body: JSON.stringify(req.body),
      });
      expect(Object.keys(op.responses)).toContain(String(res.status));
      expect(
        problems(await res.json(), op.responses[String(res.status)].content['application/json'].schema, 'response'),
      ).toEqual([]);
      seen.push(`${req.method} ${template} ${res.status}`);
    }
    expect(seen).toEqual([
      'POST /repos/{owner}/{repo}/git/tags 201',
      'POST /repos/{owner}/{repo}/git/refs 201',
      'POST /repos/{owner}/{repo}/releases 201',
    ]);
  });

  it('documents the error statuses the routes answer with', () => {
    for (const [path, status] of [
      ['/repos/{owner}/{repo}/git/refs', '422'],
      ['/repos/{owner}/{repo}/git/tags', '422'],
      ['/repos/{owner}/{repo}/releases', '422'],
    ]) {
      expect(Object.keys(spec.paths[path].post.responses)).toContain(status);
    }
    expect(
      spec.paths['/repos/{owner}/{repo}/git/tags'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['tag', 'message', 'object', 'type']);
    expect(
      spec.paths['/repos/{owner}/{repo}/git/refs'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(['ref', 'sha']);
  });
});

describe('GitLab', () => {
  it('creates lightweight and annotated tags with tag_name, ref and message', async () => {
    const { server, forge } = await gitlab();
    await forge.createTag({ tag: 'v1.0.0', sha: SHA });
    await forge.createTag({ tag: 'user-service/v2.0.0', sha: OTHER, message: 'Release 2.0.0' });
    expect(gitlabPosts(server)).toEqual([
      ['/api/v4/projects/42/repository/tags', { tag_name: 'v1.0.0', ref: SHA }],
      [
        '/api/v4/projects/42/repository/tags',
        { tag_name: 'user-service/v2.0.0', ref: OTHER, message: 'Release 2.0.0' },
      ],
    ]);
    expect(server.requests[0].headers['private-token']).toBe('gl-write');
    expect(server.state.tags.get('user-service/v2.0.0')).toEqual({ sha: OTHER, message: 'Release 2.0.0' });
  });

  it("reports GitLab's 400 for an existing tag as 'already exists'", async () => {
    const { forge } = await gitlab();
    await forge.createTag({ tag: 'v1.0.0', sha: SHA });
    const err = await failure(forge.createTag({ tag: 'v1.0.0', sha: SHA }));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain(
      'Could not create tag v1.0.0 at a1b2c3d4e5f6 on GitLab (project 42): HTTP 400 Tag v1.0.0 already exists. The tag already exists',
    );
  });

  it('creates a release with name and description, and answers 409 for a second one', async () => {
    const { server, forge } = await gitlab();
    await forge.createTag({ tag: 'v1.1.0', sha: SHA });
    const r = await forge.createRelease({ tag: 'v1.1.0', name: 'v1.1.0', notes: '### Fixes\n- b', prerelease: true });
    expect(r.url).toBe(`${server.url}/acme/shop/-/releases/v1.1.0`);
    expect(gitlabPosts(server).at(-1)).toEqual([
      '/api/v4/projects/42/releases',
      { tag_name: 'v1.1.0', name: 'v1.1.0', description: '### Fixes\n- b' },
    ]);
    const err = await failure(forge.createRelease({ tag: 'v1.1.0', name: 'x', notes: '' }));
    expect(err?.message).toContain('HTTP 409 Release already exists. The release already exists');
  });

  it('names the missing ref when the tag of a release does not exist', async () => {
    const { forge } = await gitlab();
    const err = await failure(forge.createRelease({ tag: 'v9.0.0', name: 'v9.0.0', notes: '' }));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain(
      'Could not create release v9.0.0 on GitLab (project 42): HTTP 422 Ref is not specified.',
    );
  });

  it('with CI_JOB_TOKEN: refuses a tag with the fix, but a release with ref creates tag and release', async () => {
    const { server, forge } = await gitlab({ CI_JOB_TOKEN: 'job-123' });
    expect(forge.kind === 'gitlab' && forge.jobToken).toBe(true);
    const err = await failure(forge.createTag({ tag: 'v1.0.0', sha: SHA }));
    expect(err?.message).toContain(
      'HTTP 403 403 Forbidden. CI_JOB_TOKEN cannot create tags through the API: set GITLAB_TOKEN',
    );
    await forge.createRelease({ tag: 'v1.0.0', name: 'v1.0.0', notes: 'n', ref: SHA });
    expect(server.state.tags.get('v1.0.0')).toEqual({ sha: SHA });
    expect(server.requests.at(-1)?.headers['job-token']).toBe('job-123');
  });

  it('explains a 403 for a token without the role', async () => {
    const { forge } = await gitlab({ GITLAB_TOKEN: 'gl-reporter' });
    const err = await failure(forge.createRelease({ tag: 'v1.0.0', name: 'v1.0.0', notes: '', ref: SHA }));
    expect(err?.message).toContain(
      'HTTP 403 403 Forbidden. The token needs the Developer role or higher; else set GITLAB_TOKEN to a project access token with the api scope',
    );
  });
});
