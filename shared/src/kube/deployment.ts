// A Kubernetes Deployment rolled back as `kubectl rollout undo` or `kubectl set image` would, then watched as
// `kubectl rollout status` does (rollout.ts). Revisions are the controller's `deployment.kubernetes.io/revision`
// annotations on the Deployment and the ReplicaSets it owns; an undo copies the chosen ReplicaSet's pod template
// (without its pod-template-hash label) back into the Deployment. Every write is one JSON patch guarded by the read
// resourceVersion (KubeClient.modify) that also records `kubernetes.io/change-cause`.
//
// How the rollback step uses it:
// - current() runs before plan(): plan is synchronous and describes the Deployment current() read.
// - previous() returns undefined when there is no lower revision: the step turns that into its ConfigError.
// - apply() with `revision` copies that ReplicaSet's template as is (its image wins over target.image, which is
//   then only for reporting); without, it sets target.image on the container. A target already running writes nothing.
// - A paused Deployment: apply() refuses with ConfigError (exit 2), as `kubectl rollout undo` does, telling to
//   `kubectl rollout resume` first — resuming ourselves would also roll out whatever was paused on purpose.
import { ConfigError } from '../errors.js';
import {
  DEPLOYMENT,
  KubeClient,
  REPLICASET,
  type KubeDeps,
  type JsonPatchOp,
  type KubeObject,
  type KubeRef,
} from './client.js';
import { waitForRollout, type RolloutResult } from './rollout.js';

export type { RolloutResult } from './rollout.js';

/** Which Deployment to roll back, from the step's inputs. */
export interface DeploymentSettings {
  deployment: string;
  namespace: string;
  /** The container whose image changes; may be empty when the pod has one container. */
  container?: string;
  /** Path(s) of the kubeconfig; empty: KUBECONFIG, ~/.kube/config, in-cluster. */
  kubeconfig?: string;
}

/** The Deployment as read now. */
export interface DeploymentState {
  /** `deployment.kubernetes.io/revision` (0 when the controller has not set it). */
  revision: number;
  container: string;
  image: string;
  generation: number;
  /** Facts for the summary besides the fields above (replicas, last change-cause, paused), one line each. */
  lines: string[];
}

/** Where to roll to: an image, and with `revision` that ReplicaSet's whole pod template (`rollout undo --to-revision`). */
export interface DeploymentTarget {
  image: string;
  revision?: number;
}

/** One revision in the Deployment's history. */
export interface Revision {
  revision: number;
  image: string;
  replicaSet: string;
}

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const HASH_LABEL = 'pod-template-hash';
/** Annotations an undo keeps from the Deployment instead of copying them from the ReplicaSet (kubectl's annotationsToSkip). */
const KEEP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

interface Container {
  name: string;
  image?: string;
}

const containersOf = (template: any): Container[] => (template?.spec?.containers ?? []) as Container[];
const revisionOf = (o: KubeObject) => Number(o.metadata?.annotations?.[REVISION_ANNOTATION] ?? 0) || 0;
const json = (v: unknown): any => JSON.parse(JSON.stringify(v ?? null));
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
/** `'it''s'` for a POSIX shell. */
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A pod template as a Deployment holds it: without the label the controller adds to its ReplicaSets. */
function withoutHash(template: unknown): any {
  const t = json(template);
  if (t?.metadata?.labels) {
    delete t.metadata.labels[HASH_LABEL];
    if (!Object.keys(t.metadata.labels).length) delete t.metadata.labels;
  }
  if (t?.metadata && t.metadata.creationTimestamp === null) delete t.metadata.creationTimestamp;
  return t;
}

/** The Deployment's selector as a `labelSelector` query (matchLabels and matchExpressions). */
export function selectorString(selector: any): string {
  const parts = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`);
  for (const e of (selector?.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    if (e.operator === 'In') parts.push(`${e.key} in (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export class DeploymentRollback {
  private readonly ref: KubeRef;
  /** The Deployment as current() last read it; plan() describes the change from there. */
  private read?: KubeObject;

  constructor(
    readonly client: KubeClient,
    private readonly settings: DeploymentSettings,
    private readonly deps: KubeDeps,
  ) {
    this.ref = { resource: DEPLOYMENT, namespace: settings.namespace, name: settings.deployment, input: 'deployment' };
  }

  static connect(settings: DeploymentSettings, deps: KubeDeps): DeploymentRollback {
    return new DeploymentRollback(KubeClient.connect(settings.kubeconfig, deps), settings, deps);
  }

  /** `Deployment default/web`. */
  get name(): string {
    return this.client.describe(this.ref);
  }

  /** The container the rollback changes: the `container` input, or the only one. ConfigError names the choices. */
  private container(template: any): Container {
    const all = containersOf(template);
    const names = all.map((c) => c.name).join(', ');
    const wanted = this.settings.container;
    if (wanted) {
      const found = all.find((c) => c.name === wanted);
      if (!found)
        throw new ConfigError(
          `Input 'container' is '${wanted}', but ${this.name} has no such container. Its containers: ${names}.`,
        );
      return found;
    }
    if (all.length !== 1) {
      throw new ConfigError(
        `${this.name} has ${all.length} containers (${names}): set input 'container' to the one to roll back.`,
      );
    }
    return all[0];
  }

  async current(): Promise<DeploymentState> {
    const dep = json(await this.client.get(this.ref)) as KubeObject;
    this.read = dep;
    const c = this.container(dep.spec?.template);
    const s = dep.status ?? {};
    const cause = dep.metadata?.annotations?.[CHANGE_CAUSE];
    // revision, container and image are fields of the state; the lines add what the caller cannot format itself.
    const lines = [
      `Replicas: ${s.availableReplicas ?? 0}/${dep.spec?.replicas ?? 1} available, ${s.updatedReplicas ?? 0} updated (generation ${dep.metadata?.generation ?? 0}, observed ${s.observedGeneration ?? 0})`,
      ...(cause ? [`Last change-cause: ${cause}`] : []),
      ...(dep.spec?.paused ? [`${this.name} is paused (kubectl rollout pause).`] : []),
    ];
    return {
      revision: revisionOf(dep),
      container: c.name,
      image: c.image ?? '',
      generation: dep.metadata?.generation ?? 0,
      lines,
    };
  }

  /** The ReplicaSets the Deployment owns (selected by its selector, controlled by its uid), newest revision first. */
  async history(): Promise<KubeObject[]> {
    const dep = this.read ?? json(await this.client.get(this.ref));
    const sets = (
      await this.client.list(REPLICASET, this.settings.namespace, selectorString(dep.spec?.selector), 'deployment')
    ).map((o) => json(o) as KubeObject);
    const uid = dep.metadata?.uid;
    return sets
      .filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid))
      .sort((a, b) => revisionOf(b) - revisionOf(a));
  }

  /** Every revision in the ReplicaSet history with its change-cause, newest first: `kubectl rollout history`. */
  async revisions(container: string): Promise<(Revision & { changeCause?: string })[]> {
    return (await this.history())
      .filter((rs) => revisionOf(rs) > 0)
      .map((rs) => ({
        revision: revisionOf(rs),
        image: this.imageIn(rs, container),
        replicaSet: rs.metadata?.name ?? '',
        changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE],
      }));
  }

  /** The image the changed container runs in a ReplicaSet's template (same name, else its only container). */
  private imageIn(rs: KubeObject, container: string): string {
    const all = containersOf(rs.spec?.template);
    return (all.find((c) => c.name === container) ?? (all.length === 1 ? all[0] : undefined))?.image ?? '';
  }

  /**
   * The highest revision below the current one, as `kubectl rollout undo` picks it; undefined when there is none.
   * `now` is what current() just returned, so the Deployment is not read twice.
   */
  async previous(now?: DeploymentState): Promise<Revision | undefined> {
    const state = now ?? (await this.current());
    const older = (await this.history()).find((rs) => revisionOf(rs) > 0 && revisionOf(rs) < state.revision);
    return (
      older && {
        revision: revisionOf(older),
        image: this.imageIn(older, state.container),
        replicaSet: older.metadata?.name ?? '',
      }
    );
  }

  /** The exact change apply() makes, as kubectl commands someone can rerun. Needs current() first. */
  plan(target: DeploymentTarget, cause: string): string[] {
    if (!this.read) throw new Error('DeploymentRollback.plan() needs current() first');
    const dep = this.read;
    const c = this.container(dep.spec?.template);
    const { namespace, deployment } = this.settings;
    const obj = `deployment/${deployment}`;
    const from = `${this.name}: revision ${revisionOf(dep)} (${c.name}=${c.image})`;
    const annotate = `kubectl -n ${namespace} annotate ${obj} ${CHANGE_CAUSE}=${quote(cause)} --overwrite`;
    if (target.revision !== undefined) {
      return [
        `${from} → the pod template of revision ${target.revision} (${c.name}=${target.image}), as a new revision`,
        `kubectl -n ${namespace} rollout undo ${obj} --to-revision=${target.revision}`,
        annotate,
      ];
    }
    if (c.image === target.image) return [`${from} already runs ${target.image}: no change.`];
    return [
      `${from} → ${c.name}=${target.image}`,
      `kubectl -n ${namespace} set image ${obj} ${c.name}=${target.image}`,
      annotate,
    ];
  }

  /** True when apply(target) would change nothing: the template already is the target. Needs current() first. */
  alreadyThere(target: DeploymentTarget): boolean {
    const c = this.read && this.container(this.read.spec?.template);
    return target.revision === undefined && c?.image === target.image;
  }

  /** Rolls the Deployment to `target` in one JSON patch (template + change-cause), guarded by resourceVersion. */
  async apply(target: DeploymentTarget, cause: string): Promise<void> {
    const source = target.revision === undefined ? undefined : await this.replicaSet(target.revision);
    const written = await this.client.modify(this.ref, (current) => {
      const dep = json(current) as KubeObject;
      if (dep.spec?.paused) {
        throw new ConfigError(
          `${this.name} is paused: a rollback would not roll out (input 'deployment' is '${this.settings.deployment}'). Resume it first with 'kubectl -n ${this.settings.namespace} rollout resume deployment/${this.settings.deployment}', or roll back by hand.`,
        );
      }
      const ops = source ? this.undo(dep, source, cause) : this.setImage(dep, target.image, cause);
      return ops && { type: 'json', ops };
    });
    this.read = json(written);
  }

  /** The ReplicaSet of `revision`; ConfigError listing the revisions there are. */
  private async replicaSet(revision: number): Promise<KubeObject> {
    const sets = await this.history();
    const found = sets.find((rs) => revisionOf(rs) === revision);
    if (!found) {
      const known =
        sets
          .map(revisionOf)
          .filter((r) => r > 0)
          .join(', ') || 'none';
      throw new ConfigError(
        `${this.name} has no revision ${revision} in its ReplicaSet history (revisions: ${known}). Pick one of them, or give an image in input 'to'.`,
      );
    }
    return found;
  }

  private causeOp(dep: KubeObject, cause: string): JsonPatchOp {
    if (!dep.metadata?.annotations)
      return { op: 'add', path: '/metadata/annotations', value: { [CHANGE_CAUSE]: cause } };
    return {
      op: 'add',
      path: `/metadata/annotations/${CHANGE_CAUSE.replace(/~/g, '~0').replace(/\//g, '~1')}`,
      value: cause,
    };
  }

  /** `rollout undo`: the ReplicaSet's template and its annotations (except the controller's own), plus the cause. */
  private undo(dep: KubeObject, rs: KubeObject, cause: string): JsonPatchOp[] | undefined {
    const template = withoutHash(rs.spec?.template);
    if (canonical(template) === canonical(withoutHash(dep.spec?.template))) {
      this.deps.platform.info(`${this.name} already runs the template of revision ${revisionOf(rs)}: nothing to undo.`);
      return undefined;
    }
    const annotations: Record<string, string> = { ...dep.metadata?.annotations };
    for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!KEEP.has(k)) annotations[k] = v;
    annotations[CHANGE_CAUSE] = cause;
    return [
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'add', path: '/metadata/annotations', value: annotations },
    ];
  }

  /** `set image`: one container's image, checked by name so a reordered list cannot hit the wrong one. */
  private setImage(dep: KubeObject, image: string, cause: string): JsonPatchOp[] | undefined {
    const c = this.container(dep.spec?.template);
    if (c.image === image) {
      this.deps.platform.info(`${this.name} container '${c.name}' already runs ${image}: nothing to change.`);
      return undefined;
    }
    const i = containersOf(dep.spec?.template).indexOf(c);
    return [
      { op: 'test', path: `/spec/template/spec/containers/${i}/name`, value: c.name },
      { op: 'replace', path: `/spec/template/spec/containers/${i}/image`, value: image },
      this.causeOp(dep, cause),
    ];
  }

  /** Waits as `kubectl rollout status` does, polling through the injected clock. */
  waitForRollout(timeoutMs: number): Promise<RolloutResult> {
    return waitForRollout(() => this.client.get(this.ref).then(json), this.deps.clock, timeoutMs);
  }
}
