// The arithmetic of the simulated Deployment controller (kube-rollout.ts): how templates are compared and hashed,
// and how many pods a rolling update has after a number of controller passes.
import { createHash } from 'node:crypto';

export const REVISION = 'deployment.kubernetes.io/revision';
export const HASH_LABEL = 'pod-template-hash';

export const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** The template as the controller compares templates: without the pod-template-hash label (nor a null creationTimestamp). */
export function withoutHash(template: any): any {
  const t = copy(template ?? {});
  if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
  if (t.metadata && t.metadata.creationTimestamp == null) delete t.metadata.creationTimestamp;
  return t;
}

export const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/** A stable 10-character hash of a template, in the alphabet the controller's SafeEncodeString uses. */
export function templateHash(template: unknown): string {
  const digest = createHash('sha256')
    .update(canonical(withoutHash(template)))
    .digest();
  return [...digest.subarray(0, 10)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** What a rollout starts from. */
export interface PodCounts {
  replicas: number;
  /** Pods of the new ReplicaSet already available (an undo back to a set still serving). */
  startAvailable: number;
  /** Pods of the set that served before (0 when there is none), and how many of them are available. */
  oldReplicas: number;
  oldAvailable: number;
  /** The new pods never become ready. */
  broken: boolean;
}

/**
 * Pods after `steps` passes of the controller under the RollingUpdate defaults (maxSurge 25 % rounded up,
 * maxUnavailable 25 % rounded down, at least one of them): each pass the pods created in the last one become
 * ready (never, for a broken image), old pods go while enough stay available, and new ones are created up to the
 * surge limit. A broken rollout therefore stalls with one surge pod, as on a cluster.
 */
export function podsAt(
  r: PodCounts,
  steps: number,
): { updated: number; fresh: number; old: number; oldAvailable: number } {
  const n = r.replicas;
  const surge = Math.ceil(n / 4);
  const unavailable = Math.floor(n / 4) || (surge ? 0 : 1);
  let updated = r.startAvailable;
  let fresh = r.startAvailable;
  let old = r.oldReplicas;
  let oldAvailable = Math.min(old, r.oldAvailable);
  for (let i = 0; i < Math.min(steps, 100_000); i++) {
    const before = `${updated}/${fresh}/${old}/${oldAvailable}`;
    if (!r.broken) fresh = updated;
    if (updated > n) updated = fresh = n;
    // Unready old pods go first, then ready ones while the minimum stays available.
    old = oldAvailable;
    const removable = Math.max(0, fresh + oldAvailable - (n - unavailable));
    old = Math.max(0, old - removable);
    oldAvailable = Math.min(oldAvailable, old);
    updated += Math.max(0, Math.min(n - updated, n + surge - updated - old));
    if (`${updated}/${fresh}/${old}/${oldAvailable}` === before) break;
  }
  return { updated, fresh, old, oldAvailable };
}
