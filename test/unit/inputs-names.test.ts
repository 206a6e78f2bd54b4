import { describe, expect, it } from 'vitest';
import { checkName, isName } from '../../shared/src/inputs-check.js';
import { runRollback } from '../helpers/rollback.js';
import { runSwitch } from '../helpers/switch.js';

// The shapes every name is held to before it reaches a router, a Kubernetes object or a generated file.
describe('name shapes', () => {
  it.each([
    ['haproxy', 'web-1.prod:eu_west', true],
    ['haproxy', 'web;set', false],
    ['haproxy', 'web set', false],
    ['haproxy', 'web\n', false],
    ['nginx', 'web_backend.v2', true],
    ['nginx', 'web{', false],
    ['dns-label', 'payments', true],
    ['dns-label', 'Payments', false],
    ['dns-label', 'a'.repeat(64), false],
    ['dns-label', '-web', false],
    ['dns-1035', '9web', false],
    ['dns-1035', 'web-9', true],
    ['dns-subdomain', 'web.v2-api', true],
    ['dns-subdomain', 'web..v2', false],
    ['dns-subdomain', 'web/../x', false],
    ['label-key', 'example.com/color', true],
    ['label-key', 'color', true],
    ['label-key', 'color: x', false],
    ['service', 'user_service.v2', true],
    ['service', '-rf', false],
    ['service', '../x', false],
    ['service', '$(id)', false],
  ] as const)('%s %j → %s', (kind, value, ok) => {
    expect(isName(kind, value)).toBe(ok);
  });

  it('names the input, shows a newline as \\n, and says what is expected', () => {
    expect(() => checkName('haproxy', 'haproxy-backend', 'web\nshow info')).toThrow(
      `Input 'haproxy-backend' is "web\\nshow info". Expected an HAProxy name`,
    );
  });
});

describe('Kubernetes names are checked before any request (exit 2)', () => {
  // No kubeconfig exists here: a run that got past the inputs would fail with exit 3 instead.
  const env = { KUBECONFIG: '/nonexistent/kubeconfig' };
  it.each([
    [{ provider: 'kubernetes', service: 'web;x' }, "Input 'service' is 'web;x'"],
    [{ provider: 'kubernetes', service: 'web', namespace: 'Prod' }, "Input 'namespace' is 'Prod'"],
    [
      { provider: 'kubernetes', service: 'web', 'selector-key': 'color: blue' },
      "Input 'selector-key' is 'color: blue'",
    ],
    [{ provider: 'istio', 'virtual-service': 'web/../x' }, "Input 'virtual-service' is 'web/../x'"],
    [
      { provider: 'gateway-api', 'http-route': 'web', 'backend-refs': 'blue=Web_Blue,green=web-green' },
      "Input 'backend-refs' is 'Web_Blue'",
    ],
  ])('blue-green-switch %j', async (flags, message) => {
    const r = await runSwitch({ ...flags, target: 'green', 'dry-run': 'true' }, env);
    expect(r.code, r.log).toBe(2);
    expect(r.log).toContain(message);
  });

  it.each([
    [{ deployment: 'web;x' }, "Input 'deployment' is 'web;x'"],
    [{ deployment: 'web', namespace: 'a b' }, "Input 'namespace' is 'a b'"],
    [{ deployment: 'web', container: '--all' }, "Input 'container' is '--all'"],
  ])('rollback %j', async (flags, message) => {
    const r = await runRollback({ provider: 'kubernetes', to: 'previous', ...flags, 'dry-run': 'true' }, env);
    expect(r.code, r.log).toBe(2);
    expect(r.log).toContain(message);
  });
});
