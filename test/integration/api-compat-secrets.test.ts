// Credentials in the URLs of base and head: a real loopback origin serves the specs, the step runs in-process on the
// GitLab platform and posts its MR note to the in-process GitLab API; no spelling of any credential may reach a
// report file, the summary, the dotenv/outputs files, the note or the log.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCompat } from '../../actions/api-compat/src/step.js';
import { GitLabPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import { gitlabNotes, type CommentServer } from '../../shared/src/forge/testing/forge-comments.js';
import { ROOT, runProcess } from '../helpers/run-bundle.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

const spec = (idType: string) =>
  `openapi: 3.0.3\ninfo: { title: Pets, version: 1.0.0 }\npaths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - { name: id, in: path, required: true, schema: { type: ${idType} } }\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: 'schemas/pet.yaml' }\n`;
const pet = 'type: object\nproperties:\n  name: { type: string }\n';

/** Every spelling of the credentials below that must never be written anywhere. */
const SECRETS = [
  'S3cr@t/Pass',
  'S3cr%40t%2FPass',
  'tok+en/v4lue',
  'tok en/v4lue',
  'tok+en%2Fv4lue',
  'tok%2Ben%2Fv4lue',
  'glpat-notes-secret',
  'ghp_userNameToken99',
];

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

describe('api-compat never stores or posts the credentials of its source URLs', () => {
  let origin: TestServer;
  let gl: CommentServer;
  const auth: (string | undefined)[] = [];
  beforeAll(async () => {
    origin = await httpServer((req, res) => {
      auth.push(req.headers.authorization);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const routes: Record<string, string> = {
        '/base/openapi.yaml': spec('integer'),
        '/head/openapi.yaml': spec('string'),
        '/base/schemas/pet.yaml': pet,
        '/head/schemas/pet.yaml': pet,
      };
      const body = routes[path];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/yaml' });
      res.end(body ?? 'not found');
    });
    gl = await gitlabNotes({ token: 'glpat-notes-secret', project: '42', mergeRequests: [3] });
  });
  afterAll(async () => {
    await origin.close();
    await gl.close();
  });

  it('reports, summary, outputs, the MR note and the log carry the URL without user info or token values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-secrets-'));
    const host = `127.0.0.1:${origin.port}`;
    const base = `http://bob:S3cr%40t%2FPass@${host}/base/openapi.yaml?v=1&token=tok+en%2Fv4lue`;
    const head = `http://ghp_userNameToken99@${host}/head/openapi.yaml?api_key=tok+en%2Fv4lue`;
    let log = '';
    const platform = new GitLabPlatform({
      env: {
        GITLAB_CI: 'true',
        GITLAB_TOKEN: 'glpat-notes-secret',
        CI_API_V4_URL: `${gl.url}/api/v4`,
        CI_PROJECT_ID: '42',
        CI_MERGE_REQUEST_IID: '3',
        SHIPGATE_DOTENV_FILE: join(dir, 'shipgate.env'),
        SHIPGATE_SUMMARY_FILE: join(dir, 'summary.md'),
        SHIPGATE_OUTPUTS_FILE: join(dir, 'outputs.json'),
      },
      flags: { base, head, comment: 'true', 'report-dir': join(dir, 'reports') },
      cwd: dir,
      stdout: (t) => void (log += t),
      stderr: (t) => void (log += t),
    });
    const code = await run(apiCompat, platform);
    expect(code, log).toBe(1); // the path parameter's type changed: breaking

    const note = gl.threads.get(3)?.at(-1)?.body ?? '';
    expect(note).toContain('shipgate:api-compat');
    expect(note).toContain(`http://${host}/base/openapi.yaml?v=1&token=***`);
    const report = JSON.parse(readFileSync(join(dir, 'reports', 'api-compat.json'), 'utf8'));
    expect(report.base.source).toBe(`http://${host}/base/openapi.yaml?v=1&token=***`);
    expect(report.head.source).toBe(`http://${host}/head/openapi.yaml?api_key=***`);
    expect(report.findings.length).toBeGreaterThan(0);

    const files = allFiles(dir);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual(
      expect.arrayContaining([
        'outputs.json',
        'reports/api-compat.json',
        'reports/api-compat.junit.xml',
        'reports/api-compat.sarif',
        'reports/api-compat.codequality.json',
        'summary.md',
      ]),
    );
    for (const f of files) expect(leaks(readFileSync(f, 'utf8')), f).toEqual([]);
    expect(leaks(note)).toEqual([]);
    expect(log).toContain('Comparing');
    expect(leaks(log)).toEqual([]);
    // The origin was really asked with the credentials: the URL was used, only never shown.
    expect(auth).toContain(`Basic ${Buffer.from('bob:S3cr@t/Pass').toString('base64')}`);
  });

  it('the CLI with an undecodable password (Bad%zz) and a token user name: no crash, no secret in stdout or stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-secrets-cli-'));
    const host = `127.0.0.1:${origin.port}`;
    const r = await runProcess(
      process.execPath,
      [
        join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
        join(ROOT, 'cli/main.ts'),
        'api-compat',
        '--base',
        `http://carol:Bad%zzSecret@${host}/base/openapi.yaml?token=tok+en%2Fv4lue`,
        '--head',
        `http://ghp_userNameToken99@${host}/head/openapi.yaml`,
        '--report-dir',
        join(dir, 'reports'),
        '--fail-on',
        'nonsense',
      ],
      { cwd: dir, timeoutMs: 60_000 },
    );
    // Validation fails on fail-on (exit 2), after the URL credentials were masked.
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/fail-on/);
    expect([
      ...leaks(r.stdout + r.stderr),
      ...['Bad%zzSecret', 'Bad\u00fczSecret'].filter((s) => (r.stdout + r.stderr).includes(s)),
    ]).toEqual([]);

    const ok = await runProcess(
      process.execPath,
      [
        join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
        join(ROOT, 'cli/main.ts'),
        'api-compat',
        '--base',
        `http://carol:Bad%zzSecret@${host}/base/openapi.yaml?token=tok+en%2Fv4lue`,
        '--head',
        `http://ghp_userNameToken99@${host}/head/openapi.yaml`,
        '--report-dir',
        join(dir, 'reports'),
      ],
      { cwd: dir, timeoutMs: 60_000 },
    );
    expect(ok.code, ok.stderr).toBe(1);
    const out =
      ok.stdout +
      ok.stderr +
      allFiles(dir)
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
    expect(out).toContain('Breaking');
    expect(leaks(out)).toEqual([]);
    expect(out).not.toContain('Bad%zzSecret');
  });
});
