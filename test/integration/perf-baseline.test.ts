import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perfBaseline } from '../../actions/perf-baseline/src/step.js';
import { decodeHistogram, mergeHistograms } from '../../actions/perf-baseline/src/histogram.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import { startNginx, type Nginx } from '../helpers/nginx.js';
import { closedPort, httpServer, status, type TestServer } from '../helpers/servers.js';

// Real load on loopback: NGINX from its Debian package serving a file, and Node servers with a known latency and a
// known share of errors. Loads are 1–2 s and modest in connections: other test files share the two cores.

/** Runs the step from source as a terminal runs it; outputs in their string form, the log and summary from stderr. */
async function step(flags: Record<string, string>) {
  let log = '';
  const platform = new LocalPlatform({ env: {}, flags, json: true, stdout: () => {}, stderr: (t) => void (log += t) });
  const code = await run(perfBaseline, platform);
  const outputs: Record<string, string> = { ...platform.outputs };
  return { code, outputs, log };
}

const short = { duration: '2s', warmup: '500ms', connections: '4' };
/** Answers after `ms`; every `failEvery`-th request (not the first, the pre-flight) with a 500. */
const slow = (ms: number, failEvery = 0) => (_req: IncomingMessage, res: ServerResponse, hit: number) =>
  setTimeout(() => {
    const fail = failEvery > 0 && hit % failEvery === 0;
    res.writeHead(fail ? 500 : 200, { 'content-type': 'text/plain' });
    res.end(fail ? 'boom' : 'ok');
  }, ms);

let dir: string;
let nginx: Nginx;
let latency: TestServer;
let slower: TestServer;
let flaky: TestServer;
let down: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-perf-'));
  // NGINX closes a keep-alive connection after keepalive_requests (1,000 by default): 50 makes it happen all the time
  nginx = await startNginx('server { listen 127.0.0.1:{port}; keepalive_requests 50; root {dir}/www; location / { } }');
  mkdirSync(join(nginx.dir, 'www'));
  writeFileSync(join(nginx.dir, 'www', 'index.html'), '<h1>orders</h1>\n'.repeat(64));
  latency = await httpServer(slow(20));
  slower = await httpServer(slow(40));
  flaky = await httpServer(slow(1, 10));
  down = await httpServer(status(503));
});
afterAll(async () => {
  await nginx?.stop();
  await Promise.all([latency, slower, flaky, down].map((s) => s?.close()));
});

describe('perf-baseline against real servers', { timeout: 60_000 }, () => {
  it('loads NGINX serving a file with two worker threads, passes its thresholds and saves the result; latencies stay true across reconnects', async () => {
    const save = join(dir, 'nginx.json');
    const r = await step({ url: `${nginx.url}/index.html`, ...short, workers: '2', 'max-p99': '1s', 'min-rps': '50', 'max-error-rate': '0%', save });
    expect(r.code, r.log).toBe(0);
    expect(Number(r.outputs.rps)).toBeGreaterThan(50);
    expect(r.outputs['error-rate']).toBe('0');
    expect(r.outputs).toMatchObject({ passed: 'true', regressed: 'unknown', result: save });
    const file = JSON.parse(readFileSync(save, 'utf8'));
    expect(file.params).toMatchObject({ method: 'GET', connections: 4, workers: 2, durationMs: 2000, warmupMs: 500 });
    expect(file.environment.node).toBe(process.version);
    expect(decodeHistogram(file.histogram).totalCount).toBe(file.summary.responses);
    expect(file.runs[0].seconds).toHaveLength(2);
    // Little's law: with one request in flight per connection, mean latency × throughput ≈ connections. Latencies
    // timed from the wrong request (stale after NGINX closed a connection) would put it far above.
    const inFlight = (file.summary.mean / 1000) * file.summary.rps;
    expect(inFlight).toBeGreaterThan(4 * 0.4);
    expect(inFlight).toBeLessThan(4 * 1.2);
    expect(r.log).toMatch(/\| p99 \| [\d.]+ ms \| ≤ 1,000 ms \|  \|  \| ✅ \|/);
    expect(r.log).toContain('xychart-beta');
  });

  it('reports the p50 of a service that answers in 20 ms within ±30 %', async () => {
    const r = await step({ url: latency.url, ...short, save: join(dir, 'latency.json') });
    expect(r.code, r.log).toBe(0);
    const p50 = Number(r.outputs['p50-ms']);
    expect(p50).toBeGreaterThan(14);
    expect(p50).toBeLessThan(26);
    expect(Number(r.outputs['p95-ms'])).toBeGreaterThanOrEqual(p50);
  });

  it('reports a 10 % share of 500s within ±3 points, and fails max-error-rate 1 %', async () => {
    const r = await step({ url: flaky.url, ...short, 'max-error-rate': '1%', save: join(dir, 'flaky.json') });
    expect(r.code).toBe(1);
    const rate = Number(r.outputs['error-rate']);
    expect(rate).toBeGreaterThan(0.07);
    expect(rate).toBeLessThan(0.13);
    expect(r.outputs.passed).toBe('false');
    expect(r.log).toMatch(/error: error rate (9\.\d+|10(\.\d+)?|11(\.\d+)?) % > 1 %/);
    expect(r.log).toMatch(/\*\*errors:\*\* [\d,]+ non-2xx \(500: [\d,]+\) · 0 socket errors/);
  });

  it('merges two shards that ran at once into the percentiles of one histogram over both', async () => {
    const shards = [join(dir, 'shard-1.json'), join(dir, 'shard-2.json')];
    const ran = await Promise.all(shards.map((save) => step({ url: latency.url, ...short, connections: '2', save })));
    expect(ran.map((r) => r.code)).toEqual([0, 0]);
    const merged = await step({ url: latency.url, ...short, connections: '2', merge: shards.join('\n'), save: join(dir, 'merged.json') });
    expect(merged.code, merged.log).toBe(0);
    const files = shards.map((p) => JSON.parse(readFileSync(p, 'utf8')));
    const both = mergeHistograms(files.map((f) => decodeHistogram(f.histogram)));
    expect(Number(merged.outputs['p50-ms'])).toBe(both.getValueAtPercentile(50) / 1000);
    expect(Number(merged.outputs['p95-ms'])).toBe(both.getValueAtPercentile(95) / 1000);
    expect(Number(merged.outputs['p99-ms'])).toBe(both.getValueAtPercentile(99) / 1000);
    const out = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8'));
    expect(out.summary.responses).toBe(files[0].summary.responses + files[1].summary.responses);
    expect(out.params.shards).toBe(2);
    expect(merged.log).toContain('merged from 2 shards');
  });

  it('finds a service that became twice as slow regressed against its baseline, and an unchanged one not', async () => {
    const base = join(dir, 'base.json');
    // p50 and rps are steady over three 1 s runs; a p95 from 1 s is noisy on a shared machine, so it is only reported
    const load = { duration: '1s', warmup: '300ms', runs: '3', connections: '4', 'max-regression': 'p50:+10%,p95:+10%,rps:-10%' };
    expect((await step({ url: latency.url, ...load, save: base })).code).toBe(0);
    const worse = await step({ url: slower.url, ...load, baseline: base, save: join(dir, 'worse.json') });
    expect(worse.code).toBe(1);
    expect(worse.outputs).toMatchObject({ regressed: 'true', passed: 'false' });
    expect(worse.log).toMatch(/p50 \+\d+ % \(95 % CI \+\d+ % … \+\d+ %\): regressed/);
    expect(worse.log).toMatch(/p95 [+−]\d+ % \(95 % CI [+−]\d+ % … [+−]\d+ %\): /);
    expect(worse.log).toMatch(/rps −\d+ % \(95 % CI −\d+ % … −\d+ %\): regressed/);
    expect(worse.log).toContain('95 % bootstrap interval over runs');
    expect(worse.log).toMatch(/ {2}line \[[\d.]+, [\d.]+, [\d.]+, [\d.]+\]/);
    const same = await step({ url: latency.url, ...load, baseline: base, save: join(dir, 'same.json') });
    expect(same.code, same.log).toBe(0);
    expect(same.outputs).toMatchObject({ regressed: 'false', passed: 'true' });
  });

  it('refuses to compare with a baseline of another load: a warning and regressed=unknown', async () => {
    const r = await step({ url: latency.url, ...short, connections: '3', baseline: join(dir, 'latency.json'), save: join(dir, 'other.json') });
    expect(r.code).toBe(0);
    expect(r.outputs.regressed).toBe('unknown');
    expect(r.log).toContain("warning: Not compared with the baseline '");
    expect(r.log).toContain('connections: 4 → 3');
  });

  it('treats a missing baseline as the first run: a warning, regressed=unknown', async () => {
    const r = await step({ url: latency.url, duration: '1s', warmup: '0', baseline: join(dir, 'nope.json'), save: join(dir, 'first.json') });
    expect(r.code).toBe(0);
    expect(r.outputs.regressed).toBe('unknown');
    expect(r.log).toContain('No baseline at');
  });

  it('sends no load when the pre-flight request fails: exit 3', async () => {
    const before = down.hits;
    const r = await step({ url: `${down.url}/health`, ...short, save: join(dir, 'down.json') });
    expect(r.code).toBe(3);
    expect(r.log).toContain(`Pre-flight request GET ${down.url}/health answered HTTP 503; load is only sent to an endpoint that answers 2xx. No load was sent.`);
    expect(down.hits - before).toBe(1);
    const port = await closedPort();
    const refused = await step({ url: `http://127.0.0.1:${port}/`, ...short });
    expect(refused.code).toBe(3);
    expect(refused.log).toContain(`failed: connection refused (127.0.0.1:${port}). No load was sent`);
  });

  it('rejects a baseline that is not a Shipgate result before sending any load: exit 2', async () => {
    const bad = join(dir, 'k6.json');
    writeFileSync(bad, JSON.stringify({ metrics: { http_reqs: { rate: 1 } } }));
    const before = latency.hits;
    const r = await step({ url: latency.url, ...short, baseline: bad });
    expect(r.code).toBe(2);
    expect(r.log).toContain(`Input 'baseline' names '${bad}', which is not a Shipgate result`);
    expect(latency.hits).toBe(before);
  });
});
