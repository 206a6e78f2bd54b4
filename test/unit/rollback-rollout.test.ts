import { describe, expect, it } from 'vitest';
import { rolloutState, rolloutStatus, waitForRollout } from '../../shared/src/kube/rollout.js';
import { selectorString } from '../../shared/src/kube/deployment.js';
import { FakeClock } from '../../shared/src/clock.js';
import type { KubeObject } from '../../shared/src/kube/client.js';

// kubectl rollout status's rules on plain Deployment objects, and the wait loop on a FakeClock (no sleeping).
function dep(
  generation: number,
  status: Record<string, unknown>,
  replicas = 3,
  conditions: unknown[] = [],
): KubeObject {
  return {
    metadata: { name: 'web', generation },
    spec: { replicas, progressDeadlineSeconds: 60 },
    status: { ...status, conditions },
  };
}

const deadline = {
  type: 'Progressing',
  status: 'False',
  reason: 'ProgressDeadlineExceeded',
  message: 'ReplicaSet "web-abc" has timed out progressing.',
};

describe('rolloutStatus (kubectl rollout status)', () => {
  it('waits for the generation to be observed before reading anything else', () => {
    expect(
      rolloutStatus(
        dep(4, { observedGeneration: 3, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }, 3, [deadline]),
      ),
    ).toEqual({
      done: false,
      failed: false,
      message: 'Waiting for deployment spec update to be observed...',
    });
  });

  it('reports updated, old and available replicas in kubectl order, then success', () => {
    expect(
      rolloutStatus(dep(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 4, availableReplicas: 3 })).message,
    ).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
    expect(
      rolloutStatus(dep(2, { observedGeneration: 2, updatedReplicas: 3, replicas: 4, availableReplicas: 3 })).message,
    ).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(
      rolloutStatus(dep(2, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message,
    ).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
    expect(
      rolloutStatus(dep(2, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 })),
    ).toEqual({ done: true, failed: false, message: 'deployment "web" successfully rolled out' });
  });

  it('fails on ProgressDeadlineExceeded once the generation is observed', () => {
    const d = dep(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 4, availableReplicas: 3 }, 3, [deadline]);
    expect(rolloutStatus(d)).toEqual({
      done: false,
      failed: true,
      message: 'deployment "web" exceeded its progress deadline',
    });
    expect(rolloutState(d)).toBe(
      'State: 1/3 updated, 3 available, 4 running in total (generation 2, observed 2); Progressing=False ProgressDeadlineExceeded: ReplicaSet "web-abc" has timed out progressing.',
    );
  });
});

describe('waitForRollout', () => {
  it('polls with a growing interval, records each distinct status once, and ends on success', async () => {
    const clock = new FakeClock();
    const seen = [
      dep(2, { observedGeneration: 1, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
      dep(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 4, availableReplicas: 3 }),
      dep(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 4, availableReplicas: 3 }),
      dep(2, { observedGeneration: 2, updatedReplicas: 3, replicas: 3, availableReplicas: 3 }),
    ];
    const at: number[] = [];
    const result = await waitForRollout(async () => (at.push(clock.now()), seen.shift()!), clock, 60_000);
    expect(at).toEqual([0, 250, 750, 1750]);
    expect(result).toEqual({
      ok: true,
      reason: 'deployment "web" successfully rolled out',
      lines: [
        '0ms: Waiting for deployment spec update to be observed...',
        '250ms: Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
        '1.8s: deployment "web" successfully rolled out',
      ],
      elapsedMs: 1750,
    });
  });

  it('ends at the timeout exactly, not a poll later, with the state', async () => {
    const clock = new FakeClock();
    const stuck = dep(2, { observedGeneration: 2, updatedReplicas: 1, replicas: 4, availableReplicas: 3 });
    const result = await waitForRollout(async () => stuck, clock, 5000);
    expect(result.ok).toBe(false);
    expect(result.elapsedMs).toBe(5000);
    expect(result.reason).toBe(
      'the rollout did not finish within input \'timeout\' (5s): Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated... 1/3 updated, 3 available, 4 running in total',
    );
    expect(result.lines.at(-1)).toBe('State: 1/3 updated, 3 available, 4 running in total (generation 2, observed 2).');
  });

  it('lets API errors through: a failed read is not a failed rollout', async () => {
    await expect(waitForRollout(() => Promise.reject(new Error('forbidden')), new FakeClock(), 1000)).rejects.toThrow(
      'forbidden',
    );
  });
});

describe('selectorString', () => {
  it('writes matchLabels and matchExpressions as a labelSelector query', () => {
    expect(
      selectorString({
        matchLabels: { app: 'web', tier: 'front' },
        matchExpressions: [
          { key: 'track', operator: 'In', values: ['stable', 'canary'] },
          { key: 'env', operator: 'NotIn', values: ['dev'] },
          { key: 'team', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier=front,track in (stable,canary),env notin (dev),team,!legacy');
  });
});
