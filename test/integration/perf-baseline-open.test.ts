import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../actions/perf-baseline/src/histogram.js';
import { perfBaseline } from '../../actions/perf-baseline/src/step.js';
import { runLocal } from '../helpers/local-step.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

// The open model against real loopback servers, with the real clock: a service that freezes for one second must
// show in the percentiles (no coordinated omission), and a healthy one must not be made to look slow by the correction.
// 8 s loads as the acceptance criteria name them; the machine is shared, so bounds leave room for a busy runner.

/** From its `after`-th request on, answers nothing for one second, then everything it holds at once. */
function stall(after: number) {
  let until = 0;
  return (_req: IncomingMessage, res: ServerResponse, hit: number) => {
    if (hit === after) until = performance.now() + 1000;
    const answer = () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    const wait = until - performance.now();
    if (wait > 0) setTimeout(answer, wait);
    else answer();
  };
}

let dir: string;
/** The step as the CLI runs it; every run's history goes to the test's directory unless a test names its own. */
const step = (flags: Record<string, string>) =>
  runLocal(perfBaseline, { history: join(dir, 'history.jsonl'), ...flags });
let stalling: TestServer;
let fast: TestServer;
let slow: TestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-perf-open-'));
  stalling = await httpServer(stall(500));
  fast = await httpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  slow = await httpServer((_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 100));
});
afterAll(async () => {
  await Promise.all([stalling, fast, slow].map((s) => s?.close()));
});

const open = { rate: '200', connections: '50', duration: '8s', warmup: '0' };

describe('perf-baseline open model (rate) against real servers', { timeout: 60_000 }, () => {
  it('charges a one-second stall to every request it held up: p95 ≥ 300 ms, p99 ≥ 700 ms, p50 < 50 ms, and max-p95 150ms fails', async () => {
    const save = join(dir, 'stall.json');
    const r = await step({ url: stalling.url, ...open, 'max-p95': '150ms', save });
    expect(r.code, r.log).toBe(1);
    expect(Number(r.outputs['p95-ms'])).toBeGreaterThanOrEqual(300);
    expect(Number(r.outputs['p99-ms'])).toBeGreaterThanOrEqual(700);
    expect(Number(r.outputs['p50-ms'])).toBeLessThan(50);
    expect(r.log).toMatch(/error: p95 [\d,.]+ ms > 150 ms/);
    expect(r.log).toContain('**Open model** (node:http, even arrivals)');
    // 50 connections were held: the ~150 requests due meanwhile waited for one and left late
    expect(Number(r.outputs.late)).toBeGreaterThan(50);
    const file = JSON.parse(readFileSync(save, 'utf8'));
    // every request of the schedule was sent and answered
    expect(file.summary.responses).toBe(1600);
    // the uncorrected histogram is kept beside, and shows much less of the stall
    const service = decodeHistogram(file.serviceHistogram);
    expect(service.totalCount).toBe(1600);
    expect(service.getValueAtPercentile(95) / 1000).toBeLessThan(file.summary.p95);
    expect(file.summary.service.p95).toBe(service.getValueAtPercentile(95) / 1000);
  });

  it('holds 200/s against a fast server: rps 190–210, p99 < 50 ms beyond its own event-loop delay, nothing late', async () => {
    const before = fast.hits;
    // how long this process itself was kept from running: on a saturated machine that, not the correction, is the tail
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const r = await step({ url: fast.url, ...open, save: join(dir, 'fast.json') });
    delay.disable();
    const starved = `event-loop delay of this process during the load: p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms, max ${(delay.max / 1e6).toFixed(0)} ms`;
    expect(r.code, r.log).toBe(0);
    expect(Number(r.outputs.rps)).toBeGreaterThanOrEqual(190);
    expect(Number(r.outputs.rps)).toBeLessThanOrEqual(210);
    // Latency is counted from each request's intended time, so the time this process was kept from running shows in
    // it: the bound is 50 ms over the p99 of that delay (a few ms on an idle machine), not over the machine's load.
    expect(Number(r.outputs['p99-ms']), starved).toBeLessThan(50 + delay.percentile(99) / 1e6);
    expect(r.outputs).toMatchObject({ late: '0', dropped: '0' });
    // what the report counts is what the server received: the pre-flight plus the 1,600 of the schedule
    expect(fast.hits - before).toBe(1 + 1600);
  });

  it('opens more connections when all are busy, up to max-connections, and counts requests that had to wait as late', async () => {
    // 100 ms answers at 50/s need about 5 connections at once
    const load = { url: slow.url, rate: '50', connections: '2', duration: '2s', warmup: '0' };
    const grows = await step({ ...load, 'max-connections': '20', save: join(dir, 'grows.json') });
    expect(grows.code, grows.log).toBe(0);
    // none waited for a connection; a few may still leave over 100 ms late when a busy machine holds the process back
    expect(Number(grows.outputs.late)).toBeLessThan(10);
    const peak = JSON.parse(readFileSync(join(dir, 'grows.json'), 'utf8')).runs[0].peakConnections;
    expect(peak).toBeGreaterThanOrEqual(4);
    expect(peak).toBeLessThanOrEqual(20);
    const capped = await step({ ...load, save: join(dir, 'capped.json') });
    expect(capped.code, capped.log).toBe(0);
    expect(Number(capped.outputs.late)).toBeGreaterThan(50);
    // waiting for one of two connections, the requests are answered long after their intended time
    expect(Number(capped.outputs['p95-ms'])).toBeGreaterThan(300);
    expect(capped.log).toMatch(/requests left late \(every connection was busy/);
  });

  it('spaces requests at random with arrival: poisson, about rate per second on average', async () => {
    const before = fast.hits;
    const r = await step({
      url: fast.url,
      rate: '100',
      arrival: 'poisson',
      duration: '3s',
      warmup: '0',
      save: join(dir, 'poisson.json'),
    });
    expect(r.code, r.log).toBe(0);
    const sent = fast.hits - before - 1;
    expect(sent).toBeGreaterThan(240);
    expect(sent).toBeLessThan(360);
    expect(JSON.parse(readFileSync(join(dir, 'poisson.json'), 'utf8')).params).toMatchObject({
      rate: 100,
      arrival: 'poisson',
      engine: 'node:http',
    });
    expect(r.log).toContain('**Open model** (node:http, poisson arrivals)');
  });
});
