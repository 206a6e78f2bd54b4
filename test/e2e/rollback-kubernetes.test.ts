import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnv, githubOutputs } from '../helpers/github-runner.js';
import { kubectl, kubectlJson, seedDeployment } from '../../shared/src/kube/testing/fixtures.js';
import { DEPLOYMENTS } from '../../shared/src/kube/testing/resources.js';
import { REVISION, simulateRollouts, type RolloutSimulation } from '../../shared/src/kube/testing/rollout.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';
import { pushImage } from '../../shared/src/registry/testing/registry-push.js';
import { startRegistry, type TestRegistry } from '../../shared/src/registry/testing/registry.js';
import { ROOT, runProcess } from '../helpers/run-bundle.js';

// rollback with provider kubernetes as the runners run it: the committed Action bundle with INPUT_* and KUBECONFIG,
// and the CLI as a GitLab job. The Deployment lives on the Kubernetes contract server with its simulated controller
// (real time, 100 ms per step); its images live in a real registry (Debian's docker-registry), which the step checks
// before it changes anything.
const ACTION = join(ROOT, 'actions/rollback/dist/index.js');
const CLI = join(ROOT, 'bin/shipgate.js');

let server: KubeServer;
let sim: RolloutSimulation;
let registry: TestRegistry;
let kubeconfig: string;
let dir: string;
let images: string[];
let broken: string;

beforeAll(async () => {
  [server, registry] = await Promise.all([kubeServer(), startRegistry()]);
  sim = simulateRollouts(server, { stepMs: 100 });
  dir = mkdtempSync(join(tmpdir(), 'shipgate-e2e-rollback-kube-'));
  kubeconfig = server.kubeconfig(dir);
  images = [];
  for (const tag of ['1.0.0', '1.1.0', '1.2.0', '1.3.0-broken']) {
    await pushImage(registry, 'shop/app', tag);
    images.push(`${registry.host}/shop/app:${tag}`);
  }
  broken = images[3];
  sim.broken.add(broken);
}, 120_000);
afterAll(async () => {
  await Promise.all([server?.close(), registry?.stop()]);
});

const image = (name: string) =>
  server.store.get(DEPLOYMENTS, 'default', name)!.spec.template.spec.containers[0].image as string;

describe('rollback bundles with provider kubernetes', () => {
  it('GitHub Action: undoes to the previous revision, waits for the rollout, records the change-cause', async () => {
    seedDeployment(server, sim, 'cart', images.slice(0, 3));
    const { env, output, summary } = githubEnv(
      dir,
      'undo',
      {
        provider: 'kubernetes',
        deployment: 'cart',
        namespace: 'default',
        reason: 'error budget burnt',
        timeout: '30s',
      },
      { KUBECONFIG: kubeconfig, GITHUB_ACTOR: 'octocat' },
    );
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`::add-mask::${server.token}`);
    const out = githubOutputs(output);
    expect(out).toMatchObject({ 'rolled-back': 'true', triggered: 'false', from: images[2], to: images[1] });
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('revision 2');
    expect(md).toContain(images[1]);
    expect(md).toMatch(/successfully rolled out/);
    // the rollout as it was watched, one line per status seen, under its own heading
    expect(md).toMatch(/<summary>The rollout as it went<\/summary>[\s\S]*?\d+(ms|s): [^\n]*successfully rolled out/);
    const dep = await kubectlJson(kubeconfig, 'get', 'deployment', 'cart');
    expect(dep.metadata.annotations).toMatchObject({
      [REVISION]: '4',
      'kubernetes.io/change-cause': 'error budget burnt',
    });
    expect(dep.spec.template.spec.containers[0].image).toBe(images[1]);
    expect(dep.status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    const history = await kubectl(kubeconfig, 'rollout', 'history', 'deployment/cart');
    expect(history.stdout).toMatch(/\n4\s+error budget burnt\n/);
  });

  it('CLI as a GitLab job: rolls to an explicit version of the running image and writes the dotenv report', async () => {
    seedDeployment(server, sim, 'orders', images.slice(1, 3));
    const job = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-rollback-'));
    const r = await runProcess(
      process.execPath,
      [CLI, 'rollback', '--provider', 'kubernetes', '--deployment', 'orders', '--to', '1.0.0'],
      {
        cwd: job,
        env: {
          GITLAB_CI: 'true',
          SHIPGATE_KUBECONFIG: kubeconfig,
          SHIPGATE_TIMEOUT: '30s',
          GITLAB_USER_LOGIN: 'alice',
        },
      },
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const dotenv = readFileSync(join(job, 'shipgate.env'), 'utf8');
    expect(dotenv).toContain('SHIPGATE_ROLLED_BACK=true');
    expect(dotenv).toContain(`SHIPGATE_TO=${images[0]}`);
    expect(dotenv).toContain(`SHIPGATE_FROM=${images[2]}`);
    expect(image('orders')).toBe(images[0]);
    const dep = await kubectlJson(kubeconfig, 'get', 'deployment', 'orders');
    expect(dep.metadata.annotations['kubernetes.io/change-cause']).toMatch(/manual rollback by alice/);
    expect(r.stdout + r.stderr).not.toContain(server.token);
  });

  it('CLI: a rollout that never becomes available fails with exit 1 and says what state the Deployment is in', async () => {
    seedDeployment(server, sim, 'search', images.slice(1, 3), { progressDeadlineSeconds: 1 });
    const job = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-rollback-'));
    const r = await runProcess(
      process.execPath,
      [CLI, 'rollback', '--provider', 'kubernetes', '--deployment', 'search', '--to', broken, '--timeout', '30s'],
      {
        cwd: job,
        env: { GITLAB_CI: 'true', SHIPGATE_KUBECONFIG: kubeconfig },
      },
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout + r.stderr).toContain('deployment "search" exceeded its progress deadline');
    expect(r.stdout + r.stderr).toContain(
      'deployment "search" exceeded its progress deadline (progressDeadlineSeconds 1); 1/3 updated, 3 available, 4 running in total',
    );
    expect(readFileSync(join(job, 'shipgate.env'), 'utf8')).toContain('SHIPGATE_ROLLED_BACK=false');
    expect(
      server.store.get(DEPLOYMENTS, 'default', 'search')!.status.conditions.find((c: any) => c.type === 'Progressing')
        .reason,
    ).toBe('ProgressDeadlineExceeded');
  });

  it('CLI: a target image missing from the registry is exit 3 with the Deployment untouched', async () => {
    seedDeployment(server, sim, 'billing', images.slice(1, 3));
    const before = server.store.get(DEPLOYMENTS, 'default', 'billing')!.metadata.resourceVersion;
    const r = await runProcess(
      process.execPath,
      [
        CLI,
        'rollback',
        '--provider',
        'kubernetes',
        '--deployment',
        'billing',
        '--to',
        `${registry.host}/shop/app:0.0.1`,
      ],
      {
        cwd: mkdtempSync(join(tmpdir(), 'shipgate-gitlab-rollback-')),
        env: { GITLAB_CI: 'true', SHIPGATE_KUBECONFIG: kubeconfig },
      },
    );
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout + r.stderr).toContain('shop/app:0.0.1');
    expect(server.store.get(DEPLOYMENTS, 'default', 'billing')!.metadata.resourceVersion).toBe(before);
  });

  it('CLI: RBAC refusals name the verb; reading the history refused is exit 3 before anything changes', async () => {
    seedDeployment(server, sim, 'mail', images.slice(0, 2));
    const run = () =>
      runProcess(process.execPath, [CLI, 'rollback', '--provider', 'kubernetes', '--deployment', 'mail'], {
        cwd: mkdtempSync(join(tmpdir(), 'shipgate-gitlab-rollback-')),
        env: { GITLAB_CI: 'true', SHIPGATE_KUBECONFIG: kubeconfig },
      });
    server.deny({ verb: 'list', resource: 'replicasets', namespace: 'default' });
    try {
      const r = await run();
      expect(r.code, r.stdout + r.stderr).toBe(3);
      expect(r.stdout + r.stderr).toContain("refused to list replicasets.apps in namespace 'default'");
    } finally {
      server.allowAll();
    }
    server.deny({ verb: 'patch', resource: 'deployments', namespace: 'default' });
    try {
      // The step counts a change it could not make as a failed rollback (exit 1) and says what still runs.
      const r = await run();
      expect(r.code, r.stdout + r.stderr).not.toBe(0);
      expect(r.stdout + r.stderr).toContain("refused to patch deployments.apps in namespace 'default'");
      expect(r.stdout + r.stderr).toContain(`Deployment default/mail is at revision 2 with ${images[1]}`);
    } finally {
      server.allowAll();
    }
    expect(image('mail')).toBe(images[1]);
  });
});
