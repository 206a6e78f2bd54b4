// Prometheus' HTTP query API on loopback, answering what the caller says: for a watch that must breach at a chosen
// moment, which a real Prometheus scraping real servers cannot time (the real one is ./prometheus.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpServer, type TestServer } from '../../http/testing/servers.js';

/** What one instant query gets: a number, NaN, an empty vector, or a query error (HTTP 400, `bad_data`). */
export type QueryAnswer = number | 'NaN' | 'empty' | 'error';

export interface QueryApi extends TestServer {
  /** The PromQL of every instant query received, in order. */
  queries: string[];
}

/**
 * Starts a server that answers `GET /api/v1/query` with `answer(query)` as a one-sample vector, as Prometheus does, and
 * `/api/v1/format_query` (parse only) with success. Anything else is a 404, as on Prometheus.
 */
export async function startQueryApi(answer: (query: string) => QueryAnswer): Promise<QueryApi> {
  const queries: string[] = [];
  const server = await httpServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.searchParams.get('query') ?? '';
    if (url.pathname === '/api/v1/format_query') return json(res, 200, { status: 'success', data: query });
    if (url.pathname !== '/api/v1/query')
      return json(res, 404, { status: 'error', errorType: 'not_found', error: 'not found' });
    queries.push(query);
    const a = answer(query);
    if (a === 'error')
      return json(res, 400, { status: 'error', errorType: 'bad_data', error: 'parse error at char 5' });
    const result = a === 'empty' ? [] : [{ metric: {}, value: [Date.now() / 1000, String(a)] }];
    json(res, 200, { status: 'success', data: { resultType: 'vector', result } });
  });
  return Object.assign(server, { queries });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
