import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDependencies } from '../../actions/check-dependencies/src/step.js';
import { runtimeCommand } from '../../shared/src/traffic/haproxy/haproxy.js';
import { colourPair } from '../helpers/colours.js';
import { haproxyWeights, startHaproxy, type Haproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { runLocal } from '../helpers/local-step.js';
import { startNginx, colourProxy, type Nginx } from '../../shared/src/traffic/nginx/testing/nginx.js';
import { runRollback } from '../helpers/rollback.js';
import { runSwitch } from '../helpers/switch.js';

// Names from inputs and from repository data reach HAProxy's runtime API, NGINX's config and generated files. A real
// HAProxy holds two backends, `web` (the one switched) and `payments`: a hostile name must be refused with exit 2
// before anything is sent, dry run or not, and `payments` must keep its state. A loopback listener in place of the
// runtime API proves that not even a connection was made.
let haproxy: Haproxy;
let nginx: Nginx;
let pair: Awaited<ReturnType<typeof colourPair>>;
let dir: string;
let spy: Server;
let spyAddress: string;
let spyConnections = 0;

const INJECTIONS = [
  'web;set server payments/blue state maint',
  'web\nset server payments/blue state maint',
  'web set server payments/blue state maint',
];

beforeAll(async () => {
  pair = await colourPair();
  haproxy = await startHaproxy({
    servers: { blue: pair.blue.address, green: pair.green.address },
    moreBackends: ['payments'],
  });
  dir = mkdtempSync(join(tmpdir(), 'shipgate-hostile-'));
  spy = createServer((c) => (spyConnections++, c.destroy()));
  await new Promise<void>((resolve) => spy.listen(0, '127.0.0.1', resolve));
  spyAddress = `127.0.0.1:${(spy.address() as { port: number }).port}`;
});
afterAll(async () => {
  await haproxy?.stop();
  await nginx?.stop();
  await pair?.close();
  spy?.close();
});

const haproxyFlags = (backend: string, socket = haproxy.socket) => ({
  provider: 'haproxy',
  'haproxy-socket': socket,
  'haproxy-backend': backend,
  colors: 'blue,green',
  'health-url': '',
  'step-interval': '200ms',
});

describe('hostile HAProxy names', () => {
  for (const backend of INJECTIONS) {
    for (const dryRun of ['false', 'true']) {
      it(`blue-green-switch refuses haproxy-backend ${JSON.stringify(backend)} (dry-run ${dryRun}) with exit 2, payments untouched`, async () => {
        const before = {
          web: await haproxyWeights(haproxy, 'web'),
          payments: await haproxyWeights(haproxy, 'payments'),
        };
        expect(before.payments).toEqual({ blue: 100, green: 0 });
        const r = await runSwitch({ ...haproxyFlags(backend), target: 'green', 'dry-run': dryRun });
        expect(r.code, r.log).toBe(2);
        expect(r.log).toContain(
          `Input 'haproxy-backend' is ${/\n/.test(backend) ? JSON.stringify(backend) : `'${backend}'`}. Expected an HAProxy name`,
        );
        expect(r.log).not.toContain('set weight');
        expect({
          web: await haproxyWeights(haproxy, 'web'),
          payments: await haproxyWeights(haproxy, 'payments'),
        }).toEqual(before);

        const spied = spyConnections;
        const toSpy = await runSwitch({ ...haproxyFlags(backend, spyAddress), target: 'green', 'dry-run': dryRun });
        expect(toSpy.code, toSpy.log).toBe(2);
        expect(spyConnections, 'connections to the runtime API').toBe(spied);
      });
    }
  }

  it('rollback refuses a hostile haproxy-backend and a hostile colour with exit 2, nothing sent', async () => {
    const before = await haproxyWeights(haproxy, 'payments');
    const spied = spyConnections;
    for (const extra of <Record<string, string>[]>[
      { 'haproxy-backend': INJECTIONS[0] },
      { 'haproxy-backend': INJECTIONS[1], 'dry-run': 'true' },
      { colors: 'blue,green;x' },
    ]) {
      const r = await runRollback({
        provider: 'blue-green',
        backend: 'haproxy',
        'haproxy-socket': spyAddress,
        'haproxy-backend': 'web',
        to: 'green',
        ...extra,
      });
      expect(r.code, r.log).toBe(2);
      expect(r.log).toMatch(/Input '(haproxy-backend|colors)' is/);
    }
    expect(spyConnections).toBe(spied);
    expect(await haproxyWeights(haproxy, 'payments')).toEqual(before);
  });

  it('a valid switch of web leaves payments alone, read back from HAProxy', async () => {
    const r = await runSwitch({ ...haproxyFlags('web'), target: 'green' });
    expect(r.code, r.log).toBe(0);
    expect(await haproxyWeights(haproxy, 'web')).toEqual({ blue: 0, green: 100 });
    expect(await haproxyWeights(haproxy, 'payments')).toEqual({ blue: 100, green: 0 });
  });

  it('the runtime API client refuses a command line that could carry a second command', async () => {
    const spied = spyConnections;
    for (const line of [
      'show servers state web;set server payments/blue state maint',
      'show servers state web\nshow info',
      'set weight web/blue  0',
      ' show info',
    ]) {
      await expect(runtimeCommand(spyAddress, line)).rejects.toThrow(/Refused to send HAProxy runtime command/);
    }
    expect(spyConnections).toBe(spied);
    expect(await runtimeCommand(haproxy.socket, 'show servers state payments')).toMatch(/payments \d+ blue/);
  });
});

describe('hostile NGINX upstream names', () => {
  it('refuses an upstream name that would add directives (exit 2), file unchanged, no reload', async () => {
    const file = join(dir, 'upstream.conf');
    const original = `upstream web {\n    server ${pair.blue.address} weight=100;\n    server ${pair.green.address} down;\n}\n`;
    writeFileSync(file, original);
    nginx = await startNginx(colourProxy(file, { blue: pair.blue.address, green: pair.green.address }));
    const marker = join(dir, 'reloaded');
    for (const [upstream, dryRun] of [
      ['web { server 10.0.0.1:80; } upstream x', 'false'],
      ['web\nserver 10.0.0.1:80', 'true'],
      ['web;', 'false'],
    ]) {
      const r = await runSwitch({
        provider: 'nginx',
        'nginx-upstream-file': file,
        'nginx-upstream': upstream,
        'blue-address': pair.blue.address,
        'green-address': pair.green.address,
        'nginx-reload-command': `touch ${marker}`,
        target: 'green',
        'dry-run': dryRun,
      });
      expect(r.code, r.log).toBe(2);
      expect(r.log).toContain("Input 'nginx-upstream' is");
      expect(r.log).toContain('Expected an NGINX upstream name');
      expect(readFileSync(file, 'utf8')).toBe(original);
      expect(existsSync(marker)).toBe(false);
    }
  });
});

describe('hostile service names in dependency-config.yml', () => {
  const hostile = [
    '"web;set server payments/blue state maint"',
    '"web\\nset server payments/blue state maint"',
    '"../../etc/passwd"',
    '"$(touch pwned)"',
    '"-rf"',
  ];
  for (const name of hostile) {
    it(`check-dependencies refuses service ${name} on every path (exit 2, nothing written)`, async () => {
      const work = mkdtempSync(join(dir, 'cd-'));
      const config = join(work, 'dependency-config.yml');
      writeFileSync(config, `services:\n  db: {}\n  ${name}:\n    dependencies: [db]\n`);
      const child = join(work, 'child.yml');
      for (const extra of <Record<string, string>[]>[
        {},
        { 'child-pipeline': child },
        { 'changed-files': 'src/a.ts' },
        { service: 'db' },
      ]) {
        const r = await runLocal(checkDependencies, { config, 'check-health': 'false', ...extra });
        expect(r.code, r.log).toBe(2);
        expect(r.log).toMatch(/dependency-config\.yml:3: Service .* the name is not a service name: letters, digits/);
        expect(r.outputs.order).toBeUndefined();
      }
      expect(readdirSync(work)).toEqual(['dependency-config.yml']);
      expect(await haproxyWeights(haproxy, 'payments')).toEqual({ blue: 100, green: 0 });
    });
  }
});
