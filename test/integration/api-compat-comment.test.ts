import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectForge } from '../../shared/src/forge/index.js';
import { GitHubPlatform, GitLabPlatform } from '../../shared/src/platform/index.js';
import { githubComments, gitlabNotes, type CommentServer } from '../../shared/src/forge/testing/forge-comments.js';
import { ROOT } from '../helpers/run-bundle.js';

const MARKER = '<!-- shipgate:api-compat -->';
const quiet = { stdout: () => {}, stderr: () => {} };

describe('GitHub PR comment upsert (Octokit against the in-process API)', () => {
  let gh: CommentServer;
  beforeAll(async () => {
    gh = await githubComments({ token: 'ghs_secret', owner: 'acme', repo: 'shop', pulls: [7] });
    // 130 comments by others: the step's own comment lands on page 2 of 100.
    gh.seed(7, 130);
  });
  afterAll(() => gh.close());

  const forge = async (pull = 7) =>
    (await detectForge(
      new GitHubPlatform({
        ...quiet,
        env: {
          GITHUB_ACTIONS: 'true',
          GITHUB_TOKEN: 'ghs_secret',
          GITHUB_REPOSITORY: 'acme/shop',
          GITHUB_API_URL: gh.url,
          GITHUB_REF: `refs/pull/${pull}/merge`,
        },
      }),
    ))!;

  it('creates one comment, then finds it again on a later page and edits it in place', async () => {
    const first = await (await forge()).upsertComment(MARKER, 'first run: 2 breaking');
    expect(first.action).toBe('created');
    expect(first.url).toBe(`https://github.com/acme/shop/pull/7#issuecomment-${first.id}`);
    const second = await (await forge()).upsertComment(MARKER, 'second run: 0 breaking');
    expect(second).toMatchObject({ action: 'updated', id: first.id });

    const mine = gh.threads.get(7)!.filter((c) => c.body.includes(MARKER));
    expect(mine).toHaveLength(1);
    expect(mine[0].body).toBe(`${MARKER}\nsecond run: 0 breaking`);
    expect(gh.threads.get(7)).toHaveLength(131);

    const calls = gh.requests.map(
      (r) => `${r.method} ${r.path}${r.query.get('page') ? `?page=${r.query.get('page')}` : ''}`,
    );
    expect(calls.filter((c) => c.startsWith('GET'))).toContain('GET /repos/acme/shop/issues/7/comments?page=2');
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual(['POST /repos/acme/shop/issues/7/comments']);
    expect(calls.filter((c) => c.startsWith('PATCH'))).toEqual([`PATCH /repos/acme/shop/issues/comments/${first.id}`]);
    expect(gh.requests.every((r) => r.headers.authorization === 'token ghs_secret')).toBe(true);
  });

  it("turns a refused call into an ExternalError with GitHub's status and message", async () => {
    const f = await forge(8);
    if (f.kind !== 'github') throw new Error('expected GitHub');
    await expect(f.upsertComment(MARKER, 'x')).rejects.toThrow(/GitHub refused the comment: HTTP 404: Not Found/);
  });
});

describe('GitLab MR note upsert (gitbeaker against the in-process API)', () => {
  let gl: CommentServer;
  beforeAll(async () => {
    gl = await gitlabNotes({ token: 'glpat-secret', project: '42', mergeRequests: [3] });
    gl.seed(3, 45);
  });
  afterAll(() => gl.close());

  const forge = async (env: Record<string, string> = { GITLAB_TOKEN: 'glpat-secret' }) =>
    (await detectForge(
      new GitLabPlatform({
        ...quiet,
        env: {
          GITLAB_CI: 'true',
          CI_API_V4_URL: `${gl.url}/api/v4`,
          CI_PROJECT_ID: '42',
          CI_MERGE_REQUEST_IID: '3',
          ...env,
        },
      }),
    ))!;

  it('creates one note, then updates it in place after following the pages', async () => {
    const first = await (await forge()).upsertComment(MARKER, 'first');
    expect(first.action).toBe('created');
    const second = await (await forge()).upsertComment(MARKER, 'second');
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    const notes = gl.threads.get(3)!;
    expect(notes).toHaveLength(46);
    expect(notes.filter((n) => n.body.includes(MARKER)).map((n) => n.body)).toEqual([`${MARKER}\nsecond`]);
    const posts = gl.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path)).toEqual(['/api/v4/projects/42/merge_requests/3/notes']);
    expect(posts[0].body).toEqual({ body: `${MARKER}\nfirst` });
    expect(gl.requests.filter((r) => r.method === 'PUT').map((r) => r.path)).toEqual([
      `/api/v4/projects/42/merge_requests/3/notes/${first.id}`,
    ]);
    expect(gl.requests.some((r) => r.method === 'GET' && r.query.get('page') === '2')).toBe(false); // 46 notes fit one page of 100
    expect(gl.requests[0].headers['private-token']).toBe('glpat-secret');
  });

  it('follows GitLab pagination when the notes span pages', async () => {
    gl.seed(3, 120);
    const r = await (await forge({ CI_JOB_TOKEN: 'glpat-secret' })).upsertComment(MARKER, 'third');
    expect(r.action).toBe('updated');
    expect(gl.threads.get(3)!.filter((n) => n.body.includes(MARKER))).toHaveLength(1);
    const pages = gl.requests
      .filter((x) => x.method === 'GET' && x.headers['job-token'] === 'glpat-secret')
      .map((x) => x.query.get('page'));
    expect(pages).toEqual([null, '2']);
  });
});

describe("the in-process GitHub routes match GitHub's published description", () => {
  const spec = JSON.parse(
    readFileSync(join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json'), 'utf8'),
  );
  const schemaOf = (op: {
    requestBody: { content: Record<string, { schema: { required: string[]; properties: object } }> };
  }) => op.requestBody.content['application/json'].schema;

  it('lists, creates and updates comments on the paths, methods and status codes GitHub documents', () => {
    const list = spec.paths['/repos/{owner}/{repo}/issues/{issue_number}/comments'];
    const one = spec.paths['/repos/{owner}/{repo}/issues/comments/{comment_id}'];
    expect(Object.keys(list.get.responses)).toContain('200');
    expect(list.get.responses['200'].headers.Link).toBeDefined();
    expect(list.get.parameters.map((p: { $ref: string }) => p.$ref)).toEqual(
      expect.arrayContaining(['#/components/parameters/per-page', '#/components/parameters/page']),
    );
    expect(spec.components.parameters['per-page'].schema.default).toBe(30);
    expect(Object.keys(list.post.responses)).toContain('201');
    expect(schemaOf(list.post).required).toEqual(['body']);
    expect(Object.keys(one.patch.responses)).toContain('200');
    expect(schemaOf(one.patch).required).toEqual(['body']);
  });

  it('answers with every property the issue-comment schema requires', async () => {
    const gh = await githubComments({ token: 't', owner: 'o', repo: 'r', pulls: [1] });
    try {
      const res = await fetch(`${gh.url}/repos/o/r/issues/1/comments`, {
        method: 'POST',
        headers: { authorization: 'token t', 'content-type': 'application/json', 'user-agent': 'test' },
        body: JSON.stringify({ body: 'hi' }),
      });
      expect(res.status).toBe(201);
      const comment = (await res.json()) as Record<string, unknown>;
      const schema = spec.components.schemas['issue-comment'];
      for (const field of schema.required as string[]) expect(comment, field).toHaveProperty(field);
      for (const [field, value] of Object.entries(comment)) {
        expect(schema.properties, `GitHub has no issue-comment field '${field}'`).toHaveProperty(field);
        const type = schema.properties[field].type;
        if (typeof type === 'string' && type !== 'object')
          expect(typeof value, field).toBe(type === 'integer' ? 'number' : type);
      }
      const bad = await fetch(`${gh.url}/repos/o/r/issues/1/comments`, {
        method: 'POST',
        headers: { authorization: 'token t', 'content-type': 'application/json', 'user-agent': 'test' },
        body: JSON.stringify({ text: 'wrong field' }),
      });
      expect(bad.status).toBe(422);
      expect(Object.keys(spec.paths['/repos/{owner}/{repo}/issues/{issue_number}/comments'].post.responses)).toContain(
        '422',
      );
    } finally {
      await gh.close();
    }
  });
});
