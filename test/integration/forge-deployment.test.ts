// Deployment records through the real Octokit and Gitbeaker clients against in-process GitHub and GitLab servers;
// the GitHub routes are checked against GitHub's published OpenAPI description.
import { afterEach, describe, expect, it } from 'vitest';
import { ExternalError } from '../../shared/src/errors.js';
import { detectForge, type DeploymentRecord } from '../../shared/src/forge/index.js';
import { GitHubPlatform, GitLabPlatform } from '../../shared/src/platform/index.js';
import {
  githubDeploymentServer,
  gitlabDeploymentServer,
  type DeploymentForgeOptions,
} from '../../shared/src/forge/testing/forge-deployments.js';
import { githubSpec, schemaProblems } from '../../shared/src/forge/testing/github-openapi.js';
import type { ForgeServer } from '../../shared/src/forge/testing/forge-server.js';
import { gitlabParams } from '../../shared/src/forge/testing/forge-releases.js';

const GOOD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const HEAD = '0f1e2d3c4b5a69788796a5b4c3d2e1f001234567';
const servers: ForgeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const rollback = (over: Partial<DeploymentRecord> = {}): DeploymentRecord => ({
  environment: 'production',
  ref: 'v1.4.2',
  sha: GOOD,
  description: 'Rollback to 1.4.2: error rate 0.08 > 0.05',
  state: 'success',
  version: 'registry.example/shop:1.4.2',
  ...over,
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

/** Everything the platform printed, to check that no token reached a log line. */
function logged() {
  const lines: string[] = [];
  return { lines, sink: { stdout: (t: string) => void lines.push(t), stderr: (t: string) => void lines.push(t) } };
}

async function github(token = 'ghs_write_1234', opts: Partial<DeploymentForgeOptions> = {}) {
  const server = await githubDeploymentServer('acme', 'shop', {
    commits: [HEAD, GOOD],
    tags: { 'v1.4.2': GOOD },
    token: 'ghs_write_1234',
    readOnlyToken: 'ghs_read_5678',
    ...opts,
  });
  servers.push(server);
  const log = logged();
  const env = {
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_TOKEN: token,
    GITHUB_API_URL: server.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '987654',
  };
  const platform = new GitHubPlatform({ env, ...log.sink });
  return { server, platform, log, forge: (await detectForge(platform))! };
}

async function gitlab(
  vars: Record<string, string> = { GITLAB_TOKEN: 'glpat-write-1234' },
  opts: Partial<DeploymentForgeOptions> = {},
) {
  const server = await gitlabDeploymentServer('42', 'acme/shop', {
    commits: [HEAD, GOOD],
    tags: { 'v1.4.2': GOOD, 'v1.4.20': HEAD },
    token: 'glpat-write-1234',
    readOnlyToken: 'glpat-reporter-5678',
    jobToken: 'job-token-9999',
    ...opts,
  });
  servers.push(server);
  const log = logged();
  const env = {
    GITLAB_CI: 'true',
    CI_API_V4_URL: `${server.url}/api/v4`,
    CI_PROJECT_ID: '42',
    CI_PROJECT_URL: 'https://gitlab.example/acme/shop',
    SHIPGATE_DEBUG: 'true',
    ...vars,
  };
  const platform = new GitLabPlatform({ env, ...log.sink, cwd: '/nonexistent' });
  return { server, platform, log, forge: (await detectForge(platform))! };
}

describe('GitHub', () => {
  it('creates a deployment of the tag without status checks, then a success status linking the run', async () => {
    const { server, forge } = await github();
    const res = await forge.recordDeployment(rollback());
    expect(res).toEqual({
      where: 'GitHub deployment 1 of v1.4.2 to production, status success',
      url: 'https://github.com/acme/shop/deployments/production',
    });
    const [create, status] = server.requests.map((r) => [r.method, r.path, r.body]);
    expect(create).toEqual([
      'POST',
      '/repos/acme/shop/deployments',
      {
        ref: 'v1.4.2',
        environment: 'production',
        description: 'Rollback to 1.4.2: error rate 0.08 > 0.05',
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        production_environment: true,
        payload: { version: 'registry.example/shop:1.4.2', sha: GOOD },
      },
    ]);
    expect(status).toEqual([
      'POST',
      '/repos/acme/shop/deployments/1/statuses',
      {
        state: 'success',
        environment: 'production',
        description: 'Rollback to 1.4.2: error rate 0.08 > 0.05',
        log_url: 'https://github.com/acme/shop/actions/runs/987654',
      },
    ]);
    expect(server.deployments).toMatchObject([{ sha: GOOD, ref: 'v1.4.2', statuses: [{ state: 'success' }] }]);
  });

  it('records a failed rollback as state failure in a non-production environment, and clips the description to 140 characters', async () => {
    const { server, forge } = await github();
    const description = `Rollback to ${GOOD} failed: ${'rollout did not become available; '.repeat(6)}`;
    const res = await forge.recordDeployment(
      rollback({ environment: 'staging', ref: GOOD, sha: undefined, state: 'failure', description }),
    );
    expect(res.where).toBe(`GitHub deployment 1 of ${GOOD} to staging, status failure`);
    const created = server.requests[0].body as Record<string, unknown>;
    expect(created).toMatchObject({
      ref: GOOD,
      environment: 'staging',
      production_environment: false,
      payload: { version: 'registry.example/shop:1.4.2' },
    });
    const set = server.deployments[0].statuses[0];
    expect(set.state).toBe('failure');
    expect(set.description).toHaveLength(140);
    expect(set.description!.endsWith('…')).toBe(true);
    expect(description.startsWith(set.description!.slice(0, -1))).toBe(true);
  });

  it('is not blocked by failing commit checks, which would refuse a deployment that leaves required_contexts out', async () => {
    const { server, forge } = await github(undefined, { failingContexts: ['ci/test'] });
    await forge.recordDeployment(rollback());
    expect(server.deployments).toHaveLength(1);
    const res = await fetch(`${server.url}/repos/acme/shop/deployments`, {
      method: 'POST',
      headers: { authorization: 'token ghs_write_1234', 'content-type': 'application/json' },
      body: JSON.stringify({ ref: 'v1.4.2' }),
    });
    expect(res.status).toBe(409);
  });

  it("explains a 403 with 'deployments: write' and never shows the token", async () => {
    const { server, forge, log } = await github('ghs_read_5678');
    const err = await failure(forge.recordDeployment(rollback()));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toBe(
      'Could not create a deployment of v1.4.2 to production on GitHub (acme/shop): HTTP 403 Resource not accessible by integration. ' +
        "The GITHUB_TOKEN needs 'deployments: write': add `permissions: deployments: write` to the job.",
    );
    expect(server.deployments).toHaveLength(0);
    expect(server.requests[0].headers.authorization).toBe('token ghs_read_5678');
    expect([err!.message, ...log.lines].join('\n')).not.toContain('ghs_read_5678');
  });

  it('names a ref GitHub does not know (422) and creates nothing', async () => {
    const { server, forge } = await github();
    const err = await failure(forge.recordDeployment(rollback({ ref: 'v9.9.9' })));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toBe(
      'Could not create a deployment of v9.9.9 to production on GitHub (acme/shop): HTTP 422 No ref found for: v9.9.9.',
    );
    expect(server.deployments).toHaveLength(0);
    expect(server.requests.map((r) => r.path)).toEqual(['/repos/acme/shop/deployments']);
  });
});

describe("the in-process GitHub routes follow GitHub's OpenAPI description", () => {
  const spec = githubSpec();

  it('accepts the requests our client sends and answers with documented bodies', async () => {
    const { server, forge } = await github();
    await forge.recordDeployment(rollback());
    const template = (path: string) =>
      path
        .replace('/repos/acme/shop/', '/repos/{owner}/{repo}/')
        .replace(/\/deployments\/\d+\//, '/deployments/{deployment_id}/');
    // replay each request on a fresh server with fetch, to see the raw answer our client consumed
    const fresh = await github();
    const seen: string[] = [];
    for (const req of server.requests) {
      const op = spec.paths[template(req.path)]?.[req.method.toLowerCase()];
      expect(op, `${req.method} ${template(req.path)} is not in GitHub's API`).toBeDefined();
      expect(schemaProblems(spec, req.body, op.requestBody.content['application/json'].schema, 'request')).toEqual([]);
      const res = await fetch(`${fresh.server.url}${req.path}`, {
        method: req.method,
        headers: { authorization: 'token ghs_write_1234', 'content-type': 'application/json' },
        body: JSON.stringify(req.body),
      });
      expect(Object.keys(op.responses)).toContain(String(res.status));
      expect(
        schemaProblems(
          spec,
          await res.json(),
          op.responses[String(res.status)].content['application/json'].schema,
          'response',
        ),
      ).toEqual([]);
      seen.push(`${req.method} ${template(req.path)} ${res.status}`);
    }
    expect(seen).toEqual([
      'POST /repos/{owner}/{repo}/deployments 201',
      'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses 201',
    ]);
  });

  it('documents the fields, states and error statuses the routes use', async () => {
    const create = spec.paths['/repos/{owner}/{repo}/deployments'].post;
    const status = spec.paths['/repos/{owner}/{repo}/deployments/{deployment_id}/statuses'].post;
    expect(create.requestBody.content['application/json'].schema.required).toEqual(['ref']);
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '409', '422']));
    expect(Object.keys(status.responses)).toEqual(expect.arrayContaining(['201', '422']));
    const fields = status.requestBody.content['application/json'].schema;
    expect(fields.required).toEqual(['state']);
    expect(fields.properties.state.enum).toEqual(expect.arrayContaining(['success', 'failure']));
    expect(fields.properties.description.description).toContain('140 characters');
    // the 422s our server answers carry the documented validation-error body
    const { server } = await github();
    const res = await fetch(`${server.url}/repos/acme/shop/deployments`, {
      method: 'POST',
      headers: { authorization: 'token ghs_write_1234', 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(res.status).toBe(422);
    expect(
      schemaProblems(
        spec,
        await res.json(),
        spec.components.responses.validation_failed.content['application/json'].schema,
        'error',
      ),
    ).toEqual([]);
  });
});

const posted = (server: ForgeServer) =>
  server.requests.filter((r) => r.method === 'POST').map((r) => [r.path, gitlabParams(r)]);

describe('GitLab', () => {
  it('creates an environment deployment of the tag with status success, and links the environment', async () => {
    const { server, forge } = await gitlab(undefined, { environments: ['production'] });
    const res = await forge.recordDeployment(rollback());
    expect(res).toEqual({
      where: 'GitLab deployment 1 of v1.4.2 (a1b2c3d4e5f6) to environment production, status success',
      url: 'https://gitlab.example/acme/shop/-/environments/100',
    });
    expect(posted(server)).toEqual([
      [
        '/api/v4/projects/42/deployments',
        { environment: 'production', sha: GOOD, ref: 'v1.4.2', tag: true, status: 'success' },
      ],
    ]);
    expect(server.requests[0].headers['private-token']).toBe('glpat-write-1234');
    expect(server.environments.size).toBe(1);
  });

  it('records a failure as status failed, a SHA ref as no tag, and GitLab creates a missing environment', async () => {
    const { server, forge } = await gitlab();
    const res = await forge.recordDeployment(
      rollback({ environment: 'review/eu-1', ref: GOOD, sha: undefined, state: 'failure' }),
    );
    expect(posted(server)).toEqual([
      [
        '/api/v4/projects/42/deployments',
        { environment: 'review/eu-1', sha: GOOD, ref: GOOD, tag: false, status: 'failed' },
      ],
    ]);
    expect([...server.environments.keys()]).toEqual(['review/eu-1']);
    expect(res.where).toBe(`GitLab deployment 1 of ${GOOD} (a1b2c3d4e5f6) to environment review/eu-1, status failed`);
    expect(res.url).toBe(
      `https://gitlab.example/acme/shop/-/environments/${server.environments.get('review/eu-1')!.id}`,
    );
  });

  it('looks the commit of a tag up when no sha is given, matching the whole name', async () => {
    const { server, forge } = await gitlab();
    await forge.recordDeployment(rollback({ sha: undefined }));
    const list = server.requests.find((r) => r.method === 'GET')!;
    expect([list.path, list.query.get('search')]).toEqual(['/api/v4/projects/42/repository/tags', '^v1.4.2']);
    // v1.4.20 matches the search too, at another commit
    expect(server.deployments).toMatchObject([{ ref: 'v1.4.2', sha: GOOD, tag: true }]);
    const err = await failure(forge.recordDeployment(rollback({ ref: 'v7.0.0', sha: undefined })));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toBe(
      "GitLab needs the commit of a deployment: 'v7.0.0' is no tag of project 42 and no sha was given.",
    );
    expect(server.deployments).toHaveLength(1);
  });

  it('with only CI_JOB_TOKEN: records on a GitLab that accepts it for deployments', async () => {
    const { server, forge } = await gitlab({ CI_JOB_TOKEN: 'job-token-9999' }, { jobTokenAllowed: true });
    expect(forge.kind === 'gitlab' && forge.jobToken).toBe(true);
    const res = await forge.recordDeployment(rollback());
    expect(res.where).toContain('status success');
    expect(server.requests[0].headers['job-token']).toBe('job-token-9999');
    expect(server.deployments).toHaveLength(1);
  });

  it('with only CI_JOB_TOKEN on a GitLab that refuses it: an ExternalError that asks for GITLAB_TOKEN, without the token', async () => {
    const { server, forge, log } = await gitlab({ CI_JOB_TOKEN: 'job-token-9999' }, { jobTokenAllowed: false });
    const err = await failure(forge.recordDeployment(rollback()));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toMatch(
      /^Could not create a deployment of v1\.4\.2 to production on GitLab \(project 42\): HTTP 401 401 Unauthorized\. This GitLab refused CI_JOB_TOKEN for deployments .*: set GITLAB_TOKEN to a project access token with the api scope/,
    );
    expect(server.deployments).toHaveLength(0);
    expect(log.lines.join('')).toContain('POST /projects/42/deployments environment=production ref=v1.4.2');
    expect([err!.message, ...log.lines].join('\n')).not.toContain('job-token-9999');
  });

  it('explains a 403 for a token below the Developer role', async () => {
    const { server, forge, log } = await gitlab({ GITLAB_TOKEN: 'glpat-reporter-5678' });
    const err = await failure(forge.recordDeployment(rollback()));
    expect(err).toBeInstanceOf(ExternalError);
    expect(err?.message).toContain(
      'HTTP 403 403 Forbidden. The token needs the Developer role or higher; else set GITLAB_TOKEN to a project access token',
    );
    expect(server.deployments).toHaveLength(0);
    expect([err!.message, ...log.lines].join('\n')).not.toContain('glpat-reporter-5678');
  });

  it('answers 400 for a missing required field or a status GitLab does not allow, as the API does', async () => {
    const { server } = await gitlab();
    const post = (fields: Record<string, unknown>) =>
      fetch(`${server.url}/api/v4/projects/42/deployments`, {
        method: 'POST',
        headers: { 'private-token': 'glpat-write-1234', 'content-type': 'application/json' },
        body: JSON.stringify(fields),
      });
    const ok = { environment: 'production', sha: GOOD, ref: 'v1.4.2', tag: true, status: 'success' };
    expect((await (await post({ ...ok, sha: undefined })).json()) as object).toEqual({ error: 'sha is missing' });
    const bad = await post({ ...ok, status: 'failure' });
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'status does not have a valid value' }]);
    expect((await post(ok)).status).toBe(201);
  });
});
