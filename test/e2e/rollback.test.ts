import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import { githubDeploymentServer, type DeploymentServer } from '../../shared/src/forge/testing/forge-deployments.js';
import { githubEnv, githubOutputs } from '../helpers/github-runner.js';
import { haproxyWeights, startHaproxy, type Haproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { node24, ROOT, runProcess } from '../helpers/run-bundle.js';
import { startQueryApi, type QueryApi } from '../../shared/src/metrics/testing/query-api.js';

// The committed bundles against a real HAProxy: the action as the GitHub runner runs it (recording the rollback on an
// in-process GitHub API), the CLI as a GitLab job does (a watched trigger, outputs in the dotenv report).
const ACTION = join(ROOT, 'actions/rollback/dist/index.js');
const CLI = join(ROOT, 'bin/shipgate.js');
const SHA = 'c0ffee'.padEnd(40, '0');

let haproxy: Haproxy;
let pair: Awaited<ReturnType<typeof colourPair>>;
let github: DeploymentServer;
let prometheus: QueryApi;
/** The value the Prometheus-shaped server answers for the trigger query. */
let errorRatio = 0;
let dir: string;
let node24Bin: string;

beforeAll(async () => {
  node24Bin = node24();
  pair = await colourPair();
  [haproxy, github, prometheus] = await Promise.all([
    startHaproxy({ servers: { green: pair.green.address, blue: pair.blue.address }, tcpApi: true }),
    githubDeploymentServer('acme', 'shop', { commits: [SHA], token: 'gh-token-123' }),
    // the trigger's query API: the real Prometheus is in test/integration/rollback-haproxy.test.ts
    startQueryApi(() => errorRatio),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'shipgate-e2e-rollback-'));
});
afterAll(async () => {
  await haproxy?.stop();
  await pair?.close();
  await github?.close();
  await prometheus?.close();
});

function stateFile(active: string, previous: string): string {
  const file = join(dir, `${active}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      active,
      previous,
      weights: { [active]: 100, [previous]: 0 },
      time: '2024-05-01T10:00:00.000Z',
      who: 'ci',
    }),
  );
  return file;
}

describe('rollback end to end', () => {
  it('GitHub: the bundle on node 24 switches HAProxy back to blue by hand, records a deployment, exit 0', async () => {
    const state = stateFile('green', 'blue');
    const { env, output, summary } = githubEnv(
      dir,
      'manual',
      {
        provider: 'blue-green',
        backend: 'haproxy',
        'haproxy-socket': haproxy.socket,
        'haproxy-backend': 'web',
        'state-file': state,
        'health-url': `${pair.blue.url}/healthz`,
        'healthy-threshold': '2',
      },
      {
        GITHUB_ACTOR: 'octocat',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SHA: SHA,
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: 'gh-token-123',
        GITHUB_RUN_ID: '42',
        GITHUB_SERVER_URL: 'https://github.com',
      },
    );
    const r = await runProcess(node24Bin, [ACTION], { env, cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(githubOutputs(output)).toEqual({
      'rolled-back': 'true',
      triggered: 'false',
      from: 'green',
      to: 'blue',
      dependents: '[]',
    });
    expect(await haproxyWeights(haproxy)).toEqual({ green: 0, blue: 100 });
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({
      active: 'blue',
      previous: 'green',
      who: 'octocat',
    });
    expect(github.deployments).toHaveLength(1);
    expect(github.deployments[0]).toMatchObject({ ref: SHA, environment: 'production', payload: { version: 'blue' } });
    expect(github.deployments[0].statuses).toEqual([
      expect.objectContaining({ state: 'success', description: 'Rollback green → blue: manual rollback by octocat' }),
    ]);
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('**green → blue** via `blue-green via haproxy` · ✅ rolled back');
    expect(md).toContain('**Why:** manual rollback by octocat');
    expect(md).toContain(
      `**Target:** \`blue\`, from the previous colour in ${state} (switched by ci at 2024-05-01T10:00:00.000Z)`,
    );
    expect(md).toMatch(/\| Health before moving \| ✅ 2 good in a row, 2 probes in [\d.]+m?s \|/);
    expect(md).toMatch(/- GitHub deployment \d+ .*production/);
  });

  it('GitHub: bad input exits 2 before touching HAProxy, naming the input', async () => {
    const { env, output } = githubEnv(dir, 'bad', {
      provider: 'blue-green',
      backend: 'haproxy',
      'haproxy-socket': haproxy.socket,
      'haproxy-backend': 'web',
      to: 'purple',
    });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      "::error::Input 'to' is 'purple'. With provider 'blue-green' it names the colour to return to",
    );
    expect(readFileSync(output, 'utf8')).toBe('');
  });

  it('GitLab: the CLI watches the trigger, rolls back when it breaches, fails the job and fills the dotenv report', async () => {
    // blue has the traffic now (the test above); the state file says green was before it
    const state = stateFile('blue', 'green');
    const job = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-rollback-'));
    errorRatio = 0.2;
    try {
      const r = await runProcess(process.execPath, [CLI, 'rollback'], {
        cwd: job,
        env: {
          GITLAB_CI: 'true',
          GITLAB_USER_LOGIN: 'gitlab-user',
          SHIPGATE_PROVIDER: 'blue-green',
          SHIPGATE_BACKEND: 'haproxy',
          SHIPGATE_HAPROXY_SOCKET: haproxy.tcpSocket!,
          SHIPGATE_HAPROXY_BACKEND: 'web',
          SHIPGATE_STATE_FILE: state,
          SHIPGATE_PROMETHEUS_URL: prometheus.url,
          SHIPGATE_TRIGGER_QUERY: 'sum(rate(http_errors_total[1m])) / sum(rate(http_requests_total[1m]))',
          SHIPGATE_TRIGGER_MAX: '0.05',
          SHIPGATE_WATCH: '3s',
          SHIPGATE_WATCH_INTERVAL: '1s',
        },
      });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const dotenv = readFileSync(join(job, 'shipgate.env'), 'utf8');
      expect(dotenv).toContain('SHIPGATE_ROLLED_BACK=true\n');
      expect(dotenv).toContain('SHIPGATE_TRIGGERED=true\n');
      expect(dotenv).toContain('SHIPGATE_FROM=blue\n');
      expect(dotenv).toContain('SHIPGATE_TO=green\n');
      expect(dotenv).toContain('SHIPGATE_DEPENDENTS=[]\n');
      const md = readFileSync(join(job, 'shipgate-summary.md'), 'utf8');
      expect(md).toContain('**blue → green** via `blue-green via haproxy` · ✅ rolled back (triggered)');
      expect(md).toContain('**Why:** trigger breached: 0.2 is above trigger-max 0.05');
      expect(md).toContain('| Trigger | ❌ breached at');
      expect(r.stdout).toContain('Rolled back blue → green because the trigger breached');
      expect(await haproxyWeights(haproxy)).toEqual({ green: 100, blue: 0 });
    } finally {
      errorRatio = 0;
    }
  });
});
