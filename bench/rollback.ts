// Benchmark of rollback (prints numbers; no pass/fail): `npx tsx bench/rollback.ts`.
// A real HAProxy in front of two Node servers under steady autocannon load, green serving after a switch; a server that
// answers Prometheus' query API reports green's error ratio, which jumps above trigger-max once the watch runs. Printed
// per watch-interval: the time from the breach to the first request blue served (detection + health gate + switch),
// requests and failed requests (socket errors + non-2xx, goal 0).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { colourPair } from '../test/helpers/colours.js';
import { waitFor } from '../shared/src/testing/daemons.js';
import { startHaproxy } from '../shared/src/traffic/haproxy/testing/haproxy.js';
import { startLoad } from '../shared/src/http/testing/load.js';
import { runRollback } from '../test/helpers/rollback.js';
import { startQueryApi } from '../shared/src/metrics/testing/query-api.js';

let ratio = 0;
const prometheus = await startQueryApi(() => ratio);
const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-rollback-'));
const rows: Record<string, unknown>[] = [];

for (const interval of ['1s', '250ms']) {
  const pair = await colourPair();
  const haproxy = await startHaproxy({ servers: { green: pair.green.address, blue: pair.blue.address } });
  const stateFile = join(dir, `state-${interval}.json`);
  writeFileSync(
    stateFile,
    JSON.stringify({
      active: 'green',
      previous: 'blue',
      weights: { blue: 0, green: 100 },
      time: new Date().toISOString(),
      who: 'bench',
    }),
  );
  ratio = 0;
  const load = startLoad(haproxy.url, { connections: 16 });
  await waitFor('load to reach green', () => pair.green.hits > 200);
  let breachAt = 0;
  const breach = setTimeout(() => ((ratio = 0.5), (breachAt = Date.now())), 1500);
  const r = await runRollback({
    provider: 'blue-green',
    backend: 'haproxy',
    'haproxy-socket': haproxy.socket,
    'haproxy-backend': 'web',
    'state-file': stateFile,
    'health-url': `${pair.blue.url}/healthz`,
    'healthy-threshold': '1',
    'prometheus-url': prometheus.url,
    'trigger-query': 'x',
    'trigger-max': '0.05',
    watch: '30s',
    'watch-interval': interval,
  });
  clearTimeout(breach);
  await waitFor('load to reach blue', () => pair.blue.hits > 0);
  const result = await load.stop();
  rows.push({
    'watch-interval': interval,
    exit: r.code,
    'breach → first blue request (ms)': (pair.blue.firstHitAt ?? NaN) - breachAt,
    requests: result.total,
    failed: result.failed,
  });
  await haproxy.stop();
  await pair.close();
}
await prometheus.close();
console.table(rows);
