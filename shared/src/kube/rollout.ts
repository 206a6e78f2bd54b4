// Waiting for a Deployment rollout with the rules of `kubectl rollout status` (kubectl's DeploymentStatusViewer): the
// controller must have observed the latest generation, every replica must be updated, old ones gone, and the updated
// ones available; a Progressing condition with reason ProgressDeadlineExceeded ends the wait as a failure.
import type { Clock } from '../clock.js';
import { formatDuration } from '../duration.js';
import type { KubeObject } from './client.js';

/** One look at a Deployment, as kubectl prints it. */
export interface RolloutStatus {
  done: boolean;
  /** The controller gave up (progress deadline exceeded). */
  failed: boolean;
  message: string;
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

function progressing(dep: KubeObject): Condition | undefined {
  return ((dep.status?.conditions ?? []) as Condition[]).find((c) => c.type === 'Progressing');
}

/** kubectl's verdict on one read of the Deployment. */
export function rolloutStatus(dep: KubeObject): RolloutStatus {
  const name = dep.metadata?.name ?? '';
  const s = dep.status ?? {};
  const wait = (message: string): RolloutStatus => ({
    done: false,
    failed: false,
    message: `Waiting for deployment "${name}" rollout to finish: ${message}`,
  });
  if ((dep.metadata?.generation ?? 0) > (s.observedGeneration ?? 0)) {
    return { done: false, failed: false, message: 'Waiting for deployment spec update to be observed...' };
  }
  if (progressing(dep)?.reason === 'ProgressDeadlineExceeded') {
    return { done: false, failed: true, message: `deployment "${name}" exceeded its progress deadline` };
  }
  const desired = dep.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const replicas = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  if (updated < desired) return wait(`${updated} out of ${desired} new replicas have been updated...`);
  if (replicas > updated) return wait(`${replicas - updated} old replicas are pending termination...`);
  if (available < updated) return wait(`${available} of ${updated} updated replicas are available...`);
  return { done: true, failed: false, message: `deployment "${name}" successfully rolled out` };
}

/** Replica counts in a few words: `1/3 updated, 3 available, 4 running in total`. */
function replicaCounts(dep: KubeObject): string {
  const s = dep.status ?? {};
  return `${s.updatedReplicas ?? 0}/${dep.spec?.replicas ?? 1} updated, ${s.availableReplicas ?? 0} available, ${s.replicas ?? 0} running in total`;
}

/** The state a failed rollout leaves, for the summary: replica counts and the Progressing condition. */
export function rolloutState(dep: KubeObject): string {
  const cond = progressing(dep);
  const condition = cond
    ? `; Progressing=${cond.status} ${cond.reason ?? ''}${cond.message ? `: ${cond.message.replace(/\.$/, '')}` : ''}`
    : '';
  return `State: ${replicaCounts(dep)} (generation ${dep.metadata?.generation ?? 0}, observed ${dep.status?.observedGeneration ?? 0})${condition}.`;
}

/** How a wait ended; a failed rollout is a result, never an exception. */
export interface RolloutResult {
  ok: boolean;
  reason: string;
  /** Each distinct status seen, with the time since the wait began, then the final state when it failed. */
  lines: string[];
  elapsedMs: number;
}

/** First poll after this long, doubling up to MAX_POLL_MS: quick rollouts end quickly, long ones cost few reads. */
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 2000;

/** Polls `read` through `clock` until the rollout is done, failed, or `timeoutMs` passed. API errors propagate. */
export async function waitForRollout(
  read: () => Promise<KubeObject>,
  clock: Clock,
  timeoutMs: number,
): Promise<RolloutResult> {
  const start = clock.now();
  const lines: string[] = [];
  let poll = FIRST_POLL_MS;
  for (;;) {
    const dep = await read();
    const status = rolloutStatus(dep);
    const elapsedMs = clock.now() - start;
    const line = `${formatDuration(elapsedMs)}: ${status.message}`;
    if (!lines.length || !lines[lines.length - 1].endsWith(`: ${status.message}`)) lines.push(line);
    if (status.done) return { ok: true, reason: status.message, lines, elapsedMs };
    // A failure's reason carries the replica counts, so the one line a summary shows says what state is left.
    if (status.failed) {
      const reason = `${status.message} (progressDeadlineSeconds ${dep.spec?.progressDeadlineSeconds ?? 600}); ${replicaCounts(dep)}`;
      return { ok: false, reason, lines: [...lines, rolloutState(dep)], elapsedMs };
    }
    if (elapsedMs >= timeoutMs) {
      const reason = `the rollout did not finish within input 'timeout' (${formatDuration(timeoutMs)}): ${status.message} ${replicaCounts(dep)}`;
      return { ok: false, reason, lines: [...lines, rolloutState(dep)], elapsedMs };
    }
    await clock.sleep(Math.min(poll, timeoutMs - elapsedMs));
    poll = Math.min(poll * 2, MAX_POLL_MS);
  }
}
