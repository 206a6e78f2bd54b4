import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { gatewayApi as gatewayApiBackend } from '../../shared/src/traffic/gateway-api/index.js';
import { kubectlJson, patches, seedHttpRoute } from '../../shared/src/kube/testing/fixtures.js';
import { backendFor, recordPrevious, recordedPrevious } from '../../shared/src/traffic/testing/build.js';
import { HTTP_ROUTES } from '../../shared/src/kube/testing/crds.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';

// The Gateway API backend against the Kubernetes contract server; kubectl reads the HTTPRoute back.
let server: KubeServer;
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), 'shipgate-kube-gw-'));

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(dir);
});
afterAll(() => server.close());

let n = 0;
let name: string;
beforeEach(() => {
  name = `web${++n}`;
  seedHttpRoute(server, name);
});

const build = (extra: Record<string, string> = {}) =>
  backendFor(gatewayApiBackend, { 'http-route': name, service: name, kubeconfig, ...extra });
const refs = async () =>
  (await kubectlJson(kubeconfig, 'get', 'httproutes.gateway.networking.k8s.io', name)).spec.rules[1].backendRefs.map(
    (r: any) => [r.name, r.weight],
  );

describe('gateway-api backend (HTTPRoute backendRef weights)', () => {
  it('reads the colour backendRefs, with the CRD default weight, and ignores other rules', async () => {
    const state = await build().backend.active();
    expect(state).toMatchObject({ active: 'blue', weights: { blue: 100, green: 0 } });
    expect(state.details).toEqual([`HTTPRoute default/${name} rules[1]: blue 100, green 0`]);
  });

  it('plans the exact JSON patch: the green backendRef copied from blue, with its port', async () => {
    const rv = server.store.get(HTTP_ROUTES, 'default', name)!.metadata.resourceVersion;
    const plan = await build().backend.plan({ blue: 90, green: 10 });
    expect(plan[0]).toBe(`HTTPRoute default/${name}: blue 100, green 0 → blue 90, green 10`);
    expect(JSON.parse(/-p '(.*)'$/.exec(plan[1])![1])).toEqual([
      { op: 'replace', path: '/metadata/resourceVersion', value: rv },
      { op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: 90 },
      {
        op: 'add',
        path: '/spec/rules/1/backendRefs/-',
        value: { group: '', kind: 'Service', name: `${name}-green`, port: 8080, weight: 10 },
      },
    ]);
    expect(patches(server, `/httproutes/${name}`)).toEqual([]);
  });

  it('moves traffic in weighted steps and back; kubectl reads each step', async () => {
    const { backend } = build();
    for (const green of [10, 50, 100, 0]) {
      await backend.apply({ blue: 100 - green, green });
      expect(await refs()).toEqual([
        [`${name}-blue`, 100 - green],
        [`${name}-green`, green],
      ]);
      await backend.verify({ blue: 100 - green, green });
    }
    expect((await backend.active()).active).toBe('blue');
    expect(
      patches(server, `/httproutes/${name}`).every(
        (p) => p.contentType === 'application/json-patch+json' && p.status === 200,
      ),
    ).toBe(true);
    const route = await kubectlJson(kubeconfig, 'get', 'httproute', name);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'cdn', port: 80, weight: 1 }]);
  });

  it('reads relative weights as percentages', async () => {
    const route = server.store.get(HTTP_ROUTES, 'default', name)!;
    route.spec.rules[1].backendRefs = [
      { name: `${name}-blue`, port: 8080, weight: 3 },
      { name: `${name}-green`, port: 8080, weight: 1 },
    ];
    server.store.update(HTTP_ROUTES, 'default', name, route);
    expect((await build().backend.active()).weights).toEqual({ blue: 75, green: 25 });
  });

  it('uses backend-refs names when given', async () => {
    seedHttpRoute(server, `${name}-x`, 'default', 'web-v1');
    const { backend } = backendFor(gatewayApiBackend, {
      'http-route': `${name}-x`,
      'backend-refs': 'blue=web-v1,green=web-v2',
      kubeconfig,
    });
    await backend.apply({ blue: 50, green: 50 });
    const route = await kubectlJson(kubeconfig, 'get', 'httproute', `${name}-x`);
    expect(route.spec.rules[1].backendRefs.map((r: any) => [r.name, r.weight])).toEqual([
      ['web-v1', 50],
      ['web-v2', 50],
    ]);
    expect((await backend.active()).active).toBeUndefined();
  });

  it('needs service or backend-refs to name the backendRefs', () => {
    expect(() => backendFor(gatewayApiBackend, { 'http-route': name, kubeconfig })).toThrow(ConfigError);
    expect(() => backendFor(gatewayApiBackend, { 'http-route': name, kubeconfig })).toThrow(
      /input 'service'.*input 'backend-refs'/,
    );
  });

  it('refuses a colour rule that also routes to another Service, and a route without colour refs', async () => {
    const route = server.store.get(HTTP_ROUTES, 'default', name)!;
    route.spec.rules[1].backendRefs.push({ name: 'legacy', port: 80 });
    server.store.update(HTTP_ROUTES, 'default', name, route);
    await expect(build().backend.apply({ blue: 0, green: 100 })).rejects.toThrow(
      /rules\[1\] also sends traffic to Service legacy/,
    );
    await expect(build({ service: 'other' }).backend.active()).rejects.toThrow(
      /input 'http-route'.*blue=other-blue, green=other-green/,
    );
    expect(patches(server, `/httproutes/${name}`)).toEqual([]);
  });

  it('records the previous colour as an annotation', async () => {
    const { backend } = build();
    await recordPrevious(backend, 'green');
    expect(
      (await kubectlJson(kubeconfig, 'get', 'httproute', name)).metadata.annotations['shipgate.dev/previous-color'],
    ).toBe('green');
    expect(await recordedPrevious(backend)).toBe('green');
  });
});
