import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../shared/src/clock.js';
import { ConfigError, ExternalError } from '../../shared/src/errors.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import type { BackendModule } from '../../shared/src/traffic/backend.js';
import { gatewayApi as gatewayApiBackend } from '../../shared/src/traffic/gateway-api/index.js';
import { istio as istioBackend } from '../../shared/src/traffic/istio/index.js';
import { KubeClient, SERVICE } from '../../shared/src/kube/client.js';
import { loadKubeConfig } from '../../shared/src/kube/config.js';
import { kubernetes as kubernetesBackend } from '../../shared/src/traffic/kubernetes/index.js';
import { patches, seedHttpRoute, seedService, seedVirtualService } from '../../shared/src/kube/testing/fixtures.js';
import { backendFor } from '../../shared/src/traffic/testing/build.js';
import { SERVICES, type KubeObject, type ResourceType } from '../../shared/src/kube/testing/resources.js';
import { HTTP_ROUTES, VIRTUAL_SERVICES } from '../../shared/src/kube/testing/crds.js';
import { kubeconfigYaml, kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';
import { closedPort } from '../../shared/src/http/testing/servers.js';

// What each Kubernetes backend does when the API server answers badly: conflicts, missing objects, RBAC, no server.
let server: KubeServer;
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), 'shipgate-kube-faults-'));

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(dir);
});
afterAll(() => server.close());

interface Case {
  factory: BackendModule;
  type: ResourceType;
  input: string;
  seed: (s: KubeServer, name: string) => KubeObject;
  /** What "routes green" looks like in the stored object. */
  green: (o: KubeObject) => boolean;
}

const cases: Case[] = [
  {
    factory: kubernetesBackend,
    type: SERVICES,
    input: 'service',
    seed: (s, n) => seedService(s, n),
    green: (o) => o.spec.selector.color === 'green',
  },
  {
    factory: istioBackend,
    type: VIRTUAL_SERVICES,
    input: 'virtual-service',
    seed: (s, n) => seedVirtualService(s, n),
    green: (o) => o.spec.http[1].route.find((d: any) => d.destination.subset === 'green')?.weight === 100,
  },
  {
    factory: gatewayApiBackend,
    type: HTTP_ROUTES,
    input: 'http-route',
    seed: (s, n) => seedHttpRoute(s, n),
    green: (o) => o.spec.rules[1].backendRefs.find((r: any) => r.name.endsWith('-green'))?.weight === 100,
  },
];

const GREEN = { blue: 0, green: 100 };
let n = 0;

describe.each(cases)('$factory.name backend faults', (c) => {
  const fresh = () => {
    const name = `web${++n}`;
    c.seed(server, name);
    // Gateway API backendRefs are named `<service>-<colour>`, as seeded.
    const inputs = { [c.input]: name, kubeconfig, ...(c.factory.name === 'gateway-api' ? { service: name } : {}) };
    return { name, inputs, stored: () => server.store.get(c.type, 'default', name)! };
  };

  it('retries a 409 conflict with a fresh read and keeps the concurrent change', async () => {
    const { name, inputs, stored } = fresh();
    server.interfere(
      c.type,
      'default',
      name,
      (o) => void (o.metadata.labels = { ...o.metadata.labels, touched: 'by-someone-else' }),
    );
    const { backend, log } = backendFor(c.factory, inputs);
    await backend.apply(GREEN);
    expect(patches(server, `/${c.type.plural}/${name}`).map((p) => p.status)).toEqual([409, 200]);
    expect(c.green(stored())).toBe(true);
    expect(stored().metadata.labels?.touched).toBe('by-someone-else');
    expect(log.join('')).toMatch(
      /changed while Shipgate was writing it \(409 Conflict\); reading it again \(attempt 2 of 5\)/,
    );
  });

  it('gives up after 5 conflicts in a row with exit 3 and nothing applied', async () => {
    const { name, inputs, stored } = fresh();
    server.interfere(
      c.type,
      'default',
      name,
      (o) => void (o.metadata.annotations = { ...o.metadata.annotations, n: String(Math.random()) }),
      5,
    );
    const err = await backendFor(c.factory, inputs)
      .backend.apply(GREEN)
      .catch((e) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect(err.message).toMatch(/409 Conflict 5 times.*nothing was applied/);
    expect(patches(server, `/${c.type.plural}/${name}`).map((p) => p.status)).toEqual([409, 409, 409, 409, 409]);
    expect(c.green(stored())).toBe(false);
  });

  it('names the object, its input and the namespace when it does not exist (exit 2)', async () => {
    const { inputs } = fresh();
    const err = await backendFor(c.factory, { ...inputs, [c.input]: 'missing', namespace: 'shop' })
      .backend.active()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(
      `${c.type.kind} shop/missing does not exist (404): input '${c.input}' is 'missing' and input 'namespace' is 'shop'`,
    );
  });

  it('reports an RBAC refusal with the verb and resource (exit 3), leaving the object as it was', async () => {
    const { inputs, stored } = fresh();
    const before = stored().metadata.resourceVersion;
    server.deny({ verb: 'patch', resource: c.type.plural, namespace: 'default' });
    try {
      const err = await backendFor(c.factory, inputs)
        .backend.apply(GREEN)
        .catch((e) => e);
      expect(err).toBeInstanceOf(ExternalError);
      const res = c.type.group ? `${c.type.plural}.${c.type.group}` : c.type.plural;
      expect(err.message).toContain(`refused to patch ${res} in namespace 'default' (RBAC)`);
      expect(err.message).toContain(`cannot patch resource "${c.type.plural}"`);
      expect(stored().metadata.resourceVersion).toBe(before);
    } finally {
      server.allowAll();
    }
  });

  it('reports an unreachable API server with exit 3', async () => {
    const { name, inputs } = fresh();
    const file = join(dir, `closed-${name}.yaml`);
    writeFileSync(file, kubeconfigYaml(`https://127.0.0.1:${await closedPort()}`, server.ca, server.token));
    const err = await backendFor(c.factory, { ...inputs, kubeconfig: file })
      .backend.active()
      .catch((e) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(
      /The Kubernetes API at https:\/\/127\.0\.0\.1:\d+ is unreachable \(get .*\): .*ECONNREFUSED/,
    );
  });

  it('reports rejected credentials (401) with exit 3 and does not print the token', async () => {
    const { inputs } = fresh();
    const file = join(dir, `bad-token-${n}.yaml`);
    writeFileSync(file, kubeconfigYaml(server.url, server.ca, 'wrong-token-123'));
    const { backend, log } = backendFor(c.factory, { ...inputs, kubeconfig: file });
    const err = await backend.active().catch((e) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect(err.message).toContain('rejected the credentials (401 Unauthorized)');
    expect(log.join('')).not.toContain('wrong-token-123');
  });
});

describe('KubeClient against an API server that accepts connections and never answers', () => {
  it('gives up after its timeout with exit 3 instead of hanging the job', async () => {
    const sockets: Socket[] = [];
    const hung = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const file = join(dir, 'hung.yaml');
      writeFileSync(
        file,
        kubeconfigYaml(`https://127.0.0.1:${(hung.address() as { port: number }).port}`, server.ca, server.token),
      );
      const platform = new LocalPlatform({ env: {}, stderr: () => {} });
      const client = new KubeClient(() => loadKubeConfig(file, platform), { platform, clock: realClock }, 300);
      const err = await client
        .get({ resource: SERVICE, namespace: 'default', name: 'web', input: 'service' })
        .catch((e) => e);
      expect(err).toBeInstanceOf(ExternalError);
      expect(err.message).toMatch(/is unreachable \(get Service default\/web\): no answer within 0\.3s/);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});
