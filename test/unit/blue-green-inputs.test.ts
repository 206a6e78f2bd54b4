import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSteps } from '../../actions/blue-green-switch/src/config.js';
import { schema } from '../../actions/blue-green-switch/src/schema.js';
import { providers } from '../../shared/src/traffic/index.js';
import { runSwitch } from '../helpers/switch.js';

// Bad input exits 2 before anything is contacted: the socket and files named here do not exist, so reaching the
// router would be exit 3, and the nginx file would be created by a write.
const dir = mkdtempSync(join(tmpdir(), 'shipgate-bg-inputs-'));
const haproxy = { provider: 'haproxy', 'haproxy-socket': join(dir, 'admin.sock'), 'haproxy-backend': 'web' };
const nginx = {
  provider: 'nginx',
  'nginx-upstream-file': join(dir, 'upstream.conf'),
  'nginx-upstream': 'web',
  'blue-address': '127.0.0.1:8081',
  'green-address': '127.0.0.1:8082',
};

async function configError(flags: Record<string, string>): Promise<string> {
  const r = await runSwitch(flags);
  expect(r.code, r.log).toBe(2);
  expect(existsSync(nginx['nginx-upstream-file'])).toBe(false);
  return r.log;
}

describe('blue-green-switch input checks (exit 2, nothing touched)', () => {
  it('lists the registered providers in the schema', () => {
    expect(schema.inputs.provider.options).toEqual(Object.keys(providers));
    expect(schema.inputs.provider.options).toEqual(expect.arrayContaining(['haproxy', 'nginx']));
  });

  it('rejects an unknown provider, naming the input and the choices', async () => {
    const log = await configError({ ...haproxy, provider: 'trafik' });
    expect(log).toContain(`Input 'provider' is 'trafik'. Expected one of: ${Object.keys(providers).join(', ')}.`);
  });

  it('rejects a target that is not one of the colours', async () => {
    expect(await configError({ ...haproxy, target: 'purple' })).toContain(
      "Input 'target' is 'purple'. Expected auto or one of the colours in 'colors': blue, green.",
    );
    expect(await configError({ ...haproxy, colors: 'live,idle', target: 'green' })).toContain('live, idle');
  });

  it.each([
    ['50,10,100', 'the steps are not ascending'],
    ['10,10,100', 'the steps are not ascending'],
    ['10,150', '150 is not a percentage from 1 to 100'],
    ['0,100', '0 is not a percentage from 1 to 100'],
    ['10,50', 'The last step is not 100'],
    ['ten', 'not a comma-separated list of numbers'],
  ])("rejects steps '%s'", async (steps, why) => {
    const log = await configError({ ...nginx, steps });
    expect(log).toContain(`Input 'steps' is '${steps}'. `);
    expect(log).toContain(why);
  });

  it.skipIf(!Object.values(providers).some((p) => p.name === 'kubernetes'))(
    'rejects weighted steps on a selector-only backend',
    async () => {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
      );
      const log = await configError({ provider: 'kubernetes', service: 'web', steps: '10,100', kubeconfig });
      expect(log).toContain("Input 'steps' is '10,100', but provider 'kubernetes' switches a selector");
    },
  );

  it.each([
    [{ ...haproxy, 'haproxy-socket': '' }, 'haproxy-socket'],
    [{ ...haproxy, 'haproxy-backend': '' }, 'haproxy-backend'],
    [{ ...nginx, 'green-address': '' }, 'green-address'],
    [{ ...nginx, 'nginx-upstream': '' }, 'nginx-upstream'],
  ])('names a missing backend input', async (flags, input) => {
    expect(await configError(flags)).toContain(`Input '${input}' is required with provider '${flags.provider}'`);
  });

  it('rejects NGINX addresses that would break out of the server directive', async () => {
    expect(await configError({ ...nginx, 'blue-address': '127.0.0.1:80; include /etc/passwd' })).toContain(
      "Input 'blue-address' is",
    );
    expect(await configError({ ...nginx, 'green-address': nginx['blue-address'] })).toContain('are both');
  });

  it('checks the analysis inputs together', async () => {
    expect(await configError({ ...haproxy, 'analysis-query': 'up' })).toContain("'prometheus-url' is empty");
    expect(await configError({ ...haproxy, 'prometheus-url': 'http://127.0.0.1:9', 'analysis-query': 'up' })).toContain(
      'without',
    );
    expect(await configError({ ...haproxy, 'analysis-max': 'lots' })).toContain("Input 'analysis-max' is 'lots'");
    expect(
      await configError({ ...haproxy, 'prometheus-url': 'ftp://x', 'analysis-query': 'up', 'analysis-max': '1' }),
    ).toContain("Input 'prometheus-url' is 'ftp://x'");
    expect(
      await configError({
        ...haproxy,
        'prometheus-url': 'http://p',
        'analysis-query': 'up',
        'analysis-max': '1',
        'analysis-min': '2',
      }),
    ).toContain('no value could pass');
  });

  it('rejects a health-url that is not http(s), after {color} is filled in', async () => {
    expect(await configError({ ...haproxy, 'health-url': 'tcp://{color}:80' })).toContain(
      "Input 'health-url' is 'tcp://blue:80'",
    );
  });

  it('masks credentials in health-url and prometheus-url, also in the message that names the input', async () => {
    const health = await configError({
      ...haproxy,
      'health-url': 'ftp://ops:hunter22@{color}.internal/health?token=abc123',
    });
    expect(health).toContain("Input 'health-url' is 'ftp://ops:***@blue.internal/health?token=***'");
    const prometheus = await configError({
      ...haproxy,
      'prometheus-url': 'ftp://ops:pw-98765@p',
      'analysis-query': 'up',
      'analysis-max': '1',
    });
    expect(prometheus).toContain("Input 'prometheus-url' is 'ftp://ops:***@p'");
  });
});

describe('parseSteps', () => {
  it('accepts ascending percentages ending at 100', () => {
    expect(parseSteps('100')).toEqual([100]);
    expect(parseSteps(' 10, 50 ,100')).toEqual([10, 50, 100]);
  });
});
