// perf-baseline on an orders service on loopback: a load test that passes its thresholds and becomes the baseline, a
// threshold failure on an endpoint that answers 10 % of requests with 500, and the baseline comparison once a change
// makes the service slower, and a one-second freeze that the open model (`rate`) catches and the closed model misses.
// Short loads (three 1 s runs after a 500 ms warm-up) so the demo stays quick.
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { DemoContext } from './context.js';

export async function demo({ shipgate, work, step, listen }: DemoContext) {
  const service = { delayMs: 5, flakyRequests: 0, frozenUntil: 0 };
  const port = await listen(
    createServer((req, res) => {
      // /api/freeze answers nothing for one second, 1.5 s after its first load request, then everything at once
      if (req.url === '/api/freeze') return freeze(service, res);
      // Every 10th answer of the flaky endpoint is a 500, counted on its own requests only: its first answer (the
      // step's pre-flight) is always a 200, whatever the other endpoint served before.
      const fail = req.url === '/api/flaky' && ++service.flakyRequests % 10 === 0;
      setTimeout(() => {
        res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json' });
        res.end(fail ? '{"error":"boom"}' : '{"orders":[]}');
      }, service.delayMs);
    }),
  );
  const url = `http://127.0.0.1:${port}/api/orders`;
  const load = ['--duration', '1s', '--runs', '3', '--warmup', '500ms', '--connections', '8'];
  const dotenv = () => readFileSync(join(work, 'shipgate.env'), 'utf8');
  const outputs = () =>
    Object.fromEntries(
      dotenv()
        .trim()
        .split('\n')
        .map((l) => l.split('=')),
    );

  step(
    `Load ${url} (answers in ${service.delayMs} ms): thresholds p95 ≤ 100ms and ≤ 1 % errors; the result becomes the baseline`,
  );
  const pass = await shipgate([
    'perf-baseline',
    '--url',
    url,
    ...load,
    '--max-p95',
    '100ms',
    '--max-error-rate',
    '1%',
    '--save',
    'baseline.json',
  ]);
  console.log(`exit ${pass.code}; dotenv report:\n${dotenv()}`);
  rmSync(join(work, 'shipgate.env'));

  step('The flaky endpoint answers every 10th request with 500: max-error-rate 1% fails the job');
  const flaky = await shipgate([
    'perf-baseline',
    '--url',
    `http://127.0.0.1:${port}/api/flaky`,
    ...load,
    '--max-error-rate',
    '1%',
    '--save',
    'flaky.json',
  ]);
  const flakyOut = outputs();
  console.log(`exit ${flaky.code} (1 = a threshold was breached); error-rate ${flakyOut.SHIPGATE_ERROR_RATE}`);
  rmSync(join(work, 'shipgate.env'));

  step('A change makes every answer 10 ms slower: the same load against baseline.json, p95 may rise 10 % at most');
  service.delayMs = 15;
  const slower = await shipgate([
    'perf-baseline',
    '--url',
    url,
    ...load,
    '--baseline',
    'baseline.json',
    '--max-regression',
    'p95:+10%,rps:-10%',
    '--save',
    'now.json',
  ]);
  const slowerOut = outputs();
  console.log(
    `exit ${slower.code}; regressed=${slowerOut.SHIPGATE_REGRESSED}; GitLab's load_performance report:\n${readFileSync(join(work, 'load-performance.json'), 'utf8').slice(0, 400)}…`,
  );

  step(
    'A service that freezes for one second in a 4 s load, gated on p95 ≤ 100ms: the closed model (connections) passes it, the open model (rate 100/s) does not',
  );
  const freezing = `http://127.0.0.1:${port}/api/freeze`;
  const gate = ['--duration', '4s', '--warmup', '0', '--max-p95', '100ms'];
  service.frozenUntil = 0;
  const closed = await shipgate([
    'perf-baseline',
    '--url',
    freezing,
    ...gate,
    '--connections',
    '8',
    '--save',
    'closed.json',
  ]);
  const closedP95 = outputs().SHIPGATE_P95_MS;
  rmSync(join(work, 'shipgate.env'));
  service.frozenUntil = 0;
  const open = await shipgate([
    'perf-baseline',
    '--url',
    freezing,
    ...gate,
    '--rate',
    '100',
    '--connections',
    '8',
    '--save',
    'open.json',
  ]);
  const openOut = outputs();
  console.log(
    `closed model: exit ${closed.code}, p95 ${closedP95} ms (the freeze stopped the load too: 8 slow answers among thousands)`,
  );
  console.log(
    `open model:   exit ${open.code}, p95 ${openOut.SHIPGATE_P95_MS} ms, ${openOut.SHIPGATE_LATE} requests late (every request due during the freeze counts)`,
  );

  const errorRate = Number(flakyOut.SHIPGATE_ERROR_RATE);
  if (closed.code !== 0 || open.code !== 1)
    throw new Error(
      `perf-baseline on a freezing service exited ${closed.code} (closed model) and ${open.code} (open model); expected 0 and 1.`,
    );
  if (
    pass.code !== 0 ||
    flaky.code !== 1 ||
    slower.code !== 1 ||
    slowerOut.SHIPGATE_REGRESSED !== 'true' ||
    !(errorRate > 0.05 && errorRate < 0.15)
  ) {
    throw new Error(
      `perf-baseline exits were ${pass.code}, ${flaky.code}, ${slower.code} (regressed=${slowerOut.SHIPGATE_REGRESSED}, error-rate ${errorRate}); expected 0, 1, 1 with regressed=true and about 10 % errors.`,
    );
  }
}

/** Answers at once, except from 1.5 s after the first request of a load (not the pre-flight) for one second. */
function freeze(service: { frozenUntil: number }, res: ServerResponse) {
  const now = Date.now();
  if (!service.frozenUntil)
    service.frozenUntil = -1; // the pre-flight
  else if (service.frozenUntil === -1) service.frozenUntil = now + 2500;
  const wait = service.frozenUntil - 1000 <= now ? service.frozenUntil - now : 0;
  setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"orders":[]}'), Math.max(0, wait));
}
