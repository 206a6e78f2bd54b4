import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import { kubectlJson, patches, seedService } from '../../shared/src/kube/testing/fixtures.js';
import { kubeServer, type KubeServer } from '../../shared/src/kube/testing/server.js';
import { runRollback } from '../helpers/rollback.js';
import { runSwitch } from '../helpers/switch.js';

// blue-green-switch, then rollback, on a Kubernetes Service (the contract server): no state file, the previous colour
// travels in the shipgate.dev/previous-color annotation the switch wrote.
let server: KubeServer;
let kubeconfig: string;
let pair: Awaited<ReturnType<typeof colourPair>>;

beforeAll(async () => {
  server = await kubeServer();
  kubeconfig = server.kubeconfig(mkdtempSync(join(tmpdir(), 'shipgate-rollback-bg-kube-')));
  pair = await colourPair();
});
afterAll(async () => {
  await server?.close();
  await pair?.close();
});

const previousOf = (o: { metadata: { annotations?: Record<string, string> } }) =>
  o.metadata.annotations?.['shipgate.dev/previous-color'];
const rollback = (extra: Record<string, string> = {}) =>
  runRollback({
    provider: 'blue-green',
    backend: 'kubernetes',
    service: 'shop',
    kubeconfig,
    'health-url': `${pair.blue.url}/healthz`,
    'healthy-threshold': '1',
    ...extra,
  });

describe('rollback blue-green with backend kubernetes', () => {
  it('returns to the colour in the annotation, swaps the annotation, and finds nothing to do the second time to the same colour', async () => {
    seedService(server, 'shop');
    const up = await runSwitch({
      provider: 'kubernetes',
      service: 'shop',
      kubeconfig,
      'health-url': `${pair.green.url}/healthz`,
      'healthy-threshold': '1',
      'step-interval': '200ms',
    });
    expect(up.code, up.log).toBe(0);

    const r = await rollback();
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ 'rolled-back': 'true', from: 'green', to: 'blue' });
    expect(r.log).toContain('from the shipgate.dev/previous-color annotation');
    expect(r.log).toContain('shipgate.dev/previous-color=green on the kubernetes object');
    const svc = await kubectlJson(kubeconfig, 'get', 'service', 'shop');
    expect(svc.spec.selector).toEqual({ app: 'shop', color: 'blue' });
    expect(previousOf(svc)).toBe('green');

    const sent = patches(server, '/services/shop').length;
    const again = await rollback({ to: 'blue' });
    expect(again.code, again.log).toBe(0);
    expect(again.outputs['rolled-back']).toBe('false');
    expect(patches(server, '/services/shop')).toHaveLength(sent);
  });

  it('is nothing to roll back to (exit 2) when the Service has no annotation and there is no state file', async () => {
    seedService(server, 'fresh');
    const r = await runRollback({ provider: 'blue-green', backend: 'kubernetes', service: 'fresh', kubeconfig });
    expect(r.code, r.log).toBe(2);
    expect(r.log).toContain(
      "Nothing to roll back to: the kubernetes object has no shipgate.dev/previous-color annotation (blue-green-switch writes it after a switch) and input 'state-file' is empty. Set 'to' to blue or green.",
    );
    expect(patches(server, '/services/fresh')).toEqual([]);
  });
});
