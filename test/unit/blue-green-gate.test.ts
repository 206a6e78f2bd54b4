import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/src/clock.js';
import { colourUrl, healthGate } from '../../shared/src/http/gate.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

// Real answers from a loopback server; a fake clock so waits take no time.
let server: TestServer;
const answers: Record<string, number[]> = {};
beforeAll(async () => {
  server = await httpServer((req, res) => {
    const script = answers[req.url!] ?? [200];
    res.writeHead(script.length > 1 ? script.shift()! : script[0]).end();
  });
});
afterAll(() => server.close());

function gate(path: string, script: number[], over: Partial<Parameters<typeof healthGate>[1]> = {}) {
  answers[path] = [...script];
  return healthGate(`${server.url}${path}`, {
    clock: new FakeClock(),
    threshold: 3,
    timeoutMs: 10_000,
    intervalMs: 1000,
    ...over,
  });
}

describe('health gate', () => {
  it('passes after threshold consecutive 2xx, counting from the last failure', async () => {
    const r = await gate('/recovering', [503, 200, 200, 500, 200, 200, 200]);
    expect(r).toMatchObject({ ok: true, consecutive: 3, attempts: 7, failures: 2, lastError: 'HTTP 500', status: 200 });
    expect(r.elapsedMs).toBeGreaterThanOrEqual(6000);
  });

  it('fails at the time-out with the last error', async () => {
    const r = await gate('/down', [503], { timeoutMs: 4500 });
    expect(r).toMatchObject({ ok: false, consecutive: 0, attempts: 6, lastError: 'HTTP 503' });
  });

  it('strict: one failure fails at once', async () => {
    const r = await gate('/flap', [200, 503, 200], { failFast: true });
    expect(r).toMatchObject({ ok: false, attempts: 2, failures: 1, lastError: 'HTTP 503' });
  });

  it('keeps watching for minDurationMs even once the threshold is met', async () => {
    const r = await gate('/steady', [200], { threshold: 2, minDurationMs: 5000, intervalMs: 500, failFast: true });
    expect(r.ok).toBe(true);
    expect(r.attempts).toBeGreaterThanOrEqual(11);
    const late = await gate('/late-flap', [200, 200, 200, 200, 503, 200], {
      threshold: 2,
      minDurationMs: 5000,
      intervalMs: 500,
      failFast: true,
    });
    expect(late).toMatchObject({ ok: false, attempts: 5 });
  });

  it('reports a refused connection', async () => {
    const closed = await httpServer(() => {});
    await closed.close();
    const r = await healthGate(`${closed.url}/healthz`, {
      clock: new FakeClock(),
      threshold: 1,
      timeoutMs: 0,
      intervalMs: 10,
    });
    expect(r).toMatchObject({ ok: false, attempts: 1, lastError: expect.stringContaining('connection refused') });
  });

  it('fills {color} in the URL', () => {
    expect(colourUrl('http://{color}.web.internal/healthz?c={color}', 'green')).toBe(
      'http://green.web.internal/healthz?c=green',
    );
  });
});
