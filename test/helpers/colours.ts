// The two colours of a blue-green pair as real Node servers on loopback: `/` answers with the colour's name, `/healthz`
// follows a switch the test controls, `/slow?ms=N` answers late, `/metrics` exposes Prometheus text a test can make breach a threshold.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How `/healthz` answers: always 200, always 503, or 503 on every other probe. */
export type HealthMode = 'healthy' | 'unhealthy' | 'flapping';

export interface ColourServer {
  colour: string;
  port: number;
  url: string;
  /** host:port, as an NGINX upstream or HAProxy server address. */
  address: string;
  /** Requests to anything but /healthz and /metrics. */
  hits: number;
  /** Date.now() of the first such request, if any. */
  firstHitAt?: number;
  health: HealthMode;
  /** When set, `/healthz` fails from this many probes on, whatever `health` says: a target that breaks once it takes traffic. */
  failFromProbe?: number;
  healthProbes: number;
  /** Value of the gauge `app_error_ratio{color=…}` on /metrics. */
  errorRatio: number;
  close(): Promise<void>;
}

export async function colourServer(colour: string): Promise<ColourServer> {
  const state: Omit<ColourServer, 'port' | 'url' | 'address' | 'close'> = {
    colour,
    hits: 0,
    health: 'healthy',
    healthProbes: 0,
    errorRatio: 0,
  };
  const server: Server = createServer((req, res) => {
    if (req.url === '/healthz') {
      state.healthProbes++;
      const broken = state.failFromProbe !== undefined && state.healthProbes >= state.failFromProbe;
      const ok =
        !broken && (state.health === 'healthy' || (state.health === 'flapping' && state.healthProbes % 2 === 1));
      res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'unhealthy');
      return;
    }
    if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(
        `# TYPE app_requests_total counter\napp_requests_total{color="${colour}"} ${state.hits}\n` +
          `# TYPE app_error_ratio gauge\napp_error_ratio{color="${colour}"} ${state.errorRatio}\n`,
      );
      return;
    }
    state.hits++;
    state.firstHitAt ??= Date.now();
    const answer = () => res.writeHead(200, { 'content-type': 'text/plain', 'x-colour': colour }).end(colour);
    // `/slow?ms=N`: a long request still in flight while traffic moves away
    const slow = /^\/slow\?ms=(\d+)$/.exec(req.url ?? '');
    if (slow) setTimeout(answer, Number(slow[1]));
    else answer();
  });
  // Longer than any proxy's idle time, so a reused upstream connection is never closed under a request in flight.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(state, {
    port,
    url: `http://127.0.0.1:${port}`,
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** Blue and green, started together. */
export async function colourPair(): Promise<{ blue: ColourServer; green: ColourServer; close(): Promise<void> }> {
  const [blue, green] = await Promise.all([colourServer('blue'), colourServer('green')]);
  return { blue, green, close: async () => void (await Promise.all([blue.close(), green.close()])) };
}
