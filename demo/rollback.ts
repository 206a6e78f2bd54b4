// Demo: the end of the pipeline. blue-green-switch has just moved a local HAProxy from blue to green; a rollback job
// watches green's error rate. While it stays low nothing happens; when green starts failing, Shipgate switches all
// traffic back to blue while requests keep flowing, and fails the job so the pipeline shows the bad release.
// The metric comes from a small server that answers Prometheus' query API (/api/v1/query) with green's error ratio
// (shared/src/metrics/testing/query-api.ts, as in the tests).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startQueryApi } from '../shared/src/metrics/testing/query-api.js';
import { colourServer, dotenv, startHaproxy, traffic } from './blue-green-switch.js';
import type { DemoContext } from './context.js';

const QUERY =
  'sum(rate(http_requests_total{color="green",code=~"5.."}[1m])) / sum(rate(http_requests_total{color="green"}[1m]))';

export async function demo({ shipgate, work, step, listen, onExit }: DemoContext) {
  const blue = colourServer('blue', () => true);
  const green = colourServer('green', () => true);
  const ports = { green: await listen(green.server), blue: await listen(blue.server) };
  // green first: it has all the traffic, as blue-green-switch left it
  const { url, socket } = await startHaproxy(ports, onExit);
  const ratio = { value: 0.002 };
  const api = await startQueryApi(() => ratio.value);
  onExit(() => api.close());
  const prometheus = api.url;
  writeFileSync(
    join(work, 'web-state.json'),
    JSON.stringify(
      {
        active: 'green',
        previous: 'blue',
        weights: { blue: 0, green: 100 },
        time: new Date().toISOString(),
        who: 'demo',
      },
      null,
      2,
    ),
  );
  const args = (watch: string) => [
    'rollback',
    '--provider',
    'blue-green',
    '--backend',
    'haproxy',
    '--haproxy-socket',
    socket,
    '--haproxy-backend',
    'web',
    '--state-file',
    'web-state.json',
    '--prometheus-url',
    prometheus,
    '--trigger-query',
    QUERY,
    '--trigger-max',
    '0.05',
    '--watch',
    watch,
    '--watch-interval',
    '1s',
    '--health-url',
    `http://127.0.0.1:${ports.blue}/healthz`,
    '--healthy-threshold',
    '2',
  ];
  const env = { GITLAB_USER_LOGIN: 'demo' };

  step(
    `HAProxy on ${url} sends everything to green after the switch; the rollback job watches green's error ratio (max 0.05)`,
  );
  const calm = await shipgate(args('3s'), env);
  console.log(`\n→ exit ${calm.code}; outputs: ${JSON.stringify(dotenv(work))}`);
  if (calm.code !== 0 || dotenv(work).SHIPGATE_ROLLED_BACK !== 'false')
    throw new Error('a watch without a breach should end green with nothing changed');

  step('Green starts failing 2 s into the watch: Shipgate rolls back to blue under load and fails the job');
  const load = traffic(url);
  const breach = setTimeout(() => (ratio.value = 0.18), 2000);
  const watched = await shipgate(args('20s'), env);
  clearTimeout(breach);
  const seen = await load.stop();
  const out = dotenv(work);
  console.log(
    `\n→ exit ${watched.code} (1 = a triggered rollback: the pipeline shows red); requests: green ${seen.green}, blue ${seen.blue}; failed: ${seen.failed}`,
  );
  console.log(`→ outputs: ${JSON.stringify(out)}`);
  if (
    watched.code !== 1 ||
    out.SHIPGATE_TRIGGERED !== 'true' ||
    out.SHIPGATE_ROLLED_BACK !== 'true' ||
    out.SHIPGATE_TO !== 'blue' ||
    seen.failed ||
    !seen.blue
  ) {
    throw new Error('the triggered rollback did not go as expected');
  }
  const now = (await (await fetch(url)).text()).trim();
  console.log(`→ HAProxy now serves: ${now}`);
  if (now !== 'blue') throw new Error(`after the rollback HAProxy serves ${now}`);
}
