import { request } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/src/clock.js';
import { deploymentObject, kubectl, kubectlJson, seedDeployment } from '../../shared/src/kube/testing/fixtures.js';
import { DEPLOYMENTS, REPLICASETS } from '../../shared/src/kube/testing/resources.js';
import {
  HASH_LABEL,
  REVISION,
  simulateRollouts,
  type RolloutSimulation,
} from '../../shared/src/kube/testing/rollout.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';

// The simulated Deployment controller and the list filters it needs, checked against what kubectl expects of a real
// cluster: kubectl's own `rollout undo`, `rollout history` and `rollout status` run against it.
let server: KubeServer;
let kubeconfig: string;
let sim: RolloutSimulation;
const clock = new FakeClock();

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(mkdtempSync(join(tmpdir(), 'shipgate-kube-rollout-')));
  sim = simulateRollouts(server, { now: () => clock.now(), stepMs: 1000 });
});
afterAll(() => server.close());

function get(path: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { ca: server.ca, headers: { authorization: `Bearer ${server.token}` } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const status = (name: string) => server.store.get(DEPLOYMENTS, 'default', name)!.status;

describe('simulated Deployment controller', () => {
  it('creates a ReplicaSet per template with pod-template-hash, owner and revision, and moves status one step at a time', async () => {
    server.store.create(DEPLOYMENTS, deploymentObject('one', { app: 'img:1' }));
    const dep = server.store.get(DEPLOYMENTS, 'default', 'one')!;
    expect(dep.spec).toMatchObject({
      replicas: 3,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    });
    expect(dep.metadata.annotations?.[REVISION]).toBe('1');
    const [rs] = server.store.list(REPLICASETS, 'default').filter((r) => r.metadata.name.startsWith('one-'));
    expect(rs.metadata.name).toBe(`one-${rs.metadata.labels![HASH_LABEL]}`);
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'one',
        uid: dep.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'one', [HASH_LABEL]: rs.metadata.labels![HASH_LABEL] });
    sim.sync();
    expect(status('one')).toBeUndefined();
    clock.advance(1000);
    sim.sync();
    expect(status('one')).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 0,
    });
    clock.advance(1000);
    sim.sync();
    expect(status('one')).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    expect(status('one').conditions.map((c: any) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      'Available=True/MinimumReplicasAvailable',
      'Progressing=True/NewReplicaSetAvailable',
    ]);
    expect(sim.active.has('default/one')).toBe(false);
  });

  it("follows kubectl's own rollout undo: the old ReplicaSet becomes the newest revision, and history and status read it", async () => {
    seedDeployment(server, sim, 'two', ['img:1', 'img:2']);
    const undo = await kubectl(kubeconfig, 'rollout', 'undo', 'deployment/two');
    expect(undo.stdout).toContain('deployment.apps/two rolled back');
    const dep = await kubectlJson(kubeconfig, 'get', 'deployment', 'two');
    expect(dep.metadata.annotations).toMatchObject({ [REVISION]: '3', 'kubernetes.io/change-cause': 'deploy img:1' });
    expect(dep.spec.template.spec.containers[0].image).toBe('img:1');
    const pending = await kubectl(kubeconfig, 'rollout', 'status', 'deployment/two', '--watch=false');
    expect(pending.stdout).toContain('Waiting for deployment spec update to be observed');
    clock.advance(1000);
    expect((await kubectl(kubeconfig, 'rollout', 'status', 'deployment/two', '--watch=false')).stdout).toContain(
      '1 out of 3 new replicas have been updated',
    );
    clock.advance(3000);
    expect((await kubectl(kubeconfig, 'rollout', 'status', 'deployment/two', '--watch=false')).stdout).toContain(
      'successfully rolled out',
    );
    const history = await kubectl(kubeconfig, 'rollout', 'history', 'deployment/two');
    expect(
      history.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/)[0]),
    ).toEqual(['REVISION', '2', '3']);
    expect(server.store.list(REPLICASETS, 'default').filter((r) => r.metadata.name.startsWith('two-'))).toHaveLength(2);
  });

  it('stalls a broken image with one surge pod and reports ProgressDeadlineExceeded after the deadline', async () => {
    seedDeployment(server, sim, 'three', ['img:1'], { progressDeadlineSeconds: 10 });
    sim.broken.add('img:bad');
    await kubectl(kubeconfig, 'set', 'image', 'deployment/three', 'app=img:bad');
    clock.advance(5000);
    sim.sync();
    expect(status('three')).toMatchObject({ replicas: 4, updatedReplicas: 1, availableReplicas: 3 });
    expect(status('three').conditions[1].reason).toBe('ReplicaSetUpdated');
    clock.advance(6000);
    const r = await kubectl(kubeconfig, 'rollout', 'status', 'deployment/three', '--watch=false');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('deployment "three" exceeded its progress deadline');
  });

  it('filters lists by labelSelector and fieldSelector, and refuses a malformed selector with 400', async () => {
    seedDeployment(server, sim, 'four', ['img:1']);
    const names = async (query: string) =>
      (await get(`/apis/apps/v1/namespaces/default/deployments?${query}`)).body.items.map((i: any) => i.metadata.name);
    expect(await names('fieldSelector=metadata.name%3Dfour')).toEqual(['four']);
    expect(await names('labelSelector=app%3Dfour')).toEqual(['four']);
    expect(await names('labelSelector=app%20in%20(four,one)')).toEqual(['one', 'four']);
    expect(await names('labelSelector=app!%3Done,app%20notin%20(two,three),!missing')).not.toContain('one');
    const bad = await get('/apis/apps/v1/namespaces/default/deployments?labelSelector=app%20in%20oops');
    expect(bad.status).toBe(400);
    expect(bad.body.reason).toBe('BadRequest');
  });

  it('deletes old ReplicaSets without pods beyond revisionHistoryLimit once a rollout finished', () => {
    seedDeployment(server, sim, 'six', ['img:1', 'img:2', 'img:3', 'img:4'], { revisionHistoryLimit: 1 });
    const left = server.store.list(REPLICASETS, 'default').filter((r) => r.metadata.name.startsWith('six-'));
    expect(
      left.map((r) => [r.metadata.annotations![REVISION], r.spec.template.spec.containers[0].image]).sort(),
    ).toEqual([
      ['3', 'img:3'],
      ['4', 'img:4'],
    ]);
  });

  it('refuses a template whose labels the selector does not match, as apps/v1 validation does', () => {
    const obj = deploymentObject('five', { app: 'img:1' });
    obj.spec.template.metadata.labels = { app: 'other' };
    expect(() => server.store.create(DEPLOYMENTS, obj)).toThrow(
      /spec.template.metadata.labels: Invalid value: .*`selector` does not match template `labels`/,
    );
  });
});
