import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { istio as istioBackend } from '../../shared/src/traffic/istio/index.js';
import { kubectlJson, patches, seedVirtualService } from '../../shared/src/kube/testing/fixtures.js';
import { backendFor, recordPrevious, recordedPrevious } from '../../shared/src/traffic/testing/build.js';
import { SERVICES } from '../../shared/src/kube/testing/resources.js';
import { VIRTUAL_SERVICES } from '../../shared/src/kube/testing/crds.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';

// The Istio backend against the Kubernetes contract server; kubectl reads the VirtualService back through discovery.
let server: KubeServer;
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), 'shipgate-kube-istio-'));

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(dir);
});
afterAll(() => server.close());

let n = 0;
let name: string;
beforeEach(() => {
  name = `web${++n}`;
  seedVirtualService(server, name);
});

const build = (extra: Record<string, string> = {}) =>
  backendFor(istioBackend, { 'virtual-service': name, kubeconfig, ...extra });
const appRoute = async () =>
  (await kubectlJson(kubeconfig, 'get', 'virtualservices.networking.istio.io', name)).spec.http[1].route;

describe('istio backend (VirtualService weights)', () => {
  it('reads a lone colour destination as 100 % and ignores routes without colour subsets', async () => {
    const { backend } = build();
    expect(backend.selectorOnly).toBe(false);
    const state = await backend.active();
    expect(state).toMatchObject({ active: 'blue', weights: { blue: 100, green: 0 } });
    expect(state.details).toEqual([`VirtualService default/${name} http[1] (app): blue 100, green 0`]);
  });

  it('plans the exact JSON patch, guarded by resourceVersion, without writing', async () => {
    const rv = server.store.get(VIRTUAL_SERVICES, 'default', name)!.metadata.resourceVersion;
    const plan = await build().backend.plan({ blue: 90, green: 10 });
    expect(plan[0]).toBe(`VirtualService default/${name}: blue 100, green 0 → blue 90, green 10`);
    const ops = JSON.parse(/-p '(.*)'$/.exec(plan[1])![1]);
    expect(plan[1]).toMatch(
      new RegExp(`^kubectl -n default patch virtualservices\\.networking\\.istio\\.io ${name} --type=json -p `),
    );
    expect(ops).toEqual([
      { op: 'replace', path: '/metadata/resourceVersion', value: rv },
      { op: 'add', path: '/spec/http/1/route/0/weight', value: 90 },
      {
        op: 'add',
        path: '/spec/http/1/route/-',
        value: { destination: { host: name, subset: 'green', port: { number: 80 } }, weight: 10 },
      },
    ]);
    expect(patches(server, `/virtualservices/${name}`)).toEqual([]);
  });

  it('moves traffic in weighted steps; kubectl reads each step back', async () => {
    const { backend } = build();
    for (const green of [10, 50, 100]) {
      await backend.apply({ blue: 100 - green, green });
      const route = await appRoute();
      expect(route.map((d: any) => [d.destination.subset, d.weight])).toEqual([
        ['blue', 100 - green],
        ['green', green],
      ]);
      expect((await backend.verify({ blue: 100 - green, green })).weights).toEqual({ blue: 100 - green, green });
    }
    expect((await backend.active()).active).toBe('green');
    const sent = patches(server, `/virtualservices/${name}`);
    expect(sent.map((p) => [p.contentType, p.status])).toEqual(Array(3).fill(['application/json-patch+json', 200]));
    // The route to the CDN was never touched, and the generation counted three spec changes.
    const vs = await kubectlJson(kubeconfig, 'get', 'vs', name);
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: 'cdn' } }]);
    expect(vs.metadata.generation).toBe(4);
  });

  it('verify fails when the object routes something else', async () => {
    await expect(build().backend.verify({ blue: 50, green: 50 })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('http[1] (app) has blue 100, green 0'),
    });
  });

  it('refuses a colour route that also sends traffic elsewhere, before any write', async () => {
    const vs = server.store.get(VIRTUAL_SERVICES, 'default', name)!;
    vs.spec.http[1].route = [
      { destination: { host: name, subset: 'blue' }, weight: 80 },
      { destination: { host: name, subset: 'canary' }, weight: 20 },
    ];
    server.store.update(VIRTUAL_SERVICES, 'default', name, vs);
    const { backend } = build();
    await expect(backend.active()).rejects.toThrow(ConfigError);
    await expect(backend.apply({ blue: 0, green: 100 })).rejects.toThrow(/also routes to web\d+\/canary/);
    expect(patches(server, `/virtualservices/${name}`)).toEqual([]);
  });

  it('names the input when no route uses the colour subsets', async () => {
    await expect(build({ colors: 'stable,next' }).backend.active()).rejects.toThrow(
      /input 'virtual-service'.*subset stable or next/,
    );
  });

  it('records the previous colour as an annotation', async () => {
    const { backend } = build();
    await recordPrevious(backend, 'blue');
    expect((await kubectlJson(kubeconfig, 'get', 'vs', name)).metadata.annotations).toEqual({
      'shipgate.dev/previous-color': 'blue',
    });
    expect(await recordedPrevious(backend)).toBe('blue');
    expect(patches(server, `/virtualservices/${name}`)[0].contentType).toBe('application/merge-patch+json');
  });
});

describe('istio backend on a control plane that serves only networking.istio.io/v1beta1', () => {
  it('falls back to v1beta1 and keeps using it', async () => {
    const old = await kubeServer({ types: [SERVICES, { ...VIRTUAL_SERVICES, versions: ['v1beta1', 'v1alpha3'] }] });
    try {
      seedVirtualService(old, 'legacy');
      const { backend } = backendFor(istioBackend, { 'virtual-service': 'legacy', kubeconfig: old.kubeconfig(dir) });
      expect((await backend.active()).active).toBe('blue');
      await backend.apply({ blue: 0, green: 100 });
      expect((await backend.verify({ blue: 0, green: 100 })).active).toBe('green');
      const paths = old.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
      expect(paths[0]).toBe('GET /apis/networking.istio.io/v1/namespaces/default/virtualservices/legacy 404');
      expect(paths.slice(1)).toEqual([
        'GET /apis/networking.istio.io/v1beta1/namespaces/default/virtualservices/legacy 200',
        'GET /apis/networking.istio.io/v1beta1/namespaces/default/virtualservices/legacy 200',
        'PATCH /apis/networking.istio.io/v1beta1/namespaces/default/virtualservices/legacy 200',
        'GET /apis/networking.istio.io/v1beta1/namespaces/default/virtualservices/legacy 200',
      ]);
    } finally {
      await old.close();
    }
  });
});
