import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnv, githubOutputs } from '../helpers/github-runner.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';
import { node24, ROOT, runProcess } from '../helpers/run-bundle.js';

// The committed bundles, run with no node_modules around them, as the GitHub runner and a GitLab job run them.
const ACTION = join(ROOT, 'actions/perf-baseline/dist/index.js');
const CLI = join(ROOT, 'bin/shipgate.js');

let service: TestServer;
let dir: string;
let node24Bin = '';

beforeAll(async () => {
  service = await httpServer((_req: IncomingMessage, res: ServerResponse) =>
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"orders":[]}');
    }, 10),
  );
  dir = mkdtempSync(join(tmpdir(), 'shipgate-perf-e2e-'));
  node24Bin = node24();
});
afterAll(async () => {
  await service.close();
});

const githubEnvOf = (name: string, inputs: Record<string, string>) => githubEnv(dir, name, inputs);

const load = { duration: '1s', warmup: '300ms', connections: '4' };

describe('GitHub Action bundle under node 24', { timeout: 60_000 }, () => {
  it('loads the endpoint from two worker threads, sets every output and writes the summary and the result', async () => {
    const { env, output, summary } = githubEnvOf('ok', {
      url: `${service.url}/orders`,
      ...load,
      workers: '2',
      headers: 'Accept: application/json\nAuthorization: Bearer e2e-secret-token',
      'max-p95': '2s',
      save: 'results/perf.json',
    });
    const r = await runProcess(node24Bin, [ACTION], { env, cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    const out = githubOutputs(output);
    expect(Object.keys(out)).toEqual([
      'rps',
      'p50-ms',
      'p90-ms',
      'p95-ms',
      'p99-ms',
      'late',
      'dropped',
      'error-rate',
      'passed',
      'regressed',
      'result',
    ]);
    expect(Number(out.rps)).toBeGreaterThan(20);
    expect(Number(out['p50-ms'])).toBeGreaterThan(5);
    expect(out).toMatchObject({ 'error-rate': '0', passed: 'true', regressed: 'unknown', result: 'results/perf.json' });
    const file = JSON.parse(readFileSync(join(dir, 'results/perf.json'), 'utf8'));
    expect(file.params.workers).toBe(2);
    expect(file.params.headerNames).toEqual(['Accept', 'Authorization']);
    expect(JSON.stringify(file)).not.toContain('e2e-secret-token');
    // the runner masks what ::add-mask:: names; nothing else may print the credential
    expect(
      r.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain('e2e-secret-token');
    expect(r.stdout).toContain('::add-mask::e2e-secret-token');
    expect(r.stdout).not.toContain('::add-mask::Bearer\n');
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('| Metric | Value | Threshold | Baseline | Change | Verdict |');
    expect(md).toMatch(/\| p95 \| [\d.]+ ms \| ≤ 2,000 ms \|/);
    expect(md).toContain('```mermaid\nxychart-beta');
    expect(r.stdout).toContain('::group::Load: 4 connections (closed model) for 1s');
  });

  it('exits 2 naming each bad input and its accepted form, before any request', async () => {
    const before = service.hits;
    const { env, output } = githubEnvOf('bad', { url: service.url, duration: 'soon', 'max-p95': '150' });
    const r = await runProcess(node24Bin, [ACTION], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      "::error::Input 'duration' is 'soon'. Expected a duration such as 500ms, 30s, 2m or 1h.",
    );
    expect(r.stdout).toContain("Input 'max-p95' is '150'. Expected a duration such as 500ms, 30s, 2m or 1h.");
    const again = await runProcess(node24Bin, [ACTION], {
      env: githubEnvOf('bad2', { url: service.url, 'max-regression': 'p95:10', rate: '0' }).env,
      cwd: dir,
    });
    expect(again.code).toBe(2);
    expect(again.stdout).toContain("Input 'max-regression' is 'p95:10'");
    expect(again.stdout).toContain("Input 'rate' is '0'. Expected a whole number of requests per second of at least 1");
    expect(readFileSync(output, 'utf8')).toBe('');
    expect(service.hits).toBe(before);
  });
});

describe('CLI as a GitLab job runs it', { timeout: 60_000 }, () => {
  const gitlab = (job: string, vars: Record<string, string>) =>
    runProcess(process.execPath, [CLI, 'perf-baseline'], { cwd: job, env: { GITLAB_CI: 'true', ...vars } });

  it('writes the dotenv report, the load_performance report, the summary and the result; a later job compares with it', async () => {
    const job = mkdtempSync(join(tmpdir(), 'shipgate-perf-gitlab-'));
    const vars = {
      SHIPGATE_URL: service.url,
      SHIPGATE_DURATION: '1s',
      SHIPGATE_WARMUP: '300ms',
      SHIPGATE_CONNECTIONS: '4',
      SHIPGATE_WORKERS: '2',
    };
    const first = await gitlab(job, { ...vars, SHIPGATE_SAVE: 'baseline.json' });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const dotenv = readFileSync(join(job, 'shipgate.env'), 'utf8');
    expect(dotenv).toMatch(/^SHIPGATE_RPS=\d+(\.\d)?$/m);
    expect(dotenv).toMatch(/^SHIPGATE_P95_MS=[\d.]+$/m);
    expect(dotenv).toContain('SHIPGATE_PASSED=true\nSHIPGATE_REGRESSED=unknown\nSHIPGATE_RESULT=baseline.json\n');
    const k6 = JSON.parse(readFileSync(join(job, 'load-performance.json'), 'utf8'));
    expect(k6.metrics.http_reqs.rate).toBeGreaterThan(20);
    expect(k6.metrics.http_req_waiting['p(90)']).toBeGreaterThan(5);
    expect(k6.metrics.http_req_waiting['p(95)']).toBeGreaterThanOrEqual(k6.metrics.http_req_waiting['p(90)']);
    expect(k6.metrics.checks.fails).toBe(0);
    expect(readFileSync(join(job, 'shipgate-summary.md'), 'utf8')).toContain('✅ **passed**');

    // The next pipeline: the same load, the earlier result as its baseline, and a p50 limit no service meets.
    const second = await gitlab(job, {
      ...vars,
      SHIPGATE_BASELINE: 'baseline.json',
      SHIPGATE_MAX_P50: '1ms',
      SHIPGATE_SAVE: 'now.json',
    });
    expect(second.code).toBe(1);
    expect(second.stdout).toMatch(/error\S*: p50 [\d.]+ ms > 1 ms/);
    const outputs = JSON.parse(readFileSync(join(job, 'shipgate-outputs.json'), 'utf8'));
    expect(outputs.passed).toBe('false');
    expect(outputs.regressed).toMatch(/^(true|false)$/);
    expect(readFileSync(join(job, 'shipgate-summary.md'), 'utf8')).toContain(
      '| Metric | Value | Threshold | Baseline | Change | Verdict |',
    );
  });

  it('exits 3 without load when the endpoint is down', async () => {
    const job = mkdtempSync(join(tmpdir(), 'shipgate-perf-gitlab-'));
    const r = await gitlab(job, { SHIPGATE_URL: 'http://127.0.0.1:9/', SHIPGATE_DURATION: '1s' });
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Pre-flight request GET http://127.0.0.1:9/ failed: connection refused');
  });
});
