import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { patches } from '../../shared/src/kube/testing/fixtures.js';
import { DEPLOYMENTS } from '../../shared/src/kube/testing/resources.js';
import { seedDeployment, simulateRollouts, type RolloutSimulation } from '../../shared/src/kube/testing/rollout.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';
import { startRegistry, type TestRegistry } from '../../shared/src/registry/testing/registry.js';
import { pushImage, type PushedImage } from '../../shared/src/registry/testing/registry-push.js';
import { runRollback } from '../helpers/rollback.js';
import { TempRepo } from '../../shared/src/git/testing/temp-repo.js';

// The target image is checked in a real registry (Debian's docker-registry with htpasswd auth) before the Deployment
// is touched; the Deployment lives on the Kubernetes contract server with its simulated rollouts.
let registry: TestRegistry;
let server: KubeServer;
let sim: RolloutSimulation;
let kubeconfig: string;
let pushed: PushedImage;
const login = { REGISTRY_USERNAME: 'ci', REGISTRY_PASSWORD: 's3cret' };

beforeAll(async () => {
  [registry, server] = await Promise.all([startRegistry({ auth: 'basic', users: { ci: 's3cret' } }), kubeServer()]);
  pushed = await pushImage(registry, 'shop/web', '1.1.0');
  await pushImage(registry, 'shop/web', '1.2.0');
  kubeconfig = server.kubeconfig(mkdtempSync(join(tmpdir(), 'shipgate-rollback-registry-')));
  sim = simulateRollouts(server, { stepMs: 50 });
}, 60_000);
afterAll(async () => {
  await registry?.stop();
  await server?.close();
});

let n = 0;
let name: string;
beforeEach(() => {
  name = `web${++n}`;
  seedDeployment(
    server,
    sim,
    name,
    [`${registry.host}/shop/web:1.0.0`, `${registry.host}/shop/web:1.1.0`, `${registry.host}/shop/web:1.2.0`],
    { replicas: 2 },
  );
});

const image = () => server.store.get(DEPLOYMENTS, 'default', name)!.spec.template.spec.containers[0].image as string;
const flags = (extra: Record<string, string>) => ({
  provider: 'kubernetes',
  deployment: name,
  kubeconfig,
  timeout: '30s',
  ...extra,
});

describe('rollback checks the target image in its registry first', () => {
  it('rolls back to a version that exists, reporting its digest', async () => {
    const r = await runRollback(flags({ to: 'v1.1.0' }), login);
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({
      'rolled-back': 'true',
      triggered: 'false',
      from: `${registry.host}/shop/web:1.2.0`,
      to: `${registry.host}/shop/web:1.1.0`,
    });
    expect(r.log).toContain(
      `| Target image in its registry | ✅ \`${registry.host}/shop/web:1.1.0\` | \`${pushed.digest}\` |`,
    );
    expect(image()).toBe(`${registry.host}/shop/web:1.1.0`);
  });

  it('exits 3 and changes nothing when the target image is not in the registry', async () => {
    const r = await runRollback(flags({ to: `${registry.host}/shop/web:9.9.9` }), login);
    expect(r.code, r.log).toBe(3);
    expect(r.log).toContain(
      `Image ${registry.host}/shop/web:9.9.9 does not exist in registry ${registry.host} (manifest 9.9.9 not found)`,
    );
    expect(r.outputs).toEqual({});
    expect(patches(server, `/deployments/${name}`)).toEqual([]);
    expect(image()).toBe(`${registry.host}/shop/web:1.2.0`);
  });

  it('exits 3 naming the variables to set when the registry refuses anonymous access, and changes nothing', async () => {
    const r = await runRollback(flags({ to: '1.1.0' }));
    expect(r.code, r.log).toBe(3);
    expect(r.log).toContain(
      `Registry ${registry.host} refused to check ${registry.host}/shop/web:1.1.0 without credentials (HTTP 401`,
    );
    expect(r.log).toContain('set REGISTRY_USERNAME and REGISTRY_PASSWORD');
    expect(patches(server, `/deployments/${name}`)).toEqual([]);
  });

  it('checks the image of the previous revision too: a missing one stops the rollback', async () => {
    // a Deployment whose previous revision runs an image that is not (or no longer) in the registry
    name = `${name}-gone`;
    seedDeployment(server, sim, name, [`${registry.host}/shop/web:0.9.0`, `${registry.host}/shop/web:1.2.0`], {
      replicas: 2,
    });
    const r = await runRollback(flags({}), login);
    expect(r.code, r.log).toBe(3);
    expect(r.log).toContain(`Image ${registry.host}/shop/web:0.9.0 does not exist`);
    expect(image()).toBe(`${registry.host}/shop/web:1.2.0`);
  });

  it('with image and no to, goes to the release before the newest git tag of the repository it runs in', async () => {
    const repo = TempRepo.create();
    for (const tag of ['v1.0.0', 'v1.1.0', 'v1.2.0-rc.1', 'v1.2.0']) {
      repo.commit(`release ${tag}`);
      repo.tag(tag);
    }
    const cwd = process.cwd();
    process.chdir(repo.dir);
    try {
      const r = await runRollback(
        flags({ 'image-name': `${registry.host}/shop/web`, reason: 'latency after 1.2.0' }),
        login,
      );
      expect(r.code, r.log).toBe(0);
      expect(r.outputs).toMatchObject({ 'rolled-back': 'true', to: `${registry.host}/shop/web:1.1.0` });
      expect(r.log).toContain(
        `**Target:** \`${registry.host}/shop/web:1.1.0\`, from the release before v1.2.0: v1.1.0`,
      );
      expect(image()).toBe(`${registry.host}/shop/web:1.1.0`);
      expect(server.store.get(DEPLOYMENTS, 'default', name)!.metadata.annotations?.['kubernetes.io/change-cause']).toBe(
        'latency after 1.2.0',
      );
    } finally {
      process.chdir(cwd);
      repo.remove();
    }
  });
});
