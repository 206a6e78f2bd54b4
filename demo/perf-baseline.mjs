// perf-baseline on an orders service on loopback: a load test that passes its thresholds and becomes the baseline, a
// threshold failure on an endpoint that answers 10 % of requests with 500, and the baseline comparison once a change
// makes the service slower. Short loads (three 1 s runs after a 500 ms warm-up) so the demo stays quick.
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

export async function demo({ shipgate, work, step, listen }) {
  const service = { delayMs: 5, flakyRequests: 0 };
  const port = await listen(
    createServer((req, res) => {
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
  const outputs = () => Object.fromEntries(dotenv().trim().split('\n').map((l) => l.split('=')));

  step(`Load ${url} (answers in ${service.delayMs} ms): thresholds p95 ≤ 100ms and ≤ 1 % errors; the result becomes the baseline`);
  const pass = await shipgate(['perf-baseline', '--url', url, ...load, '--max-p95', '100ms', '--max-error-rate', '1%', '--save', 'baseline.json']);
  console.log(`exit ${pass.code}; dotenv report:\n${dotenv()}`);
  rmSync(join(work, 'shipgate.env'));

  step('The flaky endpoint answers every 10th request with 500: max-error-rate 1% fails the job');
  const flaky = await shipgate(['perf-baseline', '--url', `http://127.0.0.1:${port}/api/flaky`, ...load, '--max-error-rate', '1%', '--save', 'flaky.json']);
  const flakyOut = outputs();
  console.log(`exit ${flaky.code} (1 = a threshold was breached); error-rate ${flakyOut.SHIPGATE_ERROR_RATE}`);
  rmSync(join(work, 'shipgate.env'));

  step('A change makes every answer 10 ms slower: the same load against baseline.json, p95 may rise 10 % at most');
  service.delayMs = 15;
  const slower = await shipgate(['perf-baseline', '--url', url, ...load, '--baseline', 'baseline.json', '--max-regression', 'p95:+10%,rps:-10%', '--save', 'now.json']);
  const slowerOut = outputs();
  console.log(`exit ${slower.code}; regressed=${slowerOut.SHIPGATE_REGRESSED}; GitLab's load_performance report:\n${readFileSync(join(work, 'load-performance.json'), 'utf8').slice(0, 400)}…`);

  const errorRate = Number(flakyOut.SHIPGATE_ERROR_RATE);
  if (pass.code !== 0 || flaky.code !== 1 || slower.code !== 1 || slowerOut.SHIPGATE_REGRESSED !== 'true' || !(errorRate > 0.05 && errorRate < 0.15)) {
    throw new Error(
      `perf-baseline exits were ${pass.code}, ${flaky.code}, ${slower.code} (regressed=${slowerOut.SHIPGATE_REGRESSED}, error-rate ${errorRate}); expected 0, 1, 1 with regressed=true and about 10 % errors.`,
    );
  }
}
