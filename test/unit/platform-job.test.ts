import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GitHubPlatform, GitLabPlatform, LocalPlatform } from '../../shared/src/platform/index.js';

const quiet = { stdout: () => {}, stderr: () => {} };
const dir = mkdtempSync(join(tmpdir(), 'shipgate-job-'));

describe('Platform.job: the run identity, read from the CI variables by the platform alone', () => {
  it('GitHub: repository, commit, refs, run page, actor, PR from the event file, API and web addresses', () => {
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 41 } }));
    const { job } = new GitHubPlatform({
      ...quiet,
      cwd: dir,
      env: {
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SHA: 'a'.repeat(40),
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        GITHUB_ACTOR: 'octocat',
        GITHUB_SERVER_URL: 'https://ghe.example/',
        GITHUB_RUN_ID: '99',
        GITHUB_API_URL: 'https://ghe.example/api/v3/',
        GITHUB_EVENT_PATH: event,
      },
    });
    expect(job).toMatchObject({
      forge: 'github',
      repository: 'acme/shop',
      sha: 'a'.repeat(40),
      ref: 'main',
      branch: 'main',
      actor: 'octocat',
      reviewNumber: 41,
      workspace: dir,
      runUrl: 'https://ghe.example/acme/shop/actions/runs/99',
      serverUrl: 'https://ghe.example',
      apiUrl: 'https://ghe.example/api/v3',
    });
  });

  it('GitHub: the PR from refs/pull/N/merge without an event file; github.com and its API by default; no run page without the run id', () => {
    const { job } = new GitHubPlatform({
      ...quiet,
      env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_REF: 'refs/pull/7/merge' },
    });
    expect(job).toMatchObject({
      reviewNumber: 7,
      branch: undefined,
      runUrl: undefined,
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
    });
  });

  it('GitLab: project, commit, branch, job page, MR iid, pipeline, and the server from CI_API_V4_URL', () => {
    const { job } = new GitLabPlatform({
      ...quiet,
      cwd: dir,
      env: {
        GITLAB_CI: 'true',
        CI_PROJECT_PATH: 'acme/shop',
        CI_PROJECT_ID: '42',
        CI_COMMIT_SHA: 'b'.repeat(40),
        CI_COMMIT_REF_NAME: 'feature',
        CI_COMMIT_BRANCH: 'feature',
        CI_JOB_URL: 'https://gl.example/acme/shop/-/jobs/5',
        GITLAB_USER_LOGIN: 'alice',
        CI_MERGE_REQUEST_IID: '3',
        CI_PIPELINE_ID: '777',
        CI_API_V4_URL: 'https://gl.example/api/v4',
        CI_PROJECT_URL: 'https://gl.example/acme/shop/',
        CI_PROJECT_DIR: '/builds/acme/shop',
      },
    });
    expect(job).toMatchObject({
      forge: 'gitlab',
      repository: 'acme/shop',
      projectId: '42',
      sha: 'b'.repeat(40),
      ref: 'feature',
      branch: 'feature',
      actor: 'alice',
      reviewNumber: 3,
      pipelineId: 777,
      runUrl: 'https://gl.example/acme/shop/-/jobs/5',
      serverUrl: 'https://gl.example',
      apiUrl: 'https://gl.example/api/v4',
      projectUrl: 'https://gl.example/acme/shop',
      workspace: '/builds/acme/shop',
    });
  });

  it('a terminal takes the forge from GITHUB_REPOSITORY or GITLAB_CI, and the actor from either CI, else the login', () => {
    expect(new LocalPlatform({ ...quiet, cwd: dir, env: { USER: 'dev' } }).job).toMatchObject({
      forge: undefined,
      actor: 'dev',
      workspace: dir,
    });
    expect(new LocalPlatform({ ...quiet, env: { GITLAB_USER_LOGIN: 'ops', USER: 'dev' } }).job.actor).toBe('ops');
    expect(
      new LocalPlatform({ ...quiet, env: { GITHUB_REPOSITORY: 'acme/shop', CI_JOB_URL: 'https://gl.example/j/1' } })
        .job,
    ).toMatchObject({ forge: 'github', runUrl: 'https://gl.example/j/1' });
    const gitlab = new LocalPlatform({
      ...quiet,
      env: { GITLAB_CI: 'true', CI_SERVER_URL: 'https://gl.example', GITHUB_API_URL: 'https://api.example' },
    }).job;
    expect(gitlab).toMatchObject({
      forge: 'gitlab',
      serverUrl: 'https://gl.example',
      apiUrl: 'https://gl.example/api/v4',
    });
    // A script that only sets GitHub's names still gets its ref and API for a dispatch.
    expect(
      new LocalPlatform({ ...quiet, env: { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_REF_NAME: 'main' } }).job,
    ).toMatchObject({ forge: undefined, ref: 'main', apiUrl: 'http://127.0.0.1:9' });
  });
});

describe('Platform credentials: masked before they are returned', () => {
  it('GitHub: GITHUB_TOKEN; it never reaches a log line', () => {
    const lines: string[] = [];
    const platform = new GitHubPlatform({
      env: { GITHUB_TOKEN: 'ghs_abcdef123' },
      stdout: (t) => void lines.push(t),
      stderr: (t) => void lines.push(t),
    });
    expect(platform.forgeToken()).toEqual({ token: 'ghs_abcdef123', jobToken: false });
    expect(platform.redact('token ghs_abcdef123')).toBe('token ***');
  });

  it('GitLab: GITLAB_TOKEN first, else CI_JOB_TOKEN marked as a job token; none is undefined and names what is missing', () => {
    const gl = (env: Record<string, string>) =>
      new GitLabPlatform({ ...quiet, cwd: dir, env: { GITLAB_CI: 'true', ...env } });
    expect(gl({ GITLAB_TOKEN: 'glpat-1234', CI_JOB_TOKEN: 'job-1234' }).forgeToken()).toEqual({
      token: 'glpat-1234',
      jobToken: false,
    });
    const job = gl({ CI_JOB_TOKEN: 'job-1234' });
    expect(job.forgeToken()).toEqual({ token: 'job-1234', jobToken: true });
    expect(job.redact('job-1234')).toBe('***');
    expect(gl({}).forgeToken()).toBeUndefined();
    expect(gl({}).forgeNeeds()).toMatch(
      /^GITLAB_TOKEN \(or CI_JOB_TOKEN\) and CI_PROJECT_ID and CI_SERVER_URL are not in the environment/,
    );
  });

  it('a terminal without a forge identity has no forge token, even with GITHUB_TOKEN set', () => {
    expect(new LocalPlatform({ ...quiet, env: { GITHUB_TOKEN: 'ghs_x123' } }).forgeToken()).toBeUndefined();
  });

  it('registry logins: ghcr.io from GITHUB_TOKEN and GITHUB_ACTOR, masked; the actor is not', () => {
    const platform = new GitHubPlatform({ ...quiet, env: { GITHUB_TOKEN: 'ghs_reg123', GITHUB_ACTOR: 'octocat' } });
    expect(platform.registryCredentials()('ghcr.io')).toEqual({
      username: 'octocat',
      password: 'ghs_reg123',
      source: 'GITHUB_TOKEN',
    });
    expect(platform.redact('octocat ghs_reg123')).toBe('octocat ***');
  });
});
