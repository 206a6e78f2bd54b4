import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlJson, seedHttpRoute, seedService } from '../../shared/src/kube/testing/fixtures.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';
import { ROOT, runProcess } from '../helpers/run-bundle.js';

// The committed bundles drive the Kubernetes contract server: @kubernetes/client-node must survive bundling, and the
// kubeconfig must come from the job environment as a runner provides it.
const ACTION = join(ROOT, 'actions/blue-green-switch/dist/index.js');
const CLI = join(ROOT, 'bin/shipgate.js');

let server: KubeServer;
let kubeconfig: string;
let dir: string;

beforeAll(async () => {
  server = await kubeServer();
  dir = mkdtempSync(join(tmpdir(), 'shipgate-e2e-kube-'));
  kubeconfig = server.kubeconfig(dir);
});
afterAll(() => server.close());

describe('blue-green-switch bundles on Kubernetes', () => {
  it('GitHub Action: moves HTTPRoute weights in steps with KUBECONFIG from the runner, and masks the token', async () => {
    seedHttpRoute(server, 'web');
    const output = join(dir, 'gh.out');
    writeFileSync(output, '');
    writeFileSync(join(dir, 'gh.md'), '');
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(dir, 'gh.md'),
      KUBECONFIG: kubeconfig,
      INPUT_PROVIDER: 'gateway-api',
      'INPUT_HTTP-ROUTE': 'web',
      INPUT_SERVICE: 'web',
      INPUT_STEPS: '50,100',
      'INPUT_STEP-INTERVAL': '100ms',
    };
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`::add-mask::${server.token}`);
    expect(r.stdout).toMatch(/read back: blue 50 % · green 50 %[\s\S]*read back: blue 0 % · green 100 %/);
    expect(readFileSync(output, 'utf8')).toMatch(/^active<<(\S+)\ngreen\n\1$/m);
    const route = await kubectlJson(kubeconfig, 'get', 'httproute', 'web');
    expect(route.spec.rules[1].backendRefs.map((b: any) => [b.name, b.weight])).toEqual([
      ['web-blue', 0],
      ['web-green', 100],
    ]);
  });

  it('CLI as a GitLab job: switches the Service selector and writes the dotenv report', async () => {
    seedService(server, 'api');
    const job = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-kube-'));
    const r = await runProcess(process.execPath, [CLI, 'blue-green-switch', '--provider', 'kubernetes'], {
      cwd: job,
      env: {
        GITLAB_CI: 'true',
        SHIPGATE_SERVICE: 'api',
        SHIPGATE_KUBECONFIG: kubeconfig,
        SHIPGATE_STEP_INTERVAL: '100ms',
      },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const dotenv = readFileSync(join(job, 'shipgate.env'), 'utf8');
    expect(dotenv).toContain('SHIPGATE_ACTIVE=green');
    expect(dotenv).toContain('SHIPGATE_PREVIOUS=blue');
    expect(dotenv).toContain('SHIPGATE_SWITCHED=true');
    const svc = await kubectlJson(kubeconfig, 'get', 'service', 'api');
    expect(svc.spec.selector.color).toBe('green');
    expect(svc.metadata.annotations['shipgate.dev/previous-color']).toBe('blue');
    expect(r.stdout + r.stderr).not.toContain(server.token);
  });
});
