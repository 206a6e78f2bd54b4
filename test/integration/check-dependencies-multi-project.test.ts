import { cliScript } from '../../shared/src/gitlab/cli-script.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDependencies } from '../../actions/check-dependencies/src/step.js';
import { FakeClock } from '../../shared/src/clock.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import { actionsServer } from '../../shared/src/forge/testing/forge-actions.js';
import { forgeServer, type ForgeServer } from '../../shared/src/forge/testing/forge-server.js';
import { gitlabCiProblems } from '../helpers/gitlab-ci-schema.js';
import { ROOT } from '../helpers/run-bundle.js';

// check-dependencies for services that live in their own repositories: the GitLab child pipeline's bridge jobs (held
// to GitLab's published CI schema) and the gate that reads their downstream pipelines; on GitHub, run-pipeline.
const PROJECTS = `services:
  config-center:     { project: microservices/config-center }
  service-registry:  { project: microservices/service-registry, ref: stable }
  inventory-service: { dependencies: [config-center, service-registry], project: microservices/inventory-service, variables: { DEPLOY_ENV: production } }
  user-service:      { dependencies: [config-center, service-registry] }
  order-service:     { dependencies: [inventory-service, user-service], project: microservices/order-service }
`;
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

async function step(config: string, flags: Record<string, string>, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-multi-'));
  writeFileSync(join(dir, 'deps.yml'), config);
  const io = { out: '', err: '' };
  const platform = new LocalPlatform({
    env: { CI_PROJECT_DIR: dir, ...env },
    flags: { config: join(dir, 'deps.yml'), 'check-health': 'false', ...flags },
    json: true,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
  });
  const code = await run(checkDependencies, platform, new FakeClock());
  return { code, dir, outputs: io.out ? JSON.parse(io.out) : {}, log: io.err };
}

type Doc = Record<
  string,
  {
    stage?: string;
    needs?: string[];
    variables?: Record<string, string>;
    trigger?: Record<string, string>;
    extends?: string;
    before_script?: string[];
    image?: string;
    script?: string[];
  }
>;

describe('child-pipeline with services in their own GitLab projects', () => {
  it('writes a bridge job per such service in its wave, the local ones as before, and gates that read the bridges', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'child-')), 'child.yml');
    const r = await step(PROJECTS, { 'child-pipeline': out, 'deploy-version': '2.3.0' });
    expect(r.code, r.log).toBe(0);
    const doc = load(readFileSync(out, 'utf8')) as Doc & { stages: string[] };
    expect(doc.stages).toEqual(['wave-1', 'wave-2', 'wave-3', 'summary']);
    expect(doc['deploy-config-center']).toEqual({
      stage: 'wave-1',
      needs: [],
      variables: { SHIPGATE_WAVE: '1', SHIPGATE_SERVICE: 'config-center', SHIPGATE_VERSION: '2.3.0' },
      trigger: { project: 'microservices/config-center', branch: '$CI_COMMIT_REF_NAME', strategy: 'depend' },
    });
    expect(doc['deploy-service-registry'].trigger).toMatchObject({ branch: 'stable' });
    expect(doc['deploy-inventory-service']).toMatchObject({
      stage: 'wave-2',
      needs: ['shipgate-wave-1-gate'],
      variables: { DEPLOY_ENV: 'production', SHIPGATE_WAVE: '2', SHIPGATE_SERVICE: 'inventory-service' },
    });
    expect(doc['deploy-user-service']).toMatchObject({ stage: 'wave-2', extends: '.deploy-service' });
    expect(doc['deploy-order-service']).toMatchObject({
      stage: 'wave-3',
      needs: ['shipgate-wave-2-gate'],
      trigger: { project: 'microservices/order-service', strategy: 'depend' },
    });
    for (const gate of ['shipgate-wave-1-gate', 'shipgate-wave-2-gate', 'shipgate-summary'])
      expect(doc[gate].extends).toBe('.shipgate-downstream-gate');
    expect(doc['.shipgate-downstream-gate']).toMatchObject({
      extends: '.shipgate-gate',
      image: 'node:24-slim',
      variables: {
        SHIPGATE_CONFIG: join(r.dir, 'deps.yml'),
        SHIPGATE_CHECK_HEALTH: 'false',
        SHIPGATE_COLLECT_DOWNSTREAM: 'true',
      },
    });
    // The gate runs the CLI of the component's commit through the loader its trigger job passes down, no npm name.
    expect(doc['.shipgate-downstream-gate'].before_script).toEqual([cliScript('check-dependencies')]);
  });

  it("follows GitLab's published CI schema, with and without services in other projects", async () => {
    for (const config of [
      PROJECTS,
      PROJECTS.replace(/project: [\w/-]+(, ref: stable)?(, variables: \{[^}]*\})?/g, 'paths: [x/**]'),
    ]) {
      const r = await step(config, { 'child-pipeline': join(mkdtempSync(join(tmpdir(), 'child-')), 'child.yml') });
      expect(r.code, r.log).toBe(0);
      const doc = load(readFileSync(r.outputs['child-pipeline-file'], 'utf8'));
      expect(gitlabCiProblems(doc)).toEqual([]);
    }
    // The check can fail: a bridge with a strategy GitLab does not have is caught.
    expect(
      gitlabCiProblems({ job: { stage: 'test', trigger: { project: 'a/b', strategy: 'wait' } } }).join('\n'),
    ).toContain('strategy');
  });
});

/** GitLab's GET /projects/:id/pipelines/:pipeline_id/bridges: a project access token may read it, a job token may not. */
async function gitlabBridges(
  bridges: { name: string; status: string; downstream?: { status: string; id: number } }[],
): Promise<ForgeServer> {
  const server = await forgeServer(
    (h: IncomingMessage['headers']) => h['private-token'] === 'glpat-read' || h['job-token'] === 'job-123',
  );
  server.route('GET', '/api/v4/projects/:id/pipelines/:pipeline_id/bridges', (req, p) => {
    if (req.headers['job-token']) return { status: 401, body: { message: '401 Unauthorized' } };
    if (p.id !== '42' || p.pipeline_id !== '777') return { status: 404, body: { message: '404 Not found' } };
    return {
      status: 200,
      body: bridges.map((b, i) => ({
        id: 500 + i,
        name: b.name,
        status: b.status,
        stage: 'wave-1',
        web_url: `${server.url}/shop/control/-/jobs/${500 + i}`,
        downstream_pipeline: b.downstream
          ? {
              id: b.downstream.id,
              status: b.downstream.status,
              web_url: `${server.url}/microservices/x/-/pipelines/${b.downstream.id}`,
            }
          : null,
      })),
    };
  });
  closers.push(() => server.close());
  return server;
}

const gitlabEnv = (server: ForgeServer, token: Record<string, string>) => ({
  GITLAB_CI: 'true',
  CI_PROJECT_ID: '42',
  CI_PIPELINE_ID: '777',
  CI_API_V4_URL: `${server.url}/api/v4`,
  ...token,
});

describe('collect-downstream: the gate after a wave of bridge jobs', () => {
  const bridges = [
    { name: 'deploy-config-center', status: 'success', downstream: { status: 'success', id: 9001 } },
    { name: 'deploy-service-registry', status: 'failed', downstream: { status: 'failed', id: 9002 } },
    { name: 'deploy-order-service', status: 'created' },
  ];

  it('writes each bridge status and downstream page, and the gate pauses the later waves with links in the summary', async () => {
    const server = await gitlabBridges(bridges);
    const r = await step(PROJECTS, { 'collect-downstream': 'true' }, gitlabEnv(server, { GITLAB_TOKEN: 'glpat-read' }));
    expect(r.code, r.log).toBe(0);
    expect(readFileSync(join(r.dir, 'shipgate-status', 'service-registry'), 'utf8')).toBe('failed\n');
    expect(readFileSync(join(r.dir, 'shipgate-status', 'config-center.url'), 'utf8')).toBe(
      `${server.url}/microservices/x/-/pipelines/9001\n`,
    );
    expect(r.log).toContain(`service-registry: failed ${server.url}/microservices/x/-/pipelines/9002`);

    // The generated gate's own script, in a real sh, over what collect wrote.
    const child = join(r.dir, 'child.yml');
    expect((await step(PROJECTS, { 'child-pipeline': child })).code).toBe(0);
    const doc = load(readFileSync(child, 'utf8')) as Doc;
    const env = {
      PATH: process.env.PATH!,
      ...doc['.shipgate-gate'].variables,
      ...doc['shipgate-wave-1-gate'].variables,
    };
    const gate = spawnSync('sh', ['-ec', doc['.shipgate-gate'].script!.join('\n')], {
      cwd: r.dir,
      env,
      encoding: 'utf8',
    });
    expect(gate.status).toBe(1);
    const summary = readFileSync(join(r.dir, 'shipgate-summary.md'), 'utf8');
    expect(summary).toContain(
      `| 1 | config-center | ✅ deployed ([pipeline](${server.url}/microservices/x/-/pipelines/9001)) |`,
    );
    expect(summary).toContain(
      `| 1 | service-registry | ❌ failed ([pipeline](${server.url}/microservices/x/-/pipelines/9002)) |`,
    );
    expect(summary).toContain('| 3 | order-service | ⏸ paused |');
    expect(summary).toContain(
      '**Deployment paused after wave 1:** service-registry (failed). Later waves do not start.',
    );
  });

  it('names GITLAB_TOKEN when GitLab refuses the job token on the bridges API (exit 2)', async () => {
    const server = await gitlabBridges(bridges);
    const r = await step(PROJECTS, { 'collect-downstream': 'true' }, gitlabEnv(server, { CI_JOB_TOKEN: 'job-123' }));
    expect(r.code).toBe(2);
    expect(r.log).toContain('with CI_JOB_TOKEN, which may not read bridge jobs. Set the CI/CD variable GITLAB_TOKEN');
    expect(r.log).not.toContain('job-123');
  });
});

describe('run-pipeline on GitHub: one service of a wave, started in its own repository and waited for', () => {
  const CONFIG =
    'services:\n  db: {}\n  order-service: { dependencies: [db], project: acme/order-service, inputs: { environment: production } }\n';
  const INPUTS = ['shipgate-id', 'shipgate-service', 'shipgate-wave', 'shipgate-version', 'environment'];

  async function github(conclusion: string) {
    const server = await actionsServer({
      token: 'ghs_app',
      workflows: { 'acme/order-service': { 'deploy.yml': INPUTS } },
      script: () => ({ states: ['queued', 'in_progress', conclusion] }),
    });
    closers.push(() => server.close());
    return server;
  }
  const env = (server: { url: string }, token?: string) => ({
    GITHUB_API_URL: server.url,
    GITHUB_REF_NAME: 'main',
    GITHUB_SHA: 'abc123',
    ...(token && { SHIPGATE_DISPATCH_TOKEN: token }),
  });

  it('passes with the run URL when the run succeeds, sending the service, wave, version and the user inputs', async () => {
    const server = await github('success');
    const r = await step(CONFIG, { service: 'order-service', 'run-pipeline': 'true' }, env(server, 'ghs_app'));
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({
      'pipeline-conclusion': 'success',
      'pipeline-url': `${server.url}/acme/order-service/actions/runs/${server.runs[0].id}`,
    });
    expect(server.runs[0].inputs).toMatchObject({
      'shipgate-service': 'order-service',
      'shipgate-wave': '2',
      'shipgate-version': 'abc123',
      environment: 'production',
    });
    expect(server.runs[0].ref).toBe('main');
    expect(r.log).toMatch(/acme\/order-service deploy\.yml: run \d+ in_progress/);
    expect(server.problems).toEqual([]);
  });

  it('fails (exit 1) with the run URL when the run fails', async () => {
    const server = await github('failure');
    const r = await step(CONFIG, { service: 'order-service', 'run-pipeline': 'true' }, env(server, 'ghs_app'));
    expect(r.code).toBe(1);
    expect(r.log).toContain(
      `order-service: acme/order-service deploy.yml ended failure. ${server.url}/acme/order-service/actions/runs/`,
    );
    expect(r.outputs['pipeline-conclusion']).toBe('failure');
  });

  it('exits 2 naming the secret when the dispatch token is missing, before any request', async () => {
    const server = await github('success');
    const r = await step(CONFIG, { service: 'order-service', 'run-pipeline': 'true' }, env(server));
    expect(r.code).toBe(2);
    expect(r.log).toContain(
      "needs a token with 'actions: write' on that repository in SHIPGATE_DISPATCH_TOKEN (the workflow secret 'dispatch-token')",
    );
    expect(server.requests).toEqual([]);
  });

  it('cancels the run it started when the job is cancelled (SIGTERM), and fails', async () => {
    const server = await actionsServer({
      token: 'ghs_app',
      workflows: { 'acme/order-service': { 'deploy.yml': INPUTS } },
      script: () => ({ states: ['queued', 'in_progress'] }),
    });
    closers.push(() => server.close());
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-cancel-'));
    writeFileSync(join(dir, 'deps.yml'), CONFIG);
    const args = [
      '--import',
      'tsx',
      join(ROOT, 'cli/main.ts'),
      'check-dependencies',
      '--config',
      join(dir, 'deps.yml'),
      '--service',
      'order-service',
      '--run-pipeline',
      '--check-health',
      'false',
      '--pipeline-timeout',
      '60s',
    ];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, ...env(server, 'ghs_app') },
    });
    let log = '';
    child.stderr.on('data', (d) => (log += d));
    child.stdout.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
    // Cancelled once the run is in progress, as GitHub's runner stops a cancelled job.
    closers.push(async () => void child.kill('SIGKILL'));
    while (!server.runs[0] || server.runs[0].at < 1) await new Promise((ok) => setTimeout(ok, 50));
    child.kill('SIGTERM');
    expect(await exited, log).toBe(1);
    expect(server.runs[0].cancelled).toBe(true);
    expect(server.requests.at(-1)!.path).toBe(`/repos/acme/order-service/actions/runs/${server.runs[0].id}/cancel`);
    expect(log).toContain('order-service: cancelled; the run of acme/order-service deploy.yml was cancelled too.');
  });

  it('does nothing for a service that lives in this repository', async () => {
    const r = await step(CONFIG, { service: 'db', 'run-pipeline': 'true' });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs['pipeline-conclusion']).toBe('');
  });
});
