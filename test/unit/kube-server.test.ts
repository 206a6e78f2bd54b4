import { request } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  kubectl,
  kubectlJson,
  seedHttpRoute,
  seedService,
  seedVirtualService,
} from '../../shared/src/kube/testing/fixtures.js';
import { SERVICES } from '../../shared/src/kube/testing/resources.js';
import { HTTP_ROUTES, VIRTUAL_SERVICES } from '../../shared/src/kube/testing/crds.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';

// The Kubernetes contract server itself: the API behaviour the traffic backends (and kubectl) rely on.
let server: KubeServer;
let kubeconfig: string;

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(mkdtempSync(join(tmpdir(), 'shipgate-kube-unit-')));
});
afterAll(() => server.close());

let n = 0;
let name: string;
beforeEach(() => {
  name = `obj${++n}`;
});

interface Answer {
  status: number;
  body: any;
}

function call(
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  token = server.token,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { method, ca: server.ca, headers: { authorization: `Bearer ${token}`, 'content-type': contentType } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const svcPath = (n: string, ns = 'default') => `/api/v1/namespaces/${ns}/services/${n}`;
const vsPath = (n: string) => `/apis/networking.istio.io/v1/namespaces/default/virtualservices/${n}`;
const MERGE = 'application/merge-patch+json';
const JSONPATCH = 'application/json-patch+json';

describe('kube contract server: discovery and auth', () => {
  it('serves legacy discovery for core and each group, with preferred versions', async () => {
    expect((await call('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await call('GET', '/apis')).body;
    expect(groups.kind).toBe('APIGroupList');
    const istio = groups.groups.find((g: any) => g.name === 'networking.istio.io');
    expect(istio.versions.map((v: any) => v.version)).toEqual(['v1', 'v1beta1', 'v1alpha3']);
    expect(istio.preferredVersion).toEqual({ groupVersion: 'networking.istio.io/v1', version: 'v1' });
    const core = (await call('GET', '/api/v1')).body;
    expect(core.resources.map((r: any) => r.name)).toEqual(['services', 'services/status']);
    const gw = (await call('GET', '/apis/gateway.networking.k8s.io/v1')).body;
    expect(gw.resources[0]).toMatchObject({ name: 'httproutes', kind: 'HTTPRoute', namespaced: true });
    expect((await call('GET', '/apis/gateway.networking.k8s.io/v1beta1')).status).toBe(404);
  });

  it('answers 401 without the token and 404 for unknown paths, as Status objects', async () => {
    expect(await call('GET', '/api/v1', undefined, undefined, 'nope')).toEqual({
      status: 401,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        details: {},
        code: 401,
      },
    });
    const unknown = await call('GET', '/apis/example.com/v1/namespaces/default/widgets/x');
    expect(unknown.status).toBe(404);
    expect(unknown.body.details).toEqual({});
    const missing = await call('GET', svcPath('missing'));
    expect(missing.body).toMatchObject({
      reason: 'NotFound',
      message: 'services "missing" not found',
      details: { name: 'missing', kind: 'services' },
      code: 404,
    });
  });

  it('refuses denied verbs with a 403 naming user, verb, resource and namespace', async () => {
    seedService(server, name);
    server.deny({ verb: 'get', resource: 'services', namespace: 'default' });
    try {
      const r = await call('GET', svcPath(name));
      expect(r.status).toBe(403);
      expect(r.body.message).toBe(
        `services "${name}" is forbidden: User "${server.user}" cannot get resource "services" in API group "" in the namespace "default"`,
      );
      expect((await call('GET', '/api/v1/namespaces/default/services')).status).toBe(200);
    } finally {
      server.allowAll();
    }
  });
});

describe('kube contract server: writes', () => {
  it('merge patch: maps merge, null deletes, lists replace; resourceVersion moves only on a change', async () => {
    const rv0 = seedService(server, name).metadata.resourceVersion!;
    const r = await call(
      'PATCH',
      svcPath(name),
      { metadata: { labels: { app: null, tier: 'web' } }, spec: { ports: [{ port: 81 }] } },
      MERGE,
    );
    expect(r.status).toBe(200);
    expect(r.body.metadata.labels).toEqual({ tier: 'web' });
    expect(r.body.spec.ports).toEqual([{ port: 81, protocol: 'TCP', targetPort: 81 }]);
    expect(Number(r.body.metadata.resourceVersion)).toBeGreaterThan(Number(rv0));
    const again = await call('PATCH', svcPath(name), { metadata: { labels: { tier: 'web' } } }, MERGE);
    expect(again.body.metadata.resourceVersion).toBe(r.body.metadata.resourceVersion);
  });

  it('JSON patch: add, remove, test; a failing op is 422 and changes nothing', async () => {
    seedVirtualService(server, name);
    const ok = await call(
      'PATCH',
      vsPath(name),
      [
        { op: 'test', path: '/spec/http/1/route/0/destination/subset', value: 'blue' },
        { op: 'add', path: '/spec/http/1/route/-', value: { destination: { host: name, subset: 'green' }, weight: 0 } },
        { op: 'add', path: '/spec/http/1/route/0/weight', value: 100 },
        { op: 'remove', path: '/spec/gateways' },
      ],
      JSONPATCH,
    );
    expect(ok.status).toBe(200);
    expect(ok.body.spec.http[1].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([
      ['blue', 100],
      ['green', 0],
    ]);
    expect(ok.body.spec.gateways).toBeUndefined();
    expect(ok.body.metadata.generation).toBe(2);
    const bad = await call(
      'PATCH',
      vsPath(name),
      [
        { op: 'test', path: '/spec/hosts/0', value: 'other' },
        { op: 'remove', path: '/spec/hosts' },
      ],
      JSONPATCH,
    );
    expect(bad.status).toBe(422);
    expect(server.store.get(VIRTUAL_SERVICES, 'default', name)!.spec.hosts).toHaveLength(1);
  });

  it('a stale resourceVersion in a patch or PUT is 409 Conflict; PUT needs one', async () => {
    const created = seedService(server, name);
    const stale = created.metadata.resourceVersion;
    await call('PATCH', svcPath(name), { metadata: { labels: { x: '1' } } }, MERGE);
    const conflict = await call(
      'PATCH',
      svcPath(name),
      { metadata: { resourceVersion: stale }, spec: { selector: { color: 'green' } } },
      MERGE,
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ reason: 'Conflict', details: { name, kind: 'services' } });
    expect(conflict.body.message).toBe(
      `Operation cannot be fulfilled on services "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
    const jsonConflict = await call(
      'PATCH',
      svcPath(name),
      [{ op: 'replace', path: '/metadata/resourceVersion', value: stale }],
      JSONPATCH,
    );
    expect(jsonConflict.status).toBe(409);
    const { metadata, ...rest } = server.store.get(SERVICES, 'default', name)!;
    expect((await call('PUT', svcPath(name), { ...rest, metadata: { name } })).status).toBe(422);
    expect(
      (await call('PUT', svcPath(name), { ...rest, metadata: { ...metadata, resourceVersion: stale } })).status,
    ).toBe(409);
    const put = await call('PUT', svcPath(name), {
      ...rest,
      metadata,
      spec: { ...rest.spec, selector: { color: 'green' } },
    });
    expect(put.status).toBe(200);
    expect(put.body.spec.selector).toEqual({ color: 'green' });
  });

  it('strategic merge is accepted for Services and refused (415) for custom resources', async () => {
    seedService(server, name);
    seedVirtualService(server, name);
    expect(
      (
        await call(
          'PATCH',
          svcPath(name),
          { spec: { selector: { color: 'green' } } },
          'application/strategic-merge-patch+json',
        )
      ).body.spec.selector.color,
    ).toBe('green');
    const r = await call('PATCH', vsPath(name), { spec: { hosts: ['x'] } }, 'application/strategic-merge-patch+json');
    expect(r.status).toBe(415);
    expect(r.body.reason).toBe('UnsupportedMediaType');
  });

  it('validates every write against the schemas and answers 422 Invalid with causes', async () => {
    seedService(server, name);
    seedVirtualService(server, name);
    seedHttpRoute(server, name);
    const port = await call('PATCH', svcPath(name), { spec: { ports: [{ port: 'http' }] } }, MERGE);
    expect(port.status).toBe(422);
    expect(port.body.details.causes).toContainEqual({
      reason: 'FieldValueInvalid',
      field: 'spec.ports.0.port',
      message: 'must be integer',
    });
    const label = await call('PATCH', svcPath(name), { spec: { selector: { color: 'blue green' } } }, MERGE);
    expect(label.body.message).toMatch(/^Service ".*" is invalid: spec.selector: Invalid value: "blue green"/);
    const weight = await call(
      'PATCH',
      `/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/${name}`,
      [{ op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: 1_000_001 }],
      JSONPATCH,
    );
    expect(weight.body.details.causes[0].field).toBe('spec.rules[1].backendRefs[0].weight');
    const noPort = await call(
      'PATCH',
      `/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/${name}`,
      [{ op: 'add', path: '/spec/rules/1/backendRefs/-', value: { name: 'x' } }],
      JSONPATCH,
    );
    expect(noPort.body.details.causes[0].message).toBe('Must have port for Service reference');
    const zero = await call(
      'PATCH',
      vsPath(name),
      [
        {
          op: 'add',
          path: '/spec/http/1/route/-',
          value: { destination: { host: 'web', subset: 'green' }, weight: 0 },
        },
        { op: 'add', path: '/spec/http/1/route/0/weight', value: 0 },
      ],
      JSONPATCH,
    );
    expect(zero.body.details.causes[0].message).toBe('total destination weight = 0');
    expect(server.store.get(SERVICES, 'default', name)!.spec.selector.color).toBe('blue');
  });

  it('creates with POST (409 AlreadyExists the second time) and lists across namespaces', async () => {
    const body = { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }] } };
    const created = await call('POST', '/api/v1/namespaces/shop/services', body);
    expect(created.status).toBe(201);
    expect(created.body.metadata).toMatchObject({ name, namespace: 'shop', uid: expect.any(String) });
    expect((await call('POST', '/api/v1/namespaces/shop/services', body)).body.reason).toBe('AlreadyExists');
    const all = (await call('GET', '/api/v1/services')).body;
    expect(all.kind).toBe('ServiceList');
    expect(all.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`)).toContain(`shop/${name}`);
  });

  it('keeps status out of object writes, changes it through /status, and runs controllers on commits', async () => {
    const seen: string[] = [];
    server.store.controller((change, store) => {
      if (change.type !== HTTP_ROUTES || change.object.metadata.name !== name) return;
      seen.push(`${change.kind} ${change.object.metadata.generation}`);
      // A gateway controller acknowledging the generation it saw, through the status subresource.
      if (change.object.status?.observed !== change.object.metadata.generation) {
        store.update(
          HTTP_ROUTES,
          'default',
          name,
          { ...change.object, status: { observed: change.object.metadata.generation } },
          { subresource: 'status' },
        );
      }
    });
    seedHttpRoute(server, name);
    const path = `/apis/gateway.networking.k8s.io/v1/namespaces/default/httproutes/${name}`;
    await call('PATCH', path, { status: { observed: 99 }, spec: { hostnames: ['a.example.com'] } }, MERGE);
    expect(server.store.get(HTTP_ROUTES, 'default', name)!.status).toEqual({ observed: 2 });
    expect(seen).toEqual(['ADDED 1', 'MODIFIED 1', 'MODIFIED 2', 'MODIFIED 2']);
    expect(
      (await call('PATCH', `${path}/status`, { status: { observed: 7 }, spec: { hostnames: [] } }, MERGE)).body.spec
        .hostnames,
    ).toEqual(['a.example.com']);
  });
});

describe('kube contract server read back by kubectl', () => {
  it('kubectl finds the custom resources through discovery, by full and short names, and patches them', async () => {
    seedVirtualService(server, name);
    seedService(server, name);
    expect(
      (await kubectlJson(kubeconfig, 'get', 'virtualservices.networking.istio.io', name)).spec.http[1].route[0]
        .destination.subset,
    ).toBe('blue');
    expect((await kubectlJson(kubeconfig, 'get', 'vs', name)).metadata.name).toBe(name);
    const list = await kubectlJson(kubeconfig, 'get', 'services', '-n', 'default');
    expect(list.items.map((i: any) => i.metadata.name)).toContain(name);
    const patched = await kubectl(
      kubeconfig,
      'patch',
      'service',
      name,
      '-p',
      '{"spec":{"selector":{"color":"green"}}}',
    );
    expect(patched.stdout).toContain(`service/${name} patched`);
    expect(server.store.get(SERVICES, 'default', name)!.spec.selector.color).toBe('green');
    const missing = await kubectl(kubeconfig, 'get', 'service', 'nope-nope');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Error from server (NotFound): services "nope-nope" not found');
  });
});
