import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { perfBaseline } from '../../actions/perf-baseline/src/step.js';
import { runLocal } from '../helpers/local-step.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

// Inputs as people type them, each run through the step as the CLI runs it, against real loopback servers.

let dir: string;
/** The step as the CLI runs it; every run's history goes to the test's directory unless a test names its own. */
const step = (flags: Record<string, string>) =>
  runLocal(perfBaseline, { history: join(dir, 'history.jsonl'), ...flags });
let echo: TestServer;
let flaky: TestServer;
const bodies: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-perf-inputs-'));
  echo = await httpServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  // every 10th request (not the pre-flight, the first) is a 500
  flaky = await httpServer((_req, res, hit) => res.writeHead(hit % 10 === 0 ? 500 : 200).end());
});
afterAll(async () => {
  await Promise.all([echo, flaky].map((s) => s?.close()));
});

const quick = { rate: '50', duration: '2s', warmup: '0', connections: '4' };

describe('perf-baseline inputs', { timeout: 60_000 }, () => {
  it('takes max-error-rate as a fraction, as the error-rate output prints it, as well as a percentage', async () => {
    const asFraction = await step({ url: flaky.url, ...quick, 'max-error-rate': '0.01', save: join(dir, 'a.json') });
    expect(asFraction.code, asFraction.log).toBe(1);
    expect(Number(asFraction.outputs['error-rate'])).toBeCloseTo(0.1, 1);
    expect(asFraction.log).toMatch(/error: error rate 10 % > 1 %/);
    const lenient = await step({ url: flaky.url, ...quick, 'max-error-rate': '0.2', save: join(dir, 'b.json') });
    expect(lenient.code, lenient.log).toBe(0);
    expect(lenient.log).toContain('| error rate | 10 % | ≤ 20 % |');
    const ambiguous = await step({ url: flaky.url, ...quick, 'max-error-rate': '5' });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.log).toContain(
      "Input 'max-error-rate' is '5'. Expected a percentage from 0% to 100% such as 1%, or a fraction below 1 such as 0.01. For 5 percent write 5%",
    );
  });

  it('sends the contents of the file named by body: @file, and names the input when the file is missing, before any request', async () => {
    const file = join(dir, 'order.json');
    writeFileSync(file, '{"sku":"A-1","qty":2}\n');
    bodies.length = 0;
    const r = await step({
      url: echo.url,
      method: 'POST',
      headers: 'Content-Type: application/json',
      body: `@${file}`,
      ...quick,
      save: join(dir, 'c.json'),
    });
    expect(r.code, r.log).toBe(0);
    expect(bodies.length).toBe(1 + 100);
    expect(new Set(bodies)).toEqual(new Set(['{"sku":"A-1","qty":2}\n']));
    const literal = await step({
      url: echo.url,
      method: 'POST',
      body: '@@handle',
      ...quick,
      duration: '1s',
      save: join(dir, 'd.json'),
    });
    expect(literal.code, literal.log).toBe(0);
    expect(bodies.at(-1)).toBe('@handle');
    const before = echo.hits;
    const missing = await step({ url: echo.url, method: 'POST', body: '@nope/order.json', ...quick });
    expect(missing.code).toBe(2);
    expect(missing.log).toContain(
      "Input 'body' is '@nope/order.json', but the file 'nope/order.json' does not exist. Fix the path (relative to",
    );
    expect(echo.hits).toBe(before);
  });

  it('counts exactly the requests of the measured window, as the server received them, and shows p90 in the table', async () => {
    const before = echo.hits;
    const r = await step({ url: echo.url, rate: '50', duration: '2s', warmup: '1s', save: join(dir, 'e.json') });
    expect(r.code, r.log).toBe(0);
    // pre-flight 1, warm-up 50, measured 100: the report says 100 answers at 50/s
    expect(echo.hits - before).toBe(1 + 50 + 100);
    expect(JSON.parse(readFileSync(join(dir, 'e.json'), 'utf8')).summary.responses).toBe(100);
    expect(r.outputs.rps).toBe('50');
    expect(r.log).toContain('**Answers:** 100 ·');
    expect(r.log).toMatch(/\| p90 \| [\d.]+ ms \|/);
    expect(Number(r.outputs['p90-ms'])).toBeGreaterThan(0);
  });

  it('refuses to merge two runs that went one after the other, and merges shards that ran together', async () => {
    const [first, second] = [join(dir, 'first.json'), join(dir, 'second.json')];
    const load = { url: echo.url, ...quick, duration: '1s' };
    expect((await step({ ...load, save: first })).code).toBe(0);
    expect((await step({ ...load, save: second })).code).toBe(0);
    const sequential = await step({ ...load, merge: `${first}\n${second}`, save: join(dir, 'merged.json') });
    expect(sequential.code).toBe(2);
    expect(sequential.log).toContain("Input 'merge' lists results that ran one after the other, not at the same time:");
    expect(sequential.log).toContain('their requests per second add up, those of sequential runs do not');
    const shards = [join(dir, 'shard-1.json'), join(dir, 'shard-2.json')];
    await Promise.all(shards.map((save) => step({ ...load, save })));
    const together = await step({ ...load, merge: shards.join('\n'), save: join(dir, 'merged.json') });
    expect(together.code, together.log).toBe(0);
    expect(Number(together.outputs.rps)).toBe(100);
  });

  it('appends every run to the history file with its commit and charts the runs in the summary', async () => {
    // the default, perf-history.jsonl beside perf-result.json, is what the GitLab component caches
    expect(perfBaseline.schema.inputs.history.default).toBe('perf-history.jsonl');
    const history = join(dir, 'own-history.jsonl');
    const load = { url: echo.url, ...quick, duration: '1s', history, save: join(dir, 'h.json') };
    expect((await runLocal(perfBaseline, load)).code).toBe(0);
    const second = await runLocal(perfBaseline, load);
    expect(second.code, second.log).toBe(0);
    const lines = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const head = execFileSync('git', ['rev-parse', 'HEAD']).toString().trim();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ commit: head, model: 'open', rps: 50, dropped: 0 });
    expect(Date.parse(lines[1].time)).toBeGreaterThan(Date.parse(lines[0].time));
    expect(second.log).toContain('**History** (2 runs kept; the last 2 charted):');
    expect(second.log).toContain(`x-axis ["${head.slice(0, 7)}", "${head.slice(0, 7)}"]`);
    expect(second.log).toMatch(
      /title "Latency of the last 2 runs \(ms\): p50, p95, p99 from bottom to top"\n.*\n.*\n(  line \[[\d.]+, [\d.]+\]\n){2}  line \[[\d.]+, [\d.]+\]/,
    );
    expect(second.log).toContain('  line [50, 50]');
  });
});
