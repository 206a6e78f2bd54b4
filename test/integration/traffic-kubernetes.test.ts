import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { kubernetes as kubernetesBackend } from '../../shared/src/traffic/kubernetes/index.js';
import { kubectlJson, patches, seedService } from '../../shared/src/kube/testing/fixtures.js';
import { backendFor, recordPrevious, recordedPrevious } from '../../shared/src/traffic/testing/build.js';
import { SERVICES } from '../../shared/src/kube/testing/resources.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';

// The Service selector backend against the Kubernetes contract server; kubectl reads back what it wrote.
let server: KubeServer;
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), 'shipgate-kube-svc-'));

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(dir);
});
afterAll(() => server.close());

let n = 0;
let name: string;
beforeEach(() => {
  name = `web${++n}`;
  seedService(server, name);
});

const build = (extra: Record<string, string> = {}) =>
  backendFor(kubernetesBackend, { service: name, kubeconfig, ...extra });

describe('kubernetes backend (Service selector)', () => {
  it('reads the selected colour and says it cannot do weights', async () => {
    const { backend } = build();
    expect(backend.selectorOnly).toBe(true);
    const state = await backend.active();
    expect(state.active).toBe('blue');
    expect(state.weights).toEqual({ blue: 100, green: 0 });
    expect(state.details.join('\n')).toContain(`Service default/${name} selector: app=${name},color=blue`);
    await expect(backend.plan({ blue: 50, green: 50 })).rejects.toThrow(/one colour.*steps: 100/);
  });

  it('plans the exact merge patch without changing anything', async () => {
    const { backend } = build();
    const rv = server.store.get(SERVICES, 'default', name)!.metadata.resourceVersion;
    const plan = await backend.plan({ blue: 0, green: 100 });
    expect(plan[0]).toBe(`Service default/${name} selector color: blue → green`);
    expect(plan[1]).toBe(
      `kubectl -n default patch services ${name} --type=merge -p '{"spec":{"selector":{"color":"green"}},"metadata":{"resourceVersion":"${rv}"}}'`,
    );
    expect(patches(server, `/services/${name}`)).toEqual([]);
    expect(server.store.get(SERVICES, 'default', name)!.metadata.resourceVersion).toBe(rv);
  });

  it('switches with a merge patch, keeps the other selector keys, and kubectl sees the new colour', async () => {
    const { backend } = build();
    await backend.apply({ blue: 0, green: 100 });
    const sent = patches(server, `/services/${name}`);
    expect(sent).toHaveLength(1);
    expect(sent[0].contentType).toBe('application/merge-patch+json');
    expect(sent[0].status).toBe(200);
    const svc = await kubectlJson(kubeconfig, 'get', 'service', name);
    expect(svc.spec.selector).toEqual({ app: name, color: 'green' });
    const state = await backend.verify({ blue: 0, green: 100 });
    expect(state.active).toBe('green');
    await expect(backend.verify({ blue: 100, green: 0 })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('does not select color=blue'),
    });
    // Already there: no second write.
    await backend.apply({ blue: 0, green: 100 });
    expect(patches(server, `/services/${name}`)).toHaveLength(1);
  });

  it('uses another selector key when told', async () => {
    server.store.update(SERVICES, 'default', name, {
      ...server.store.get(SERVICES, 'default', name)!,
      spec: { selector: { app: name, track: 'green' }, ports: [{ port: 80 }] },
    });
    const { backend } = build({ 'selector-key': 'track' });
    expect((await backend.active()).active).toBe('green');
    await backend.apply({ blue: 100, green: 0 });
    expect((await kubectlJson(kubeconfig, 'get', 'svc', name)).spec.selector).toEqual({ app: name, track: 'blue' });
  });

  it('reports a selector value that is not a colour as no active colour', async () => {
    server.store.update(SERVICES, 'default', name, {
      ...server.store.get(SERVICES, 'default', name)!,
      spec: { selector: { app: name, color: 'red' }, ports: [{ port: 80 }] },
    });
    const state = await build().backend.active();
    expect(state.active).toBeUndefined();
    expect(state.weights).toEqual({ blue: 0, green: 0 });
    expect(state.details.join(' ')).toContain("'color=red' is not one of blue, green");
  });

  it('records the previous colour in an annotation kubectl can read', async () => {
    const { backend } = build();
    expect(await recordedPrevious(backend)).toBeUndefined();
    await recordPrevious(backend, 'blue');
    const svc = await kubectlJson(kubeconfig, 'get', 'service', name);
    expect(svc.metadata.annotations['shipgate.dev/previous-color']).toBe('blue');
    expect(svc.spec.selector.color).toBe('blue');
    expect(await recordedPrevious(backend)).toBe('blue');
    await recordPrevious(backend, 'green');
    expect(await recordedPrevious(build().backend)).toBe('green');
  });

  it('masks the kubeconfig token in everything the platform prints once the kubeconfig is loaded', async () => {
    const { platform, log, backend } = build();
    await backend.active();
    platform.info(`token is ${server.token}`);
    expect(log.join('')).toContain('token is ***');
    expect(log.join('')).not.toContain(server.token);
  });

  it('names the kubeconfig input when the file is missing or no credentials exist, on the first read', async () => {
    await expect(build({ kubeconfig: join(dir, 'nope.yaml') }).backend.active()).rejects.toThrow(ConfigError);
    await expect(build({ kubeconfig: join(dir, 'nope.yaml') }).backend.active()).rejects.toThrow(
      /Input 'kubeconfig'.*nope\.yaml.*does not exist/,
    );
    await expect(backendFor(kubernetesBackend, { service: name }, { HOME: dir }).backend.active()).rejects.toThrow(
      /Input 'kubeconfig' is empty/,
    );
  });

  it('finds the kubeconfig in KUBECONFIG (a path list) or ~/.kube/config when the input is empty', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.kube'), { recursive: true });
    copyFileSync(kubeconfig, join(home, '.kube', 'config'));
    expect((await backendFor(kubernetesBackend, { service: name }, { HOME: home }).backend.active()).active).toBe(
      'blue',
    );
    const list = [join(dir, 'absent-but-first.yaml'), kubeconfig].join(delimiter);
    await expect(
      backendFor(kubernetesBackend, { service: name }, { KUBECONFIG: list }).backend.active(),
    ).rejects.toThrow(/absent-but-first\.yaml/);
    expect(
      (await backendFor(kubernetesBackend, { service: name }, { KUBECONFIG: kubeconfig, HOME: dir }).backend.active())
        .active,
    ).toBe('blue');
  });
});
