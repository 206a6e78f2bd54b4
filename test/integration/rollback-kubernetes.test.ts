import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeploymentRollback, type DeploymentSettings } from '../../shared/src/kube/deployment.js';
import { KubeClient, REPLICASET, SERVICE } from '../../shared/src/kube/client.js';
import { FakeClock } from '../../shared/src/clock.js';
import { ConfigError, ExternalError } from '../../shared/src/errors.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import {
  kubectl,
  kubectlJson,
  patches,
  seedDeployment,
  seedService,
  seedVirtualService,
} from '../../shared/src/kube/testing/fixtures.js';
import { DEPLOYMENTS, REPLICASETS } from '../../shared/src/kube/testing/resources.js';
import {
  HASH_LABEL,
  REVISION,
  simulateRollouts,
  type RolloutSimulation,
} from '../../shared/src/kube/testing/rollout.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';

// The Deployment provider of rollback against the Kubernetes contract server and its simulated Deployment
// controller (ReplicaSets, revisions, status moving with the test's FakeClock); kubectl reads back what it wrote.
let server: KubeServer;
let kubeconfig: string;
let sim: RolloutSimulation;
const clock = new FakeClock();
const log: string[] = [];
const platform = new LocalPlatform({ env: {}, stdout: (t) => void log.push(t), stderr: (t) => void log.push(t) });

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(mkdtempSync(join(tmpdir(), 'shipgate-rollback-kube-')));
  sim = simulateRollouts(server, { now: () => clock.now(), stepMs: 1000 });
  sim.broken.add('registry.test/app:broken');
});
afterAll(() => server.close());

let n = 0;
let name: string;
beforeEach(() => {
  name = `app${++n}`;
});

const IMAGES = ['registry.test/app:1.0.0', 'registry.test/app:1.1.0', 'registry.test/app:1.2.0'];
const rollback = (extra: Partial<DeploymentSettings> = {}) =>
  DeploymentRollback.connect({ deployment: name, namespace: 'default', kubeconfig, ...extra }, { platform, clock });
const deployment = () => server.store.get(DEPLOYMENTS, 'default', name)!;
const sets = () => server.store.list(REPLICASETS, 'default').filter((rs) => rs.metadata.name.startsWith(`${name}-`));

describe('rollback provider kubernetes: revisions', () => {
  it('undoes to the previous revision as kubectl rollout undo: revision and image reported, ReplicaSet reused, change-cause set', async () => {
    seedDeployment(server, sim, name, IMAGES);
    const rb = rollback();
    const state = await rb.current();
    expect(state).toMatchObject({ revision: 3, container: 'app', image: IMAGES[2], generation: 3 });
    const prev = await rb.previous();
    const rs2 = sets().find((rs) => rs.metadata.annotations?.[REVISION] === '2')!;
    expect(prev).toEqual({ revision: 2, image: IMAGES[1], replicaSet: rs2.metadata.name });
    const plan = rb.plan({ image: prev!.image, revision: prev!.revision }, "error rate 7% > 5% (it's high)");
    expect(plan).toEqual([
      `Deployment default/${name}: revision 3 (app=${IMAGES[2]}) → the pod template of revision 2 (app=${IMAGES[1]}), as a new revision`,
      `kubectl -n default rollout undo deployment/${name} --to-revision=2`,
      `kubectl -n default annotate deployment/${name} kubernetes.io/change-cause='error rate 7% > 5% (it'\\''s high)' --overwrite`,
    ]);
    expect(patches(server, `/deployments/${name}`)).toEqual([]);

    await rb.apply({ image: prev!.image, revision: prev!.revision }, 'error rate 7% > 5%');
    const sent = patches(server, `/deployments/${name}`);
    expect(sent).toHaveLength(1);
    expect(sent[0].contentType).toBe('application/json-patch+json');
    expect((sent[0].body as any[])[0]).toMatchObject({ op: 'replace', path: '/metadata/resourceVersion' });

    const result = await rb.waitForRollout(5 * 60_000);
    expect(result.ok).toBe(true);
    expect(result.reason).toBe(`deployment "${name}" successfully rolled out`);
    expect(result.lines[0]).toContain('Waiting for deployment spec update to be observed...');
    expect(result.lines.at(-1)).toMatch(/: deployment ".*" successfully rolled out$/);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(1000);

    const dep = await kubectlJson(kubeconfig, 'get', 'deployment', name);
    expect(dep.metadata.annotations[REVISION]).toBe('4');
    expect(dep.metadata.annotations['kubernetes.io/change-cause']).toBe('error rate 7% > 5%');
    expect(dep.spec.template.spec.containers[0].image).toBe(IMAGES[1]);
    expect(dep.spec.template.metadata.labels[HASH_LABEL]).toBeUndefined();
    // The controller reused revision 2's ReplicaSet as revision 4, as the real one does on undo.
    const reused = await kubectlJson(kubeconfig, 'get', 'replicaset', rs2.metadata.name);
    expect(reused.metadata.annotations).toMatchObject({
      [REVISION]: '4',
      'deployment.kubernetes.io/revision-history': '2',
      'kubernetes.io/change-cause': 'error rate 7% > 5%',
    });
    expect(reused.status.availableReplicas).toBe(3);
    expect(sets()).toHaveLength(3);
    const history = await kubectl(kubeconfig, 'rollout', 'history', `deployment/${name}`);
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/\n4\s+error rate 7% > 5%\n/);
    expect(history.stdout).toMatch(/\n3\s+deploy registry.test\/app:1.2.0\n/);
    const status = await kubectl(kubeconfig, 'rollout', 'status', `deployment/${name}`, '--watch=false');
    expect(status.stdout).toContain(`deployment "${name}" successfully rolled out`);
    // Now revision 3 is the previous one.
    expect(await rollback().previous()).toMatchObject({ revision: 3, image: IMAGES[2] });
  });

  it('sets an explicit image with set-image semantics: a new revision, the sidecar untouched, the rollout waited for', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 2), { sidecars: { proxy: 'registry.test/proxy:2' } });
    const rb = rollback({ container: 'app' });
    expect((await rb.current()).image).toBe(IMAGES[1]);
    expect(rb.plan({ image: 'registry.test/app:0.9.0' }, 'manual rollback by ci')).toEqual([
      `Deployment default/${name}: revision 2 (app=${IMAGES[1]}) → app=registry.test/app:0.9.0`,
      `kubectl -n default set image deployment/${name} app=registry.test/app:0.9.0`,
      `kubectl -n default annotate deployment/${name} kubernetes.io/change-cause='manual rollback by ci' --overwrite`,
    ]);
    await rb.apply({ image: 'registry.test/app:0.9.0' }, 'manual rollback by ci');
    const result = await rb.waitForRollout(60_000);
    expect(result.ok).toBe(true);
    expect(result.lines.some((l) => l.includes('new replicas have been updated'))).toBe(true);
    const dep = await kubectlJson(kubeconfig, 'get', 'deploy', name);
    expect(dep.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual([
      'app=registry.test/app:0.9.0',
      'proxy=registry.test/proxy:2',
    ]);
    expect(dep.metadata.annotations).toMatchObject({
      [REVISION]: '3',
      'kubernetes.io/change-cause': 'manual rollback by ci',
    });
    expect(sets()).toHaveLength(3);
    // The same target again changes nothing.
    expect(rb.alreadyThere({ image: 'registry.test/app:0.9.0' })).toBe(true);
    await rb.apply({ image: 'registry.test/app:0.9.0' }, 'again');
    expect(patches(server, `/deployments/${name}`)).toHaveLength(1);
  });

  it('has no previous revision for a Deployment rolled out once, and names the revisions it has for an unknown one', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 1));
    const rb = rollback();
    expect(await rb.previous()).toBeUndefined();
    const err = await rb.apply({ image: IMAGES[0], revision: 7 }, 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      `Deployment default/${name} has no revision 7 in its ReplicaSet history (revisions: 1). Pick one of them, or give an image in input 'to'.`,
    );
    expect(patches(server, `/deployments/${name}`)).toEqual([]);
  });

  it('has no previous revision when revisionHistoryLimit 0 made the controller delete the old ReplicaSets', async () => {
    seedDeployment(server, sim, name, IMAGES, { revisionHistoryLimit: 0 });
    expect(sets()).toHaveLength(1);
    const rb = rollback();
    expect((await rb.current()).revision).toBe(3);
    expect(await rb.previous()).toBeUndefined();
  });

  it('ignores ReplicaSets with the same labels that another Deployment owns', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 2));
    const foreign = structuredClone(sets()[0]);
    foreign.metadata = {
      name: `${name}-foreign`,
      namespace: 'default',
      labels: foreign.metadata.labels,
      annotations: { [REVISION]: '1' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', name: 'other', uid: 'not-this-one', controller: true },
      ],
    };
    delete foreign.status;
    server.store.create(REPLICASETS, foreign);
    const history = await rollback().history();
    expect(history.map((rs) => rs.metadata?.name)).not.toContain(`${name}-foreign`);
    expect(history).toHaveLength(2);
  });
});

describe('rollback provider kubernetes: rollouts that fail', () => {
  it('returns a failure with the state when the new pods never become available (progressDeadlineSeconds)', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 2), { progressDeadlineSeconds: 30 });
    const rb = rollback();
    await rb.current();
    await rb.apply({ image: 'registry.test/app:broken' }, 'rollback to a broken build');
    const result = await rb.waitForRollout(5 * 60_000);
    expect(result.ok).toBe(false);
    expect(result.reason).toBe(
      `deployment "${name}" exceeded its progress deadline (progressDeadlineSeconds 30); 1/3 updated, 3 available, 4 running in total`,
    );
    expect(result.elapsedMs).toBeGreaterThan(30_000);
    expect(result.elapsedMs).toBeLessThan(60_000);
    expect(result.lines.at(-1)).toMatch(
      /^State: 1\/3 updated, 3 available, 4 running in total \(generation 3, observed 3\); Progressing=False ProgressDeadlineExceeded: ReplicaSet ".*" has timed out progressing\.$/,
    );
    const status = await kubectl(kubeconfig, 'rollout', 'status', `deployment/${name}`, '--watch=false');
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain(`deployment "${name}" exceeded its progress deadline`);
  });

  it('gives up at the timeout input while the rollout still progresses', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 2));
    const rb = rollback();
    await rb.current();
    await rb.apply({ image: 'registry.test/app:broken' }, 'x');
    const result = await rb.waitForRollout(10_000);
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(
      /^the rollout did not finish within input 'timeout' \(10s\): Waiting for deployment ".*" rollout to finish: 1 out of 3 new replicas have been updated\.\.\. 1\/3 updated, 3 available, 4 running in total$/,
    );
    expect(result.elapsedMs).toBeGreaterThanOrEqual(10_000);
    expect(result.elapsedMs).toBeLessThan(12_500);
    expect(result.lines.at(-1)).toContain('Progressing=True ReplicaSetUpdated');
  });

  it('rolls a stuck rollout back to the revision still serving, which completes at once', async () => {
    seedDeployment(server, sim, name, [...IMAGES.slice(0, 2), 'registry.test/app:broken'], {
      progressDeadlineSeconds: 30,
    });
    expect(deployment().status.conditions.find((c: any) => c.type === 'Progressing').reason).toBe(
      'ProgressDeadlineExceeded',
    );
    const rb = rollback();
    const prev = await rb.previous();
    expect(prev).toMatchObject({ revision: 2, image: IMAGES[1] });
    await rb.apply({ image: prev!.image, revision: prev!.revision }, 'stuck');
    const result = await rb.waitForRollout(60_000);
    expect(result.ok).toBe(true);
    expect(result.elapsedMs).toBeLessThanOrEqual(2000);
    expect(deployment().status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    const broken = sets().find((rs) => rs.spec.template.spec.containers[0].image === 'registry.test/app:broken')!;
    expect(broken.spec.replicas).toBe(0);
  });
});

describe('rollback provider kubernetes: refusals', () => {
  it('names the containers when the pod has several and none is chosen, or the chosen one does not exist', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 2), { sidecars: { proxy: 'registry.test/proxy:2' } });
    await expect(rollback().current()).rejects.toThrow(
      new ConfigError(
        `Deployment default/${name} has 2 containers (app, proxy): set input 'container' to the one to roll back.`,
      ),
    );
    await expect(rollback({ container: 'web' }).current()).rejects.toThrow(
      new ConfigError(
        `Input 'container' is 'web', but Deployment default/${name} has no such container. Its containers: app, proxy.`,
      ),
    );
    expect((await rollback({ container: 'proxy' }).current()).image).toBe('registry.test/proxy:2');
  });

  it('names the deployment and namespace inputs when the Deployment does not exist', async () => {
    const err = await rollback({ namespace: 'shop' })
      .current()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      `Deployment shop/${name} does not exist (404): input 'deployment' is '${name}' and input 'namespace' is 'shop'. Check both.`,
    );
  });

  it('refuses a paused Deployment with exit 2 and changes nothing', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 2));
    const dep = deployment();
    server.store.update(DEPLOYMENTS, 'default', name, { ...dep, spec: { ...dep.spec, paused: true } });
    const rb = rollback();
    expect((await rb.current()).lines).toContain(`Deployment default/${name} is paused (kubectl rollout pause).`);
    const err = await rb.apply({ image: IMAGES[0], revision: 1 }, 'x').catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(`rollout resume deployment/${name}`);
    expect(patches(server, `/deployments/${name}`)).toEqual([]);
  });

  it('stops with exit 3 naming the verb when RBAC forbids listing ReplicaSets or patching the Deployment', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 2));
    server.deny({ verb: 'list', resource: 'replicasets', namespace: 'default' });
    try {
      const err = await rollback()
        .previous()
        .catch((e) => e);
      expect(err).toBeInstanceOf(ExternalError);
      expect(err.exitCode).toBe(3);
      expect(err.message).toMatch(
        /^Forbidden: the Kubernetes API refused to list replicasets\.apps in namespace 'default' \(RBAC\)\. Grant the job's account the verb 'list' on 'replicasets\.apps'/,
      );
    } finally {
      server.allowAll();
    }
    server.deny({ verb: 'patch', resource: 'deployments', namespace: 'default' });
    try {
      const err = await rollback()
        .apply({ image: 'registry.test/app:0.1.0' }, 'x')
        .catch((e) => e);
      expect(err).toBeInstanceOf(ExternalError);
      expect(err.message).toContain("refused to patch deployments.apps in namespace 'default'");
      expect(err.message).toContain(`User "${server.user}" cannot patch resource "deployments"`);
    } finally {
      server.allowAll();
    }
    expect(deployment().spec.template.spec.containers[0].image).toBe(IMAGES[1]);
  });

  it('retries when another writer changes the Deployment between read and write, keeping their change', async () => {
    seedDeployment(server, sim, name, IMAGES.slice(0, 2));
    server.interfere(
      DEPLOYMENTS,
      'default',
      name,
      (o) => void (o.metadata.labels = { ...o.metadata.labels, team: 'payments' }),
    );
    await rollback().apply({ image: 'registry.test/app:0.9.0' }, 'x');
    expect(patches(server, `/deployments/${name}`).map((p) => p.status)).toEqual([409, 200]);
    expect(deployment().metadata.labels).toMatchObject({ team: 'payments' });
    expect(deployment().spec.template.spec.containers[0].image).toBe('registry.test/app:0.9.0');
  });
});

describe('KubeClient.list', () => {
  it('lists built-in and custom resources by label selector, in one namespace', async () => {
    seedService(server, `${name}-a`);
    seedService(server, `${name}-b`, 'blue', 'shop');
    seedVirtualService(server, `${name}-vs`);
    const client = KubeClient.connect(kubeconfig, { platform, clock });
    expect((await client.list(SERVICE, 'default', `app=${name}-a`)).map((o) => o.metadata?.name)).toEqual([
      `${name}-a`,
    ]);
    expect(
      (await client.list(SERVICE, 'default', `app in (${name}-a,${name}-b)`)).map((o) => o.metadata?.name),
    ).toEqual([`${name}-a`]);
    const vs = { group: 'networking.istio.io', versions: ['v1'], plural: 'virtualservices', kind: 'VirtualService' };
    expect((await client.list(vs, 'default')).map((o) => o.metadata?.name)).toContain(`${name}-vs`);
    expect(await client.list(REPLICASET, 'default', 'app=nothing-has-this')).toEqual([]);
    const calls = server.requests.filter((r) => r.method === 'GET' && r.path === '/api/v1/namespaces/default/services');
    expect(calls.length).toBeGreaterThanOrEqual(2);
  });
});
