// Benchmark of blue-green-switch (prints numbers; no pass/fail): `npx tsx bench/blue-green-switch.ts`.
// A real HAProxy and a real NGINX, each in front of two Node servers under steady autocannon load, switched blue → green
// with steps 10,50,100 and 2 s intervals. Printed per router: requests, failed requests (socket errors + non-2xx, goal 0),
// and the time from the first step's apply to the first request green served.
// NGINX runs twice: with one request per client connection (as in the tests) and with keep-alive client connections,
// where NGINX before 1.31 resets a request that races an old worker closing its idle connection on reload.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blueGreenSwitch } from '../actions/blue-green-switch/src/step.js';
import { LocalPlatform } from '../shared/src/platform/index.js';
import { run } from '../shared/src/run.js';
import { colourPair } from '../test/helpers/colours.js';
import { waitFor } from '../shared/src/testing/daemons.js';
import { startHaproxy } from '../shared/src/traffic/haproxy/testing/haproxy.js';
import { startLoad } from '../shared/src/http/testing/load.js';
import { startNginx } from '../shared/src/traffic/nginx/testing/nginx.js';

interface Row {
  router: string;
  code: number;
  seconds: number;
  total: number;
  failed: number;
  firstGreenMs: number | undefined;
}

type Pair = Awaited<ReturnType<typeof colourPair>>;

/** Runs the switch under load; the apply time is when the step's log says the first step starts. */
async function measure(router: string, url: string, pair: Pair, flags: Record<string, string>): Promise<Row> {
  const load = startLoad(url, { connections: 16 });
  await waitFor('load to reach blue', () => pair.blue.hits > 200);
  let appliedAt: number | undefined;
  const platform = new LocalPlatform({
    env: {},
    flags: {
      'health-url': `${pair.green.url}/healthz`,
      'healthy-threshold': '2',
      steps: '10,50,100',
      'step-interval': '2s',
      ...flags,
    },
    json: true,
    stdout: () => {},
    stderr: (t) => {
      if (appliedAt === undefined && t.includes('Step 1 of 3')) appliedAt = Date.now();
    },
  });
  const start = Date.now();
  const code = await run(blueGreenSwitch, platform);
  const seconds = (Date.now() - start) / 1000;
  await new Promise((r) => setTimeout(r, 500));
  const result = await load.stop();
  const firstGreenMs =
    appliedAt !== undefined && pair.green.firstHitAt !== undefined ? pair.green.firstHitAt - appliedAt : undefined;
  return { router, code, seconds, total: result.total, failed: result.failed, firstGreenMs };
}

async function haproxyRun(): Promise<Row> {
  const pair = await colourPair();
  const h = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address } });
  try {
    return await measure('HAProxy 2.6 (runtime API)', h.url, pair, {
      provider: 'haproxy',
      'haproxy-socket': h.socket,
      'haproxy-backend': 'web',
    });
  } finally {
    await h.stop();
    await pair.close();
  }
}

async function nginxRun(keepAlive: boolean): Promise<Row> {
  const pair = await colourPair();
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-nginx-'));
  const file = join(dir, 'upstream.conf');
  writeFileSync(
    file,
    `upstream web {\n    keepalive 16;\n    server ${pair.blue.address} weight=100;\n    server ${pair.green.address} down;\n}\n`,
  );
  const client = keepAlive ? 'keepalive_requests 1000000;' : 'keepalive_timeout 0; lingering_close always;';
  const n = await startNginx(`${client}
  include ${file};
  server { listen 127.0.0.1:{port}; location / { proxy_pass http://web; proxy_http_version 1.1; proxy_set_header Connection ""; } }`);
  try {
    return await measure(
      `NGINX 1.22 (${keepAlive ? 'keep-alive clients' : 'one request per connection'})`,
      n.url,
      pair,
      {
        provider: 'nginx',
        'nginx-upstream-file': file,
        'nginx-upstream': 'web',
        'blue-address': pair.blue.address,
        'green-address': pair.green.address,
        'nginx-reload-command': n.reloadCommand.join(' '),
      },
    );
  } finally {
    await n.stop();
    await pair.close();
  }
}

const rows = [await haproxyRun(), await nginxRun(false), await nginxRun(true)];
console.log('blue-green-switch: blue → green, steps 10,50,100, step-interval 2s, 16 autocannon connections\n');
console.log(['router'.padEnd(44), 'exit', 'switch s', 'requests', 'failed', 'apply → first green request'].join('  '));
for (const r of rows) {
  console.log(
    [
      r.router.padEnd(44),
      String(r.code).padStart(4),
      r.seconds.toFixed(1).padStart(8),
      String(r.total).padStart(8),
      String(r.failed).padStart(6),
      r.firstGreenMs === undefined ? '—' : `${r.firstGreenMs} ms`,
    ].join('  '),
  );
}
