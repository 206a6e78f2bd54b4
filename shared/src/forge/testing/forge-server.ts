// Base of the in-process GitHub and GitLab API servers: real HTTP on 127.0.0.1, a route table, a request log and an
// auth check. Route sets that follow each API's documented contract (paths, methods, bodies, status codes) are added
// per capability, in files beside this one.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpServer, type TestServer } from '../../http/testing/servers.js';

export interface ForgeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: ForgeRequest, params: Record<string, string>) => Reply | Promise<Reply>;

export interface ForgeServer extends TestServer {
  /** Every request received, in order. */
  requests: ForgeRequest[];
  /** Adds a route; `pattern` uses `:name` segments, e.g. `/repos/:owner/:repo/issues/:number/comments`. */
  route(method: string, pattern: string, handler: Handler): void;
}

/**
 * A forge API server. `authorized` decides whether a request's credentials are accepted (401 otherwise);
 * unknown routes answer 404 with a JSON message, as both APIs do.
 */
export async function forgeServer(authorized: (headers: IncomingMessage['headers']) => boolean): Promise<ForgeServer> {
  const routes: { method: string; re: RegExp; names: string[]; handler: Handler }[] = [];
  const requests: ForgeRequest[] = [];
  const server = await httpServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      let body: unknown = raw;
      if (raw && (req.headers['content-type'] ?? '').includes('json')) {
        try {
          body = JSON.parse(raw);
        } catch {
          return send(res, { status: 400, body: { message: 'Problems parsing JSON' } });
        }
      }
      const request: ForgeRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        body,
      };
      requests.push(request);
      if (!authorized(req.headers)) return send(res, { status: 401, body: { message: 'Bad credentials' } });
      for (const r of routes) {
        const m = r.method === request.method ? r.re.exec(url.pathname) : null;
        if (!m) continue;
        const params = Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
        try {
          return send(res, await r.handler(request, params));
        } catch (err) {
          return send(res, { status: 500, body: { message: String(err) } });
        }
      }
      send(res, { status: 404, body: { message: 'Not Found' } });
    });
  });
  return Object.assign(server, {
    requests,
    route(method: string, pattern: string, handler: Handler) {
      const names: string[] = [];
      const re = new RegExp('^' + pattern.replace(/:([a-z_]+)/gi, (_m, n: string) => (names.push(n), '([^/]+)')) + '$');
      routes.push({ method, re, names, handler });
    },
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
  res.end(text);
}
