import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER } from '../../actions/perf-baseline/src/comment.js';
import { perfBaseline } from '../../actions/perf-baseline/src/step.js';
import { GitHubPlatform, GitLabPlatform, type Platform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import { githubComments, gitlabNotes, type CommentServer } from '../../shared/src/forge/testing/forge-comments.js';
import { httpServer, status, type TestServer } from '../../shared/src/http/testing/servers.js';

// The step runs from source against a real loopback service, and posts to the in-process GitHub and GitLab APIs.
// Loads are 1 s at a low rate: other test files share the two cores.

let target: TestServer;
let dir: string;
beforeAll(async () => {
  target = await httpServer(status(200));
  dir = mkdtempSync(join(tmpdir(), 'shipgate-perf-comment-'));
});
afterAll(() => target?.close());

const load = (history: string) => ({
  url: `${target.url}/orders`,
  rate: '40',
  duration: '1s',
  warmup: '0',
  connections: '2',
  comment: 'true',
  history,
  save: join(dir, `${history}.json`),
});

async function step(
  make: (ctx: {
    env: Record<string, string>;
    flags: Record<string, string>;
    cwd: string;
    stdout: (t: string) => void;
    stderr: (t: string) => void;
  }) => Platform,
  env: Record<string, string>,
  flags: Record<string, string>,
) {
  let log = '';
  const cwd = mkdtempSync(join(dir, 'run-'));
  const files = {
    GITHUB_OUTPUT: join(cwd, 'out'),
    GITHUB_STEP_SUMMARY: join(cwd, 'summary.md'),
    SHIPGATE_LOAD_PERFORMANCE_FILE: join(cwd, 'k6.json'),
  };
  for (const f of [files.GITHUB_OUTPUT, files.GITHUB_STEP_SUMMARY]) writeFileSync(f, '');
  const platform = make({
    env: { ...files, ...env },
    flags: { ...flags, history: join(dir, flags.history) },
    cwd,
    stdout: (t) => void (log += t),
    stderr: (t) => void (log += t),
  });
  const code = await run(perfBaseline, platform);
  return { code, log };
}

/** The one comment of this step on the thread, after checking there is exactly one. */
function mine(server: CommentServer, number: number): string {
  const found = server.threads.get(number)!.filter((c) => c.body.includes(MARKER));
  expect(found).toHaveLength(1);
  return found[0].body;
}

describe('perf-baseline comment on a GitHub pull request', { timeout: 60_000 }, () => {
  let gh: CommentServer;
  beforeAll(async () => {
    gh = await githubComments({ token: 'ghs_perfsecret', owner: 'acme', repo: 'shop', pulls: [5] });
    gh.seed(5, 3);
  });
  afterAll(() => gh.close());

  const env = (sha: string) => ({
    GITHUB_ACTIONS: 'true',
    GITHUB_TOKEN: 'ghs_perfsecret',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_API_URL: gh.url,
    GITHUB_REF: 'refs/pull/5/merge',
    GITHUB_SHA: sha,
  });

  it('creates one comment, then updates it with the history chart and the p95 figure, and never shows the token', async () => {
    const first = await step((c) => new GitHubPlatform(c), env('a'.repeat(40)), load('gh.jsonl'));
    expect(first.code).toBe(0);
    const created = mine(gh, 5);
    expect(created.startsWith(`${MARKER}\n### Shipgate · perf-baseline`)).toBe(true);
    expect(created).toMatch(/✅ \*\*passed\*\* · .* · p95 [\d.]+ (ms|µs|s)/);
    expect(created).toMatch(/\| p95 \| [\d.]+/);

    const second = await step((c) => new GitHubPlatform(c), env('b'.repeat(40)), load('gh.jsonl'));
    expect(second.code).toBe(0);
    const updated = mine(gh, 5);
    expect(updated).not.toBe(created);
    expect(gh.threads.get(5)).toHaveLength(4);
    expect(updated).toContain('xychart-beta');
    expect(updated).toContain('Latency of the last 2 runs (ms): p50, p95, p99');
    expect(updated).toContain('x-axis ["aaaaaaa", "bbbbbbb"]');
    expect(updated).not.toContain('ghs_perfsecret');
    expect(gh.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });
});

describe('perf-baseline note on a GitLab merge request', { timeout: 60_000 }, () => {
  let gl: CommentServer;
  beforeAll(async () => {
    gl = await gitlabNotes({ token: 'glpat-perfsecret', project: '42', mergeRequests: [9] });
  });
  afterAll(() => gl.close());

  const env = (extra: Record<string, string>) => ({
    GITLAB_CI: 'true',
    CI_API_V4_URL: `${gl.url}/api/v4`,
    CI_PROJECT_ID: '42',
    GITLAB_TOKEN: 'glpat-perfsecret',
    ...extra,
  });

  it('creates one note, updates it on the next run with the chart, and never shows the token, also when it is a request header', async () => {
    // The token also goes to the target as a header value: the step masks it, and the note must not carry it.
    const flags = { ...load('gl.jsonl'), headers: 'Authorization: Bearer glpat-perfsecret' };
    const first = await step(
      (c) => new GitLabPlatform(c),
      env({ CI_MERGE_REQUEST_IID: '9', CI_COMMIT_SHA: 'c'.repeat(40) }),
      flags,
    );
    expect(first.code).toBe(0);
    expect(first.log).toMatch(/Posted the MR note \d+/);
    const created = mine(gl, 9);
    const second = await step(
      (c) => new GitLabPlatform(c),
      env({ CI_MERGE_REQUEST_IID: '9', CI_COMMIT_SHA: 'd'.repeat(40) }),
      flags,
    );
    expect(second.code).toBe(0);
    expect(second.log).toMatch(/Updated the MR note \d+/);
    const updated = mine(gl, 9);
    expect(gl.threads.get(9)).toHaveLength(1);
    expect(updated).not.toBe(created);
    expect(updated).toContain('xychart-beta');
    expect(updated).toContain('x-axis ["ccccccc", "ddddddd"]');
    expect(updated).toMatch(/\| p95 \| [\d.]+/);
    expect(updated).not.toContain('glpat-perfsecret');
    expect(gl.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('outside a merge request skips the note with an info line, not a warning, and the step passes', async () => {
    const before = gl.requests.length;
    const r = await step((c) => new GitLabPlatform(c), env({ CI_COMMIT_SHA: 'e'.repeat(40) }), load('gl-branch.jsonl'));
    expect(r.code).toBe(0);
    expect(r.log).toContain(
      "Input 'comment' is true, but this run is not for a merge request, so no comment was posted.",
    );
    expect(r.log).not.toMatch(/warning.*not for a merge request/i);
    expect(gl.requests.length).toBe(before);
  });

  it('a refused note is a warning and the step still passes', async () => {
    const r = await step(
      (c) => new GitLabPlatform(c),
      env({ CI_MERGE_REQUEST_IID: '404', CI_COMMIT_SHA: 'f'.repeat(40) }),
      load('gl-refused.jsonl'),
    );
    expect(r.code).toBe(0);
    expect(r.log).toMatch(/warning.*GitLab refused the comment: HTTP 404/);
  });
});
