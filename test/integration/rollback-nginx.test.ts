import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import { waitFor } from '../../shared/src/testing/daemons.js';
import { startLoad } from '../../shared/src/http/testing/load.js';
import { colourProxy, startNginx, type Nginx } from '../../shared/src/traffic/nginx/testing/nginx.js';
import { runRollback } from '../helpers/rollback.js';

// A manual rollback on a real NGINX: Shipgate rewrites the upstream include file back to blue and reloads, under load.
let nginx: Nginx;
let pair: Awaited<ReturnType<typeof colourPair>>;
let upstreamFile: string;
let stateFile: string;
let configFile: string;

beforeAll(async () => {
  pair = await colourPair();
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-rollback-nginx-'));
  upstreamFile = join(dir, 'web-upstream.conf');
  stateFile = join(dir, 'web.json');
  configFile = join(dir, 'dependency-config.yml');
  // after a switch blue → green
  writeFileSync(
    upstreamFile,
    `upstream web {\n    keepalive 16;\n    server ${pair.blue.address} down;  # blue\n    server ${pair.green.address} weight=100;  # green\n}\n`,
  );
  writeFileSync(
    stateFile,
    JSON.stringify({
      active: 'green',
      previous: 'blue',
      weights: { blue: 0, green: 100 },
      time: '2024-05-01T10:00:00.000Z',
      who: 'ci',
    }),
  );
  writeFileSync(
    configFile,
    'services:\n  web: {}\n  api: { dependencies: [web] }\n  mobile-bff: { dependencies: [api] }\n  reports: { dependencies: [web] }\n',
  );
  // one request per connection: see colourProxy for why
  nginx = await startNginx(colourProxy(upstreamFile, { blue: pair.blue.address, green: pair.green.address }));
});
afterAll(async () => {
  await nginx?.stop();
  await pair?.close();
});

const served = async () => (await fetch(nginx.url)).text();

function flags(extra: Record<string, string>): Record<string, string> {
  return {
    provider: 'blue-green',
    backend: 'nginx',
    'nginx-upstream-file': upstreamFile,
    'nginx-upstream': 'web',
    'blue-address': pair.blue.address,
    'green-address': pair.green.address,
    'nginx-reload-command': nginx.reloadCommand.join(' '),
    ...extra,
  };
}

describe('rollback blue-green on NGINX', () => {
  it('switches back to blue by hand under load with zero failed requests, exits 0 and names the dependents', async () => {
    const load = startLoad(nginx.url, { connections: 8 });
    try {
      await waitFor('load to reach green', () => pair.green.hits > 50);
      const r = await runRollback(
        flags({
          'state-file': stateFile,
          'health-url': `${nginx.url}/{color}/healthz`,
          'healthy-threshold': '2',
          reason: 'checkout errors after the release',
          config: configFile,
          service: 'web',
        }),
        { GITLAB_USER_LOGIN: 'ops' },
      );
      expect(r.code, r.log).toBe(0);
      expect(r.outputs).toEqual({
        'rolled-back': 'true',
        triggered: 'false',
        from: 'green',
        to: 'blue',
        dependents: '["mobile-bff","api","reports"]',
      });
      const file = readFileSync(upstreamFile, 'utf8');
      expect(file).toContain(`server ${pair.blue.address} weight=100;  # blue`);
      expect(file).toContain(`server ${pair.green.address} down;  # green`);
      expect(file, 'other directives of the block are kept').toContain('keepalive 16;');
      expect(r.log).toContain('**Why:** checkout errors after the release');
      expect(r.log).toContain(
        '3 services depend on `web` and may need a rollback too, in this order: `mobile-bff` → `api` → `reports`',
      );
      expect(r.log).toContain('mobile-bff, api, reports depend on web and may need a rollback too');
      expect(r.log).toContain(`${stateFile} (active blue, previous green)`);
      await waitFor('NGINX to serve blue only', async () => (await served()) === 'blue' && (await served()) === 'blue');
    } finally {
      const result = await load.stop();
      expect(result.total).toBeGreaterThan(200);
      expect(result, 'failed requests across the rollback').toMatchObject({ failed: 0 });
    }
  }, 60_000);

  it('does nothing when the target already serves (exit 0, rolled-back=false)', async () => {
    const r = await runRollback(flags({ to: 'blue' }));
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ 'rolled-back': 'false', from: 'blue', to: 'blue' });
    expect(r.log).toContain('blue already runs: nothing to roll back');
  });
});
