import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import {
  kubectlJson,
  patches,
  seedHttpRoute,
  seedService,
  seedVirtualService,
} from '../../shared/src/kube/testing/fixtures.js';
import { kubeconfigYaml, kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';
import { closedPort } from '../../shared/src/http/testing/servers.js';
import { runSwitch } from '../helpers/switch.js';

// blue-green-switch in-process against the Kubernetes contract server, for the three Kubernetes providers; the colours'
// health endpoints are real servers on loopback, and kubectl reads back what the step left in the cluster.
let server: KubeServer;
let kubeconfig: string;
let pair: Awaited<ReturnType<typeof colourPair>>;
const dir = mkdtempSync(join(tmpdir(), 'shipgate-bg-kube-'));

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(dir);
  pair = await colourPair();
});
afterAll(async () => {
  await server?.close();
  await pair?.close();
});

/** The colours listen on different ports of one host: one health URL per target. */
const healthOf = (colour: 'blue' | 'green') => `${pair[colour].url}/healthz`;

function flags(provider: string, extra: Record<string, string>): Record<string, string> {
  return { provider, kubeconfig, 'healthy-threshold': '1', 'health-timeout': '5s', 'step-interval': '200ms', ...extra };
}

const previousOf = (o: any) => o.metadata.annotations?.['shipgate.dev/previous-color'];

describe('blue-green-switch with provider kubernetes', () => {
  it('switches the Service selector, records the previous colour, and is a no-op the second time', async () => {
    seedService(server, 'shop');
    const r = await runSwitch(flags('kubernetes', { service: 'shop', 'health-url': healthOf('green') }));
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true', reverted: 'false' });
    expect(JSON.parse(r.outputs.weights)).toEqual({ blue: 0, green: 100 });
    expect(r.log).toContain(
      `kubectl -n default patch services shop --type=merge -p '{"spec":{"selector":{"color":"green"}}`,
    );
    const svc = await kubectlJson(kubeconfig, 'get', 'service', 'shop');
    expect(svc.spec.selector).toEqual({ app: 'shop', color: 'green' });
    expect(previousOf(svc)).toBe('blue');

    const sent = patches(server, '/services/shop').length;
    const again = await runSwitch(
      flags('kubernetes', { service: 'shop', target: 'green', 'health-url': healthOf('green') }),
    );
    expect(again.code, again.log).toBe(0);
    expect(again.outputs).toMatchObject({ active: 'green', switched: 'false' });
    expect(patches(server, '/services/shop')).toHaveLength(sent);
  });

  it('rejects weighted steps before touching the Service (exit 2)', async () => {
    seedService(server, 'cart');
    const r = await runSwitch(
      flags('kubernetes', { service: 'cart', steps: '10,50,100', 'health-url': healthOf('green') }),
    );
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/Input 'steps' is '10,50,100', but provider 'kubernetes' switches a selector/);
    expect(server.requests.filter((q) => q.path.endsWith('/services/cart'))).toEqual([]);
  });

  it('names the missing input and reports an unreachable cluster with exit 3', async () => {
    const missing = await runSwitch(flags('kubernetes', {}));
    expect(missing.code).toBe(2);
    expect(missing.log).toContain("Input 'service' is required with provider 'kubernetes'");
    const file = join(dir, 'closed.yaml');
    writeFileSync(file, kubeconfigYaml(`https://127.0.0.1:${await closedPort()}`, server.ca, server.token));
    // KUBECONFIG from the job environment when the input is empty.
    const down = await runSwitch({ ...flags('kubernetes', { service: 'shop' }), kubeconfig: '' }, { KUBECONFIG: file });
    expect(down.code).toBe(3);
    expect(down.log).toMatch(/The Kubernetes API at https:\/\/127\.0\.0\.1:\d+ is unreachable/);
    expect(down.outputs).toEqual({});
  });
});

describe('blue-green-switch with provider istio', () => {
  it('moves traffic in weighted steps and reads each one back', async () => {
    seedVirtualService(server, 'catalog');
    const r = await runSwitch(
      flags('istio', { 'virtual-service': 'catalog', steps: '10,50,100', 'health-url': healthOf('green') }),
    );
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true' });
    expect(r.log).toMatch(
      /read back: blue 90 % · green 10 %[\s\S]*read back: blue 50 % · green 50 %[\s\S]*read back: blue 0 % · green 100 %/,
    );
    const vs = await kubectlJson(kubeconfig, 'get', 'virtualservices.networking.istio.io', 'catalog');
    expect(vs.spec.http[1].route.map((d: any) => [d.destination.subset, d.weight])).toEqual([
      ['blue', 0],
      ['green', 100],
    ]);
    expect(previousOf(vs)).toBe('blue');
    // Three steps, one JSON patch each, then the annotation as a merge patch.
    expect(patches(server, '/virtualservices/catalog').map((p) => p.contentType)).toEqual([
      'application/json-patch+json',
      'application/json-patch+json',
      'application/json-patch+json',
      'application/merge-patch+json',
    ]);
  });

  it("dry run prints every step's exact patch and changes nothing", async () => {
    seedVirtualService(server, 'search');
    const r = await runSwitch(
      flags('istio', {
        'virtual-service': 'search',
        steps: '25,100',
        'dry-run': 'true',
        'health-url': healthOf('green'),
      }),
    );
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ active: 'blue', switched: 'false' });
    expect(r.log).toContain('{"op":"add","path":"/spec/http/1/route/0/weight","value":75}');
    expect(r.log).toContain('{"op":"add","path":"/spec/http/1/route/0/weight","value":0}');
    expect(patches(server, '/virtualservices/search')).toEqual([]);
  });
});

describe('blue-green-switch with provider gateway-api', () => {
  it('moves backendRef weights in steps, then reverts by itself when the target flaps', async () => {
    seedHttpRoute(server, 'pay');
    const refs = async () =>
      (await kubectlJson(kubeconfig, 'get', 'httproute', 'pay')).spec.rules[1].backendRefs.map((b: any) => [
        b.name,
        b.weight,
      ]);
    const first = await runSwitch(
      flags('gateway-api', { 'http-route': 'pay', service: 'pay', steps: '20,100', 'health-url': healthOf('green') }),
    );
    expect(first.code, first.log).toBe(0);
    expect(await refs()).toEqual([
      ['pay-blue', 0],
      ['pay-green', 100],
    ]);
    expect(previousOf(await kubectlJson(kubeconfig, 'get', 'httproute', 'pay'))).toBe('blue');

    // Back to blue, which answers its health checks only every other time: the first step must be undone.
    pair.blue.health = 'flapping';
    try {
      const second = await runSwitch(
        flags('gateway-api', {
          'http-route': 'pay',
          service: 'pay',
          steps: '30,100',
          'health-url': healthOf('blue'),
          'step-interval': '1s',
        }),
      );
      expect(second.code, second.log).toBe(1);
      expect(second.outputs).toMatchObject({ active: 'green', switched: 'false', reverted: 'true' });
      expect(second.log).toMatch(/Reverted to green: target blue unhealthy while taking 30 % of the traffic/);
    } finally {
      pair.blue.health = 'healthy';
    }
    expect(await refs()).toEqual([
      ['pay-blue', 0],
      ['pay-green', 100],
    ]);
    // The weights went 70/30 on the way: the revert is a real second write, not a no-op.
    const bodies = patches(server, '/httproutes/pay').map((p) => JSON.stringify(p.body));
    expect(bodies.some((b) => b.includes('"value":30'))).toBe(true);
    expect(previousOf(await kubectlJson(kubeconfig, 'get', 'httproute', 'pay'))).toBe('blue');
  });
});
