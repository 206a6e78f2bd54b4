import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../shared/src/clock.js';
import { probeAll, type ProbeOptions, type ProbeResult } from '../../shared/src/http/probe.js';

// Everything here talks to servers on loopback only.
const HOST = '127.0.0.1';

function listen(server: http.Server | net.Server, host = HOST): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function close(server: http.Server | net.Server): Promise<void> {
  if (server instanceof http.Server) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function freePort(host = HOST): Promise<number> {
  const server = net.createServer();
  const port = await listen(server, host);
  await close(server);
  return port;
}

async function canListen(host: string): Promise<boolean> {
  const server = net.createServer();
  try {
    await listen(server, host);
    await close(server);
    return true;
  } catch {
    return false;
  }
}

const ipv6 = await canListen('::1');

const fast: Omit<ProbeOptions, 'clock'> = {
  attemptTimeoutMs: 1_000,
  intervalMs: 20,
  deadlineMs: 3_000,
  concurrency: 4,
};
const opts = (over: Partial<ProbeOptions> = {}): ProbeOptions => ({ clock: realClock, ...fast, ...over });
const probeOne = async (url: string, over: Partial<ProbeOptions> = {}): Promise<ProbeResult> =>
  (await probeAll([{ name: 'svc', url }], opts(over)))[0];

describe('probeAll against real HTTP and TCP servers', () => {
  const slowTimers = new Set<NodeJS.Timeout>();
  let flaps = 0;
  let base = '';
  let tcpPort = 0;
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/ok') return void res.end('ok');
    if (path === '/unavailable') return void res.writeHead(503).end('down');
    if (path === '/no-content') return void res.writeHead(204).end();
    if (path === '/flap') return void res.writeHead(++flaps <= 2 ? 503 : 200).end();
    if (path === '/slow') {
      const timer = setTimeout(() => res.end('late'), 2_000);
      slowTimers.add(timer);
      return;
    }
    res.writeHead(404).end();
  });
  const tcpServer = net.createServer((socket) => socket.destroy());

  beforeAll(async () => {
    base = `http://${HOST}:${await listen(server)}`;
    tcpPort = await listen(tcpServer);
  });
  afterAll(async () => {
    for (const timer of slowTimers) clearTimeout(timer);
    await Promise.all([close(server), close(tcpServer)]);
  });

  it('is healthy on 200 with one attempt', async () => {
    const r = await probeOne(`${base}/ok`);
    expect(r).toMatchObject({ healthy: true, attempts: 1, status: 200 });
    expect(r.lastError).toBeUndefined();
    expect(r.latencyMs).toBeGreaterThan(0);
  });

  it('retries a 503 until the deadline and reports HTTP 503', async () => {
    const started = performance.now();
    const r = await probeOne(`${base}/unavailable`, { deadlineMs: 600, intervalMs: 50 });
    expect(r).toMatchObject({ healthy: false, status: 503, lastError: 'HTTP 503' });
    expect(r.attempts).toBeGreaterThan(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('times out a slow server per attempt instead of waiting for its answer', async () => {
    const started = performance.now();
    const r = await probeOne(`${base}/slow`, { attemptTimeoutMs: 200, deadlineMs: 600, intervalMs: 50 });
    const elapsed = performance.now() - started;
    expect(r.healthy).toBe(false);
    expect(r.lastError).toMatch(/^timed out after \d+ms$/);
    // the server answers after 2s: finishing well before that proves the attempt timeout works
    expect(elapsed).toBeLessThan(1_500);
  });

  it('reports a closed port as connection refused', async () => {
    const port = await freePort();
    const r = await probeOne(`http://${HOST}:${port}/health`, { deadlineMs: 200 });
    expect(r.healthy).toBe(false);
    expect(r.lastError).toBe(`connection refused (${HOST}:${port})`);
  });

  it('becomes healthy on the third attempt when the first two fail', async () => {
    flaps = 0;
    const r = await probeOne(`${base}/flap`);
    expect(r).toMatchObject({ healthy: true, attempts: 3, status: 200 });
    expect(flaps).toBe(3);
  });

  it('honours expectStatus instead of any 2xx', async () => {
    const on200 = await probeOne(`${base}/ok`, { expectStatus: [204], deadlineMs: 100 });
    expect(on200).toMatchObject({ healthy: false, status: 200 });
    expect(on200.lastError).toContain('HTTP 200');
    const on204 = await probeOne(`${base}/no-content`, { expectStatus: [204] });
    expect(on204).toMatchObject({ healthy: true, status: 204, attempts: 1 });
  });

  it('probes tcp:// targets by connecting', async () => {
    const closedPort = await freePort();
    const [open, closed] = await probeAll(
      [
        { name: 'db', url: `tcp://${HOST}:${tcpPort}` },
        { name: 'cache', url: `tcp://${HOST}:${closedPort}` },
      ],
      opts({ deadlineMs: 200 }),
    );
    expect(open).toMatchObject({ name: 'db', healthy: true, attempts: 1 });
    expect(closed).toMatchObject({
      name: 'cache',
      healthy: false,
      lastError: `connection refused (${HOST}:${closedPort})`,
    });
  });

  it.runIf(ipv6)('probes IPv6 literals like tcp://[::1]:port (skipped when ::1 cannot be bound)', async () => {
    const server6 = net.createServer((socket) => socket.destroy());
    const port = await listen(server6, '::1');
    const closedPort = await freePort('::1');
    try {
      const [open, closed] = await probeAll(
        [
          { name: 'v6', url: `tcp://[::1]:${port}` },
          { name: 'v6-closed', url: `tcp://[::1]:${closedPort}` },
        ],
        opts({ deadlineMs: 200 }),
      );
      expect(open.healthy).toBe(true);
      expect(closed.lastError).toBe(`connection refused ([::1]:${closedPort})`);
    } finally {
      await close(server6);
    }
  });
});

describe('probeAll against a Consul-shaped health API', () => {
  const TOKEN = 'test-token-123';
  const seen: { url: string; token: string | undefined }[] = [];
  let consulUrl = '';

  // Consul's /v1/health/service/<name> entries: Node, Service and Checks; api-3 fails its service check.
  const instance = (id: number, status: string) => ({
    Node: { ID: `node-${id}-id`, Node: `node-${id}`, Address: `10.0.0.${id}`, Datacenter: 'dc1' },
    Service: { ID: `api-${id}`, Service: 'api', Tags: [], Address: `10.0.0.${id}`, Port: 8080 },
    Checks: [
      {
        Node: `node-${id}`,
        CheckID: 'serfHealth',
        Name: 'Serf Health Status',
        Status: 'passing',
        ServiceID: '',
        ServiceName: '',
      },
      {
        Node: `node-${id}`,
        CheckID: `service:api-${id}`,
        Name: 'HTTP /health',
        Status: status,
        ServiceID: `api-${id}`,
        ServiceName: 'api',
      },
    ],
  });
  const catalog: Record<string, ReturnType<typeof instance>[]> = {
    api: [instance(1, 'passing'), instance(2, 'passing'), instance(3, 'critical')],
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://consul');
    const token = req.headers['x-consul-token'] as string | undefined;
    seen.push({ url: req.url ?? '', token });
    if (token !== TOKEN) return void res.writeHead(403).end('ACL not found');
    const match = /^\/v1\/health\/service\/([^/]+)$/.exec(url.pathname);
    if (!match) return void res.writeHead(404).end();
    const name = decodeURIComponent(match[1]);
    if (name === 'broken') return void res.writeHead(500).end('rpc error');
    const all = catalog[name] ?? [];
    const entries = url.searchParams.has('passing')
      ? all.filter((e) => e.Checks.every((c) => c.Status === 'passing'))
      : all;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(entries));
  });

  beforeAll(async () => {
    consulUrl = `http://${HOST}:${await listen(server)}`;
  });
  afterAll(() => close(server));

  const consul = (service: string, minInstances: number, over: Partial<ProbeOptions> = {}) =>
    probeOne(`consul:${service}`, { consul: { url: consulUrl, token: TOKEN, minInstances }, deadlineMs: 150, ...over });

  it('is healthy with 2 passing instances when 2 are needed, sending the token and ?passing', async () => {
    seen.length = 0;
    const r = await consul('api', 2);
    expect(r).toMatchObject({ healthy: true, attempts: 1 });
    expect(seen).toEqual([{ url: '/v1/health/service/api?passing', token: TOKEN }]);
  });

  it('is unhealthy when fewer instances pass than needed, naming the counts', async () => {
    const r = await consul('api', 3);
    expect(r.healthy).toBe(false);
    expect(r.lastError).toBe('2 passing instances, need 3');
  });

  it('is unhealthy for an unknown service (Consul answers an empty array)', async () => {
    const r = await consul('no-such-service', 1);
    expect(r.healthy).toBe(false);
    expect(r.lastError).toBe('0 passing instances, need 1');
  });

  it('reports Consul errors and a missing token', async () => {
    expect((await consul('broken', 1)).lastError).toBe('HTTP 500 from Consul');
    const noToken = await probeOne('consul:api', { consul: { url: consulUrl, minInstances: 1 }, deadlineMs: 0 });
    expect(noToken.lastError).toBe('HTTP 403 from Consul');
  });

  it('escapes the service name in the path', async () => {
    seen.length = 0;
    await consul('a b/c', 1, { deadlineMs: 0 });
    expect(seen[0].url).toBe('/v1/health/service/a%20b%2Fc?passing');
  });
});
