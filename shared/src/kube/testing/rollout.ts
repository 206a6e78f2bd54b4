// A simulated Deployment controller for the Kubernetes contract server, following kube-controller-manager's
// deployment controller for the parts a rollback reads: on a pod template change it finds the ReplicaSet with that
// template (ignoring pod-template-hash) or creates `<deployment>-<hash>`, gives it the next revision (an old
// ReplicaSet reused by an undo moves to the newest revision and remembers the old one in `revision-history`), copies
// the Deployment's annotations to it, and sets the Deployment's revision. Status then moves with time, one pod per
// step: observedGeneration, updated, available, old pods gone, and the Progressing/Available conditions — or, for an
// image in `broken`, pods that never become available until progressDeadlineSeconds passes (ProgressDeadlineExceeded).
// Status is brought up to date before every request (and by sync()), so the time source can be a test's FakeClock.
import { DEPLOYMENTS, REPLICASETS, type KubeObject } from './resources.js';
import type { KubeServer } from './server.js';
import type { KubeStore } from './store.js';

import { canonical, HASH_LABEL, podsAt, REVISION, templateHash, withoutHash } from './rollout-model.js';

export { HASH_LABEL, REVISION, templateHash, withoutHash } from './rollout-model.js';
const HISTORY = 'deployment.kubernetes.io/revision-history';
/** Annotations the controller never copies from a Deployment to its ReplicaSets (deployment/util SkipCopyAnnotation). */
const SKIP_COPY = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  HISTORY,
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export interface RolloutOptions {
  /** Milliseconds on the scale the rollouts move on; pass a FakeClock's `now` so tests wait without sleeping. Default: performance.now. */
  now?: () => number;
  /** Time for one pod to be updated and, a step later, become available. Default 200 ms. */
  stepMs?: number;
}

export interface RolloutSimulation {
  /** Images whose pods never become ready (a crash loop, an unpullable image): their rollouts stall until the deadline. */
  broken: Set<string>;
  /** Brings every rollout's status up to now (runs before every request by itself). */
  sync(): void;
  /** Finishes every rollout in progress, as if a long time had passed (for seeding a revision history). */
  settle(): void;
  /** Rollouts in progress, by `namespace/name`. */
  readonly active: ReadonlySet<string>;
}

interface Rollout {
  ns: string;
  name: string;
  start: number;
  newRs: string;
  /** Pods of the new ReplicaSet already available when the rollout began (an undo back to a set still serving). */
  startAvailable: number;
  /** The set that served before; its pods go away as new ones become available. */
  oldRs?: string;
  oldReplicas: number;
  oldAvailable: number;
  /** Other sets with pods (an abandoned rollout): scaled to zero at the first step. */
  others: string[];
  replicas: number;
  broken: boolean;
  deadlineMs: number;
  /** A paused Deployment: only observedGeneration moves, no new ReplicaSet. */
  observeOnly: boolean;
}

const revisionOf = (o: KubeObject) => Number(o.metadata.annotations?.[REVISION] ?? 0);
const ownedBy = (rs: KubeObject, dep: KubeObject) =>
  (rs.metadata.ownerReferences as { uid?: string }[] | undefined)?.some((r) => r.uid === dep.metadata.uid) ?? false;
const imagesOf = (template: any): string[] =>
  ((template?.spec?.containers ?? []) as { image?: string }[]).map((c) => c.image ?? '');

export function simulateRollouts(server: KubeServer, opts: RolloutOptions = {}): RolloutSimulation {
  const store = server.store;
  const now = opts.now ?? (() => performance.now());
  const stepMs = opts.stepMs ?? 200;
  const broken = new Set<string>();
  const rollouts = new Map<string, Rollout>();
  let syncing = false;

  function replicaSets(dep: KubeObject): KubeObject[] {
    return store.list(REPLICASETS, dep.metadata.namespace).filter((rs) => ownedBy(rs, dep));
  }

  /** Finds or creates the ReplicaSet for the Deployment's template and makes it the newest revision. */
  function newReplicaSet(dep: KubeObject): KubeObject {
    const ns = dep.metadata.namespace!;
    const all = replicaSets(dep);
    const template = withoutHash(dep.spec.template);
    const max = Math.max(0, ...all.map(revisionOf));
    const annotations = Object.fromEntries(
      Object.entries(dep.metadata.annotations ?? {}).filter(([k]) => !SKIP_COPY.has(k)),
    );
    const sizes = {
      'deployment.kubernetes.io/desired-replicas': String(dep.spec.replicas),
      'deployment.kubernetes.io/max-replicas': String(dep.spec.replicas + 1),
    };
    const found = all.find((rs) => canonical(withoutHash(rs.spec.template)) === canonical(template));
    if (found) {
      const old = revisionOf(found);
      if (old === max) return found;
      const history = [found.metadata.annotations?.[HISTORY], String(old)].filter(Boolean).join(',');
      found.metadata.annotations = {
        ...found.metadata.annotations,
        ...annotations,
        ...sizes,
        [REVISION]: String(max + 1),
        [HISTORY]: history,
      };
      return store.update(REPLICASETS, ns, found.metadata.name, found);
    }
    const hash = templateHash(template);
    const labels = { ...template.metadata?.labels, [HASH_LABEL]: hash };
    return store.create(REPLICASETS, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${dep.metadata.name}-${hash}`,
        namespace: ns,
        labels,
        annotations: { ...annotations, ...sizes, [REVISION]: String(max + 1) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: dep.metadata.name,
            uid: dep.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas: 0,
        minReadySeconds: dep.spec.minReadySeconds,
        selector: { ...dep.spec.selector, matchLabels: { ...dep.spec.selector?.matchLabels, [HASH_LABEL]: hash } },
        template: { ...template, metadata: { ...template.metadata, labels } },
      },
    });
  }

  /** Reacts to a Deployment whose spec changed (generation moved). */
  function reconcile(dep: KubeObject): void {
    sync();
    const key = `${dep.metadata.namespace}/${dep.metadata.name}`;
    const base = {
      ns: dep.metadata.namespace!,
      name: dep.metadata.name,
      start: now(),
      replicas: dep.spec.replicas ?? 1,
      deadlineMs: (dep.spec.progressDeadlineSeconds ?? 600) * 1000,
    };
    const idle = { startAvailable: 0, oldReplicas: 0, oldAvailable: 0, others: [], broken: false };
    const newest = replicaSets(dep).sort((a, b) => revisionOf(b) - revisionOf(a))[0];
    if (dep.spec.paused) {
      rollouts.set(key, { ...base, ...idle, newRs: newest?.metadata.name ?? '', observeOnly: true });
      return;
    }
    const rs = newReplicaSet(dep);
    if (revisionOf(dep) !== revisionOf(rs)) {
      const fresh = store.get(DEPLOYMENTS, base.ns, base.name)!;
      fresh.metadata.annotations = { ...fresh.metadata.annotations, [REVISION]: String(revisionOf(rs)) };
      store.update(DEPLOYMENTS, base.ns, base.name, fresh);
    }
    const available = (o: KubeObject) => Number(o.status?.availableReplicas ?? 0);
    // The set serving most pods hands over to the new one; any other set with pods is an abandoned rollout.
    const withPods = replicaSets(dep).filter((o) => o.metadata.name !== rs.metadata.name && (o.spec.replicas ?? 0) > 0);
    const old = withPods.sort((a, b) => available(b) - available(a) || revisionOf(b) - revisionOf(a))[0];
    rollouts.set(key, {
      ...base,
      newRs: rs.metadata.name,
      startAvailable: available(rs),
      oldRs: old?.metadata.name,
      oldReplicas: old?.spec.replicas ?? 0,
      oldAvailable: old ? available(old) : 0,
      others: withPods.filter((o) => o !== old).map((o) => o.metadata.name),
      broken: imagesOf(rs.spec.template).some((i) => broken.has(i)),
      observeOnly: false,
    });
  }

  function condition(type: string, status: string, reason: string, message: string, before: any[]): any {
    const t = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const prior = before.find((c) => c.type === type);
    const transition = prior && prior.status === status ? prior.lastTransitionTime : t;
    return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: transition };
  }

  function setReplicaSet(ns: string, name: string | undefined, replicas: number, available: number): void {
    if (!name) return;
    const rs = store.get(REPLICASETS, ns, name);
    if (!rs) return;
    if (rs.spec.replicas !== replicas) {
      rs.spec.replicas = replicas;
      store.update(REPLICASETS, ns, name, rs);
    }
    const fresh = store.get(REPLICASETS, ns, name)!;
    const status = {
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: available,
      availableReplicas: available,
      observedGeneration: fresh.metadata.generation,
    };
    if (canonical(fresh.status) !== canonical(status))
      store.update(REPLICASETS, ns, name, { ...fresh, status }, { subresource: 'status' });
  }

  /** Writes the status `r` has at `elapsed`; true when the rollout is over (complete or past its deadline). */
  function advance(r: Rollout, elapsed: number): boolean {
    const dep = store.get(DEPLOYMENTS, r.ns, r.name);
    if (!dep) return true;
    const step = Math.floor(elapsed / stepMs);
    if (step < 1) return false;
    const n = r.replicas;
    const before: any[] = dep.status?.conditions ?? [];
    let status: any;
    let over: boolean;
    if (r.observeOnly) {
      const paused = Boolean(dep.spec.paused);
      setReplicaSet(r.ns, r.newRs, n, n);
      status = {
        observedGeneration: dep.metadata.generation,
        replicas: n,
        updatedReplicas: n,
        readyReplicas: n,
        availableReplicas: n,
        unavailableReplicas: 0,
      };
      status.conditions = [
        condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', before),
        paused
          ? condition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', before)
          : condition(
              'Progressing',
              'True',
              'NewReplicaSetAvailable',
              `ReplicaSet "${r.newRs}" has successfully progressed.`,
              before,
            ),
      ];
      over = !paused;
    } else {
      const { updated, fresh, old, oldAvailable } = podsAt({ ...r, oldReplicas: r.oldRs ? r.oldReplicas : 0 }, step);
      const available = fresh + oldAvailable;
      setReplicaSet(r.ns, r.newRs, updated, fresh);
      setReplicaSet(r.ns, r.oldRs, old, oldAvailable);
      for (const other of r.others) setReplicaSet(r.ns, other, 0, 0);
      const complete = fresh === n && updated === n && old === 0;
      const late = !complete && elapsed > r.deadlineMs;
      const progressing = complete
        ? condition(
            'Progressing',
            'True',
            'NewReplicaSetAvailable',
            `ReplicaSet "${r.newRs}" has successfully progressed.`,
            before,
          )
        : late
          ? condition(
              'Progressing',
              'False',
              'ProgressDeadlineExceeded',
              `ReplicaSet "${r.newRs}" has timed out progressing.`,
              before,
            )
          : condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${r.newRs}" is progressing.`, before);
      const minimum = n - Math.floor(n / 4);
      status = {
        observedGeneration: dep.metadata.generation,
        replicas: updated + old,
        updatedReplicas: updated,
        readyReplicas: available,
        availableReplicas: available,
        unavailableReplicas: Math.max(0, n - available),
        conditions: [
          available >= minimum
            ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', before)
            : condition(
                'Available',
                'False',
                'MinimumReplicasUnavailable',
                'Deployment does not have minimum availability.',
                before,
              ),
          progressing,
        ],
      };
      over = complete || late;
    }
    const strip = (s: any) => ({
      ...s,
      conditions: s?.conditions?.map(({ lastUpdateTime: _u, lastTransitionTime: _t, ...c }: any) => c),
    });
    if (canonical(strip(dep.status)) !== canonical(strip(status)))
      store.update(DEPLOYMENTS, r.ns, r.name, { ...dep, status }, { subresource: 'status' });
    return over;
  }

  /** After a finished rollout, old ReplicaSets without pods beyond spec.revisionHistoryLimit go, oldest first. */
  function cleanup(r: Rollout): void {
    const dep = store.get(DEPLOYMENTS, r.ns, r.name);
    if (!dep) return;
    const limit = dep.spec.revisionHistoryLimit ?? 10;
    const old = replicaSets(dep)
      .filter((rs) => rs.metadata.name !== r.newRs && (rs.spec.replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of old.slice(0, Math.max(0, old.length - limit))) store.delete(REPLICASETS, r.ns, rs.metadata.name);
  }

  function sync(at = now()): void {
    if (syncing) return;
    syncing = true;
    try {
      for (const [key, r] of rollouts) {
        if (!advance(r, at - r.start)) continue;
        rollouts.delete(key);
        cleanup(r);
      }
    } finally {
      syncing = false;
    }
  }

  store.controller((change, s: KubeStore) => {
    if (change.type !== DEPLOYMENTS || s !== store) return;
    const key = `${change.object.metadata.namespace}/${change.object.metadata.name}`;
    if (change.kind === 'DELETED') return void rollouts.delete(key);
    if (change.kind === 'MODIFIED' && change.object.metadata.generation === change.old?.metadata.generation) return;
    reconcile(change.object);
  });
  server.beforeRequest(() => sync());

  return {
    broken,
    sync: () => sync(),
    settle() {
      for (const r of rollouts.values()) r.start = -Infinity;
      sync();
    },
    get active() {
      return new Set(rollouts.keys());
    },
  };
}

export { deploymentObject, seedDeployment } from './fixtures.js';
