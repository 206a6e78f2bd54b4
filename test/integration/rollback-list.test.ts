// rollback --list: the targets a rollback could go to, read where the rollback reads them, and nothing changed.
// Kubernetes against the contract server with its simulated controller, checked against kubectl's own
// `rollout history`; blue-green on a real HAProxy with a state file; release tags in a real git repository.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import { haproxyWeights, startHaproxy, type Haproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { kubectl, patches, seedDeployment } from '../../shared/src/kube/testing/fixtures.js';
import { simulateRollouts, type RolloutSimulation } from '../../shared/src/kube/testing/rollout.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';
import { runRollback } from '../helpers/rollback.js';
import { TempRepo } from '../../shared/src/git/testing/temp-repo.js';

let server: KubeServer;
let kubeconfig: string;
let sim: RolloutSimulation;
let haproxy: Haproxy;
let pair: Awaited<ReturnType<typeof colourPair>>;
const dir = mkdtempSync(join(tmpdir(), 'shipgate-rollback-list-'));

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(dir);
  sim = simulateRollouts(server, { stepMs: 1 });
  pair = await colourPair();
  haproxy = await startHaproxy({ servers: { green: pair.green.address, blue: pair.blue.address } });
}, 60_000);
afterAll(async () => {
  await haproxy?.stop();
  await pair?.close();
  await server?.close();
});

const IMAGES = ['registry.test/app:1.0.0', 'registry.test/app:1.1.0', 'registry.test/app:1.2.0'];

/** `kubectl rollout history` rows: revision → change-cause. */
function historyRows(text: string): [string, string][] {
  return text
    .split('\n')
    .filter((l) => /^\d+\s/.test(l))
    .map((l) => {
      const [, rev, cause] = /^(\d+)\s+(.*?)\s*$/.exec(l)!;
      return [rev, cause];
    });
}

describe('rollback --list', () => {
  it('kubernetes: the ReplicaSet revisions with change-cause, as kubectl rollout history lists them, and nothing patched', async () => {
    seedDeployment(server, sim, 'web', IMAGES);
    const r = await runRollback({ provider: 'kubernetes', deployment: 'web', kubeconfig, list: 'true' });
    expect(r.code, r.log).toBe(0);
    const history = await kubectl(kubeconfig, 'rollout', 'history', 'deployment/web');
    expect(history.code, history.stderr).toBe(0);
    const expected = historyRows(history.stdout);
    expect(expected.map(([rev]) => rev)).toEqual(['1', '2', '3']);
    const listed = r.log.split('\n').flatMap((l) => {
      const m = /^([*<]?)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l);
      return m ? [{ mark: m[1], revision: m[2], image: m[3], cause: m[4] }] : [];
    });
    expect(listed.map((l) => [l.revision, l.cause]).sort()).toEqual(expected.sort());
    expect(listed.map((l) => l.image)).toEqual([...IMAGES].reverse());
    expect(listed.map((l) => l.mark)).toEqual(['*', '<', '']);
    expect(r.log).toContain('| runs now | 3 | registry.test/app:1.2.0 | deploy registry.test/app:1.2.0 |');
    expect(patches(server, '/deployments/web')).toEqual([]);
  });

  it('kubernetes with image-name: the release tags in git as images, newest first, pre-releases left out', async () => {
    seedDeployment(server, sim, 'api', ['registry.test/api:1.2.0']);
    const repo = TempRepo.create();
    for (const v of ['1.0.0', '1.1.0', '1.2.0']) {
      repo.commit(`feat: ${v}`);
      repo.tag(`v${v}`);
    }
    repo.tag('v1.3.0-rc.1');
    const before = process.cwd();
    process.chdir(repo.dir);
    try {
      const r = await runRollback({
        provider: 'kubernetes',
        deployment: 'api',
        kubeconfig,
        'image-name': 'registry.test/api',
        list: 'true',
      });
      expect(r.code, r.log).toBe(0);
      const rows = r.log
        .split('\n')
        .filter((l) => /^[*<]?\s+v\d/.test(l))
        .map((l) => l.trim().split(/\s+/));
      expect(rows).toEqual([
        ['*', 'v1.2.0', 'registry.test/api:1.2.0'],
        ['<', 'v1.1.0', 'registry.test/api:1.1.0'],
        ['v1.0.0', 'registry.test/api:1.0.0'],
      ]);
    } finally {
      process.chdir(before);
      repo.remove();
    }
  });

  it('blue-green: the colours with their traffic and the state file record, without a record needed and nothing moved', async () => {
    const stateFile = join(dir, 'web.json');
    writeFileSync(
      stateFile,
      JSON.stringify({
        active: 'green',
        previous: 'blue',
        weights: { blue: 0, green: 100 },
        time: '2024-05-01T10:00:00.000Z',
        who: 'octocat',
      }),
    );
    const flags = {
      provider: 'blue-green',
      backend: 'haproxy',
      'haproxy-socket': haproxy.socket,
      'haproxy-backend': 'web',
      list: 'true',
    };
    const r = await runRollback({ ...flags, 'state-file': stateFile });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(/^\*\s+green\s+100 %\s+active since 2024-05-01T10:00:00\.000Z \(octocat\)$/m);
    expect(r.log).toMatch(/^<\s+blue\s+0 %\s+previous: the rollback target$/m);
    expect(await haproxyWeights(haproxy)).toEqual({ green: 100, blue: 0 });
    // without a state file a rollback has no target, but the list still shows what routes where
    const bare = await runRollback(flags);
    expect(bare.code, bare.log).toBe(0);
    expect(bare.log).toMatch(/^\*\s+green\s+100 %$/m);
  });
});
