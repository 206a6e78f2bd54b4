import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnv, githubOutputs } from '../helpers/github-runner.js';
import { colourPair } from '../helpers/colours.js';
import { haproxyWeights, startHaproxy, type Haproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { node24, ROOT, runProcess } from '../helpers/run-bundle.js';

// The committed bundles against a real HAProxy: the action as the GitHub runner runs it, the CLI as a GitLab job does.
const ACTION = join(ROOT, 'actions/blue-green-switch/dist/index.js');
const CLI = join(ROOT, 'bin/shipgate.js');

let haproxy: Haproxy;
let pair: Awaited<ReturnType<typeof colourPair>>;
let dir: string;
let node24Bin: string;

beforeAll(async () => {
  node24Bin = node24();
  pair = await colourPair();
  haproxy = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address }, tcpApi: true });
  dir = mkdtempSync(join(tmpdir(), 'shipgate-e2e-bg-'));
});
afterAll(async () => {
  await haproxy?.stop();
  await pair?.close();
});

const githubEnvOf = (name: string, inputs: Record<string, string>) =>
  githubEnv(dir, name, inputs, { GITHUB_ACTOR: 'octocat' });

describe('blue-green-switch end to end', () => {
  it('GitHub: the bundle on node 24 switches HAProxy blue → green in steps, with outputs, summary and state file', async () => {
    const stateFile = join(dir, 'state', 'web.json');
    const { env, output, summary } = githubEnvOf('switch', {
      provider: 'haproxy',
      'haproxy-socket': haproxy.socket,
      'haproxy-backend': 'web',
      'health-url': `${pair.green.url}/healthz`,
      steps: '50,100',
      'step-interval': '500ms',
      'state-file': stateFile,
    });
    const r = await runProcess(node24Bin, [ACTION], { env, cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(githubOutputs(output)).toEqual({
      active: 'green',
      previous: 'blue',
      switched: 'true',
      reverted: 'false',
      weights: '{"blue":0,"green":100}',
    });
    expect(await haproxyWeights(haproxy)).toEqual({ blue: 0, green: 100 });
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('**blue → green** via `haproxy` · ✅ switched in 2 steps');
    expect(md).toMatch(/\| 1 \| blue 50 % · green 50 % \| ✅ \d+ probes in [\d.]+m?s \| ✅ blue 50 % · green 50 % \|/);
    // The runner unescapes %25 in workflow commands.
    expect(r.stdout).toContain('::group::Step 2 of 2: blue 0 %25 · green 100 %25');
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toMatchObject({
      active: 'green',
      previous: 'blue',
      who: 'octocat',
    });
    expect(pair.green.hits).toBe(0); // no load here: only health probes reached green, on /healthz
  });

  it('GitHub: bad input exits 2 before touching HAProxy, naming the input', async () => {
    const { env, output } = githubEnvOf('bad', {
      provider: 'haproxy',
      'haproxy-socket': haproxy.socket,
      'haproxy-backend': 'web',
      steps: '50,20,100',
    });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("::error::Input 'steps' is '50,20,100'. 20 follows 50: the steps are not ascending.");
    expect(readFileSync(output, 'utf8')).toBe('');
  });

  it('GitLab: the CLI reverts when the target fails its checks, and reports it in the dotenv report', async () => {
    const job = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-bg-'));
    // blue passes its gate (probes 1 and 2) and fails from its third probe on, once it has the traffic.
    pair.blue.failFromProbe = pair.blue.healthProbes + 3;
    try {
      const r = await runProcess(process.execPath, [CLI, 'blue-green-switch', '--target', 'blue'], {
        cwd: job,
        env: {
          GITLAB_CI: 'true',
          GITLAB_USER_LOGIN: 'gitlab-user',
          SHIPGATE_PROVIDER: 'haproxy',
          SHIPGATE_HAPROXY_SOCKET: haproxy.tcpSocket!,
          SHIPGATE_HAPROXY_BACKEND: 'web',
          SHIPGATE_HEALTH_URL: `${pair.blue.url}/healthz`,
          SHIPGATE_HEALTHY_THRESHOLD: '2',
          SHIPGATE_STEPS: '100',
          SHIPGATE_STEP_INTERVAL: '1s',
        },
      });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const dotenv = readFileSync(join(job, 'shipgate.env'), 'utf8');
      expect(dotenv).toContain('SHIPGATE_ACTIVE=green\n');
      expect(dotenv).toContain('SHIPGATE_REVERTED=true\n');
      expect(dotenv).toContain('SHIPGATE_SWITCHED=false\n');
      expect(dotenv).toContain('SHIPGATE_WEIGHTS={"blue":0,"green":100}\n');
      expect(readFileSync(join(job, 'shipgate-summary.md'), 'utf8')).toContain(
        '❌ **reverted to green**: target blue unhealthy while taking 100 % of the traffic',
      );
      expect(await haproxyWeights(haproxy)).toEqual({ blue: 0, green: 100 });
    } finally {
      pair.blue.failFromProbe = undefined;
    }
  });

  it('GitLab: a dry run prints the runtime commands and changes nothing', async () => {
    const job = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-bg-'));
    const r = await runProcess(
      process.execPath,
      [CLI, 'blue-green-switch', '--provider', 'haproxy', '--dry-run', '--steps', '10,100'],
      {
        cwd: job,
        env: { GITLAB_CI: 'true', SHIPGATE_HAPROXY_SOCKET: haproxy.socket, SHIPGATE_HAPROXY_BACKEND: 'web' },
      },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('set weight web/blue 10');
    expect(r.stdout).toContain('set server web/green state drain');
    expect(readFileSync(join(job, 'shipgate.env'), 'utf8')).toContain('SHIPGATE_SWITCHED=false\n');
    expect(await haproxyWeights(haproxy)).toEqual({ blue: 0, green: 100 });
  });
});
