import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import { waitFor } from '../../shared/src/testing/daemons.js';
import { startLoad } from '../../shared/src/http/testing/load.js';
import { colourProxy, startNginx, type Nginx } from '../../shared/src/traffic/nginx/testing/nginx.js';
import { runSwitch } from '../helpers/switch.js';

// A real NGINX whose upstream include file Shipgate rewrites and reloads, under autocannon load.
let nginx: Nginx;
let pair: Awaited<ReturnType<typeof colourPair>>;
let upstreamFile: string;

beforeAll(async () => {
  pair = await colourPair();
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bg-nginx-'));
  upstreamFile = join(dir, 'web-upstream.conf');
  writeFileSync(
    upstreamFile,
    `upstream web {\n    keepalive 16;\n    server ${pair.blue.address} weight=100;\n    server ${pair.green.address} down;\n}\n`,
  );
  nginx = await startNginx(colourProxy(upstreamFile, { blue: pair.blue.address, green: pair.green.address }));
});
afterAll(async () => {
  await nginx?.stop();
  await pair?.close();
});

function flags(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'nginx',
    'nginx-upstream-file': upstreamFile,
    'nginx-upstream': 'web',
    'blue-address': pair.blue.address,
    'green-address': pair.green.address,
    'nginx-reload-command': nginx.reloadCommand.join(' '),
    // One URL for both colours, through NGINX: `{color}` picks the location.
    'health-url': `${nginx.url}/{color}/healthz`,
    'health-timeout': '3s',
    'step-interval': '800ms',
    ...extra,
  };
}

const served = async () => (await fetch(nginx.url)).text();

describe('blue-green-switch on NGINX', () => {
  it('switches blue → green in steps and reverts a flapping blue, under load, with zero failed requests', async () => {
    const { blue, green } = pair;
    const load = startLoad(nginx.url, { connections: 8 });
    try {
      await waitFor('load to reach blue', () => blue.hits > 50);
      const first = await runSwitch({ ...flags(), steps: '20,60,100' });
      expect(first.code, first.log).toBe(0);
      expect(first.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true', reverted: 'false' });
      const file = readFileSync(upstreamFile, 'utf8');
      expect(file).toContain(`server ${blue.address} down;  # blue`);
      expect(file).toContain(`server ${green.address} weight=100;  # green`);
      expect(file, 'other directives of the block are kept').toContain('keepalive 16;');
      expect(first.log).toContain(`+     server ${green.address} weight=20;  # green`);
      await waitFor(
        'NGINX to serve green only',
        async () => (await served()) === 'green' && (await served()) === 'green',
      );

      const blueHits = blue.hits;
      const flap = waitFor('blue to take traffic again', () => blue.hits > blueHits, 20_000, 20).then(
        () => (blue.health = 'flapping'),
      );
      const second = await runSwitch({ ...flags(), steps: '30,70,100', 'step-interval': '1500ms' });
      await flap;
      expect(second.code, second.log).toBe(1);
      expect(second.outputs).toMatchObject({ active: 'green', switched: 'false', reverted: 'true' });
      expect(second.log).toMatch(/Reverted to green: target blue unhealthy while taking 30 % of the traffic/);
      expect(readFileSync(upstreamFile, 'utf8')).toBe(file);
    } finally {
      pair.blue.health = 'healthy';
      const result = await load.stop();
      expect(result.total).toBeGreaterThan(500);
      expect(result, 'failed requests across switch and revert').toMatchObject({ failed: 0 });
    }
    expect(green.hits).toBeGreaterThan(100);
  }, 90_000);

  it('restores the previous file when the reload fails, and NGINX keeps serving (exit 3)', async () => {
    const before = readFileSync(upstreamFile, 'utf8');
    const active = (await served()) as 'blue' | 'green';
    const idle = active === 'blue' ? 'green' : 'blue';
    // Port 0 is well-formed for Shipgate but NGINX refuses it when it tests the new configuration.
    const r = await runSwitch({ ...flags(), 'health-url': '', [`${idle}-address`]: '127.0.0.1:0', target: idle });
    expect(r.code, r.log).toBe(3);
    expect(r.log).toMatch(/nginx-reload-command.*failed: .*invalid port.*Restored the previous .* and reloaded NGINX/s);
    expect(readFileSync(upstreamFile, 'utf8')).toBe(before);
    expect(await served()).toBe(active);
    expect(r.outputs).toMatchObject({ switched: 'false', reverted: 'false' });
  });

  it('prints the file diff on a dry run and leaves the file alone', async () => {
    const before = readFileSync(upstreamFile, 'utf8');
    const r = await runSwitch({ ...flags(), steps: '50,100', 'dry-run': 'true' });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(/\+ {5}server \S+ weight=50;/);
    expect(r.log).toContain(`run: ${nginx.reloadCommand.join(' ')}`);
    expect(readFileSync(upstreamFile, 'utf8')).toBe(before);
  });

  it('exits 3 when the upstream file is missing, naming the input', async () => {
    const r = await runSwitch({ ...flags(), 'nginx-upstream-file': join(nginx.dir, 'missing.conf') });
    expect(r.code, r.log).toBe(3);
    expect(r.log).toContain("Cannot read input 'nginx-upstream-file'");
    expect(r.log).toContain('ENOENT');
  });
});
