import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  url: string;
  port: number;
  /** Requests received so far. */
  hits: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with a random port. */
export async function httpServer(
  handler: (req: IncomingMessage, res: ServerResponse, hit: number) => void,
): Promise<TestServer> {
  const state = { hits: 0 };
  const server: Server = createServer((req, res) => handler(req, res, ++state.hits));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get hits() {
      return state.hits;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers every request with a fixed status. */
export function status(code: number) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(code, { 'content-type': 'text/plain' });
    res.end(code < 300 ? 'ok' : 'not ok');
  };
}

/** A port nobody listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const s = await httpServer(status(200));
  await s.close();
  return s.port;
}
