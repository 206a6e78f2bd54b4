import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnv, githubOutputs } from '../helpers/github-runner.js';
import { githubComments, gitlabNotes, type CommentServer } from '../../shared/src/forge/testing/forge-comments.js';
import { node24, ROOT, runProcess } from '../helpers/run-bundle.js';

// The committed bundles, run as the GitHub runner and a GitLab job run them.
const ACTION = join(ROOT, 'actions/api-compat/dist/index.js');
const CLI = join(ROOT, 'bin/shipgate.js');
const FIXTURES = join(ROOT, 'test/fixtures/api-compat/load/step');
const GHES = join(ROOT, 'node_modules/@octokit/openapi/generated');
const MARKER = '<!-- shipgate:api-compat -->';

let dir: string;
let gh: CommentServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-e2e-api-'));
  for (const f of ['base.yaml', 'head-breaking.yaml', 'head-addition.yaml'])
    copyFileSync(join(FIXTURES, f), join(dir, f));
  writeFileSync(
    join(dir, 'event.json'),
    JSON.stringify({ action: 'synchronize', number: 12, pull_request: { number: 12 } }),
  );
  gh = await githubComments({ token: 'ghs_e2e_token_value', owner: 'acme', repo: 'shop', pulls: [12] });
});
afterAll(() => gh.close());

const githubRun = (name: string, inputs: Record<string, string>, extra: Record<string, string> = {}) =>
  githubEnv(dir, name, inputs, extra);

const prEnv = () => ({
  GITHUB_TOKEN: 'ghs_e2e_token_value',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_API_URL: gh.url,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_RUN_ID: '99',
  GITHUB_EVENT_PATH: join(dir, 'event.json'),
});

describe('GitHub Action bundle', () => {
  it('fails a breaking change with fail-on breaking: outputs, summary, annotation, reports', async () => {
    const { env, output, summary } = githubRun('breaking', {
      base: 'base.yaml',
      head: 'head-breaking.yaml',
      'report-dir': 'reports',
    });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code).toBe(1);
    expect(githubOutputs(output)).toEqual({
      breaking: 'true',
      'breaking-count': '1',
      'warning-count': '0',
      'change-count': '2',
      'suggested-bump': 'major',
      report: 'reports/api-compat.json',
    });
    expect(r.stdout).toContain(
      '::warning title=Breaking API change,file=head-breaking.yaml,line=15::api-operation-removed: DELETE /pets/{id} removed',
    );
    expect(r.stdout).toContain('::error::1 breaking change (fail-on: breaking).');
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('## Shipgate · api-compat');
    expect(md).toContain('❌ **1 breaking change**');
    for (const f of ['api-compat.json', 'api-compat.junit.xml', 'api-compat.sarif', 'api-compat.codequality.json'])
      expect(existsSync(join(dir, 'reports', f)), f).toBe(true);
  });

  it('runs the same under Node 24, as runs.using: node24 does', async () => {
    const { env, output } = githubRun('node24', {
      base: 'base.yaml',
      head: 'head-breaking.yaml',
      'report-dir': 'reports-24',
    });
    const r = await runProcess(node24(), [ACTION], { env, cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(githubOutputs(output)['breaking-count']).toBe('1');
  });

  it('passes the same change with fail-on never', async () => {
    const { env, output } = githubRun('never', {
      base: 'base.yaml',
      head: 'head-breaking.yaml',
      'fail-on': 'never',
      'report-dir': 'reports-never',
    });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code).toBe(0);
    expect(githubOutputs(output).breaking).toBe('true');
  });

  it('upserts one PR comment across runs, and never prints the token', async () => {
    for (const head of ['head-breaking.yaml', 'head-addition.yaml']) {
      const { env } = githubRun(
        `comment-${head}`,
        { base: 'base.yaml', head, comment: 'true', 'report-dir': 'reports-comment' },
        prEnv(),
      );
      const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
      // The runner reads ::add-mask:: and hides the value from then on; nothing else may carry it.
      const logged = (r.stdout + r.stderr).replace(/^::add-mask::.*$/gm, '');
      expect(logged).not.toContain('ghs_e2e_token_value');
      expect(r.stdout).toContain('::add-mask::ghs_e2e_token_value');
      expect(r.stdout).toMatch(
        /(Posted|Updated) the PR comment https:\/\/github\.com\/acme\/shop\/pull\/12#issuecomment-\d+/,
      );
    }
    const mine = gh.threads.get(12)!.filter((c) => c.body.includes(MARKER));
    expect(mine).toHaveLength(1);
    expect(mine[0].body).toContain('✅ **No breaking changes**');
    expect(mine[0].body).toContain('[the job](https://github.com/acme/shop/actions/runs/99)');
    expect(gh.requests.filter((q) => q.method === 'POST')).toHaveLength(1);
    expect(gh.requests.filter((q) => q.method === 'PATCH')).toHaveLength(1);
  });

  it('exits 2 on bad input with the message, and posts no comment', async () => {
    const before = gh.requests.length;
    const { env, output } = githubRun(
      'bad',
      { base: 'missing.yaml', head: 'head-breaking.yaml', comment: 'true' },
      prEnv(),
    );
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      `::error::Input 'base' is 'missing.yaml': no such file (looked for ${join(dir, 'missing.yaml')}).`,
    );
    expect(readFileSync(output, 'utf8')).toBe('');
    expect(gh.requests.length).toBe(before);
  });

  it('compares GitHub Enterprise Server 3.17 → 3.18 (11 MB each) end to end', async () => {
    const { env, output } = githubRun('ghes', {
      base: join(GHES, 'ghes-3.17.json'),
      head: join(GHES, 'ghes-3.18.json'),
      'fail-on': 'never',
      'report-dir': 'reports-ghes',
    });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = githubOutputs(output);
    const report = JSON.parse(readFileSync(join(dir, out.report), 'utf8'));
    expect(Number(out['change-count'])).toBeGreaterThan(0);
    expect(report.findings).toHaveLength(Number(out['change-count']));
    expect(report.findings.filter((f: { severity: string }) => f.severity === 'error')).toHaveLength(
      Number(out['breaking-count']),
    );
    // 3.18 added endpoints: at least a minor release.
    expect(['minor', 'major']).toContain(out['suggested-bump']);
    const sarif = JSON.parse(readFileSync(join(dir, 'reports-ghes', 'api-compat.sarif'), 'utf8'));
    expect(sarif.runs[0].results).toHaveLength(report.findings.length);
    for (const f of report.findings) expect(f.line).toBeGreaterThan(0);
  }, 180_000);
});

describe('CLI as a GitLab job runs it', () => {
  let gl: CommentServer;
  let repo: string;
  beforeAll(async () => {
    gl = await gitlabNotes({ token: 'glpat-e2e-token', project: '42', mergeRequests: [5] });
    // The MR's repository: the base committed, the head changed in the work tree.
    repo = mkdtempSync(join(tmpdir(), 'shipgate-e2e-gitlab-'));
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@e',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@e',
        },
      });
    git('init', '-q', '-b', 'main');
    copyFileSync(join(FIXTURES, 'base.yaml'), join(repo, 'openapi.yaml'));
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    copyFileSync(join(FIXTURES, 'head-breaking.yaml'), join(repo, 'openapi.yaml'));
  });
  afterAll(() => gl.close());

  it('reads git:<ref>:<path>, writes the dotenv report, the summary and the reports, and upserts the MR note', async () => {
    const env = {
      GITLAB_CI: 'true',
      SHIPGATE_BASE: 'git:HEAD:openapi.yaml',
      SHIPGATE_HEAD: 'openapi.yaml',
      SHIPGATE_COMMENT: 'true',
      CI_API_V4_URL: `${gl.url}/api/v4`,
      CI_PROJECT_ID: '42',
      CI_MERGE_REQUEST_IID: '5',
      CI_JOB_URL: 'https://gitlab.example.com/acme/shop/-/jobs/7',
      GITLAB_TOKEN: 'glpat-e2e-token',
    };
    for (let i = 0; i < 2; i++) {
      const r = await runProcess(process.execPath, [CLI, 'api-compat'], { cwd: repo, env });
      expect(r.code).toBe(1);
      expect(r.stdout + r.stderr).not.toContain('glpat-e2e-token');
    }
    const dotenv = readFileSync(join(repo, 'shipgate.env'), 'utf8');
    expect(dotenv).toContain('SHIPGATE_BREAKING=true\n');
    expect(dotenv).toContain('SHIPGATE_BREAKING_COUNT=1\n');
    expect(dotenv).toContain('SHIPGATE_SUGGESTED_BUMP=major\n');
    expect(dotenv).toContain('SHIPGATE_REPORT=shipgate-reports/api-compat.json\n');
    expect(readFileSync(join(repo, 'shipgate-summary.md'), 'utf8')).toContain(
      '`git:HEAD:openapi.yaml` (OpenAPI 3.0) → `openapi.yaml` (OpenAPI 3.0)',
    );
    const junit = readFileSync(join(repo, 'shipgate-reports/api-compat.junit.xml'), 'utf8');
    expect(junit).toContain('failures="1"');
    const quality = JSON.parse(readFileSync(join(repo, 'shipgate-reports/api-compat.codequality.json'), 'utf8'));
    expect(quality.find((q: { check_name: string }) => q.check_name === 'api-operation-removed').location).toEqual({
      path: 'openapi.yaml',
      lines: { begin: 15 },
    });
    const notes = gl.threads.get(5)!;
    expect(notes).toHaveLength(1);
    expect(notes[0].body.startsWith(`${MARKER}\n### Shipgate · api-compat`)).toBe(true);
    expect(notes[0].body).toContain('[the job](https://gitlab.example.com/acme/shop/-/jobs/7)');
    expect(gl.requests.filter((q) => q.method === 'PUT')).toHaveLength(1);
  });

  it('exits 2 naming an unknown git ref, with no note posted', async () => {
    const before = gl.requests.length;
    const r = await runProcess(
      process.execPath,
      [CLI, 'api-compat', '--base', 'git:origin/nope:openapi.yaml', '--head', 'openapi.yaml', '--comment'],
      {
        cwd: repo,
        env: {
          GITLAB_CI: 'true',
          CI_API_V4_URL: `${gl.url}/api/v4`,
          CI_PROJECT_ID: '42',
          CI_MERGE_REQUEST_IID: '5',
          GITLAB_TOKEN: 'glpat-e2e-token',
        },
      },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      "Input 'base' is 'git:origin/nope:openapi.yaml': git cannot read openapi.yaml at origin/nope",
    );
    expect(gl.requests.length).toBe(before);
  });
});
