import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse, checkBounds, parseQuery, queryUrl, singleValue } from '../../shared/src/metrics/prometheus.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

const vector = (...values: string[]) => ({
  status: 'success',
  data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { pod: `p${i}` }, value: [1700000000, v] })) },
});

describe('Prometheus instant query answers', () => {
  it('takes the one sample of a vector, or a scalar', () => {
    expect(singleValue(vector('0.25'))).toEqual({ value: 0.25 });
    expect(singleValue({ status: 'success', data: { resultType: 'scalar', result: [1700000000, '3'] } })).toEqual({
      value: 3,
    });
  });

  it('fails on an error, no series, several series, NaN, infinities and other result types', () => {
    expect(singleValue({ status: 'error', errorType: 'bad_data', error: 'parse error' })).toEqual({
      error: 'Prometheus error (bad_data): parse error',
    });
    expect(singleValue(vector())).toEqual({ error: 'no data: the query returned no series' });
    expect(singleValue(vector('1', '2'))).toMatchObject({
      error: expect.stringMatching(/^2 series, expected one \(\{"pod":"p0"\}, \{"pod":"p1"\}\); aggregate it/),
    });
    expect(singleValue(vector('NaN'))).toEqual({ error: 'the value is NaN, not a number' });
    expect(singleValue(vector('+Inf'))).toEqual({ error: 'the value is +Inf, not a number' });
    expect(singleValue({ status: 'success', data: { resultType: 'matrix', result: [] } })).toMatchObject({
      error: expect.stringContaining("result type 'matrix'"),
    });
  });

  it('compares with max and min', () => {
    expect(checkBounds(0.02, { max: 0.01 })).toEqual({ ok: false, reason: '0.02 is above analysis-max 0.01' });
    expect(checkBounds(0.5, { min: 0.99 })).toEqual({ ok: false, reason: '0.5 is below analysis-min 0.99' });
    expect(checkBounds(0.995, { min: 0.99, max: 1 })).toEqual({ ok: true, reason: '0.995 ≥ 0.99 and ≤ 1' });
  });

  it('keeps a path prefix and encodes the query', () => {
    expect(queryUrl('http://p:9090/prom/', 'sum(rate(x{a="b"}[1m]))')).toBe(
      'http://p:9090/prom/api/v1/query?query=sum%28rate%28x%7Ba%3D%22b%22%7D%5B1m%5D%29%29',
    );
  });
});

describe('analyse over HTTP', () => {
  let server: TestServer;
  const seen: { url?: string; auth?: string }[] = [];
  beforeAll(async () => {
    server = await httpServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      const q = new URL(req.url!, 'http://x').searchParams.get('query');
      if (q === 'html') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
      res.writeHead(q === 'bad(' ? 400 : 200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          q === 'bad(' ? { status: 'error', errorType: 'bad_data', error: 'unexpected end of input' } : vector('0.003'),
        ),
      );
    });
  });
  afterAll(() => server.close());

  it('sends the bearer token and passes within bounds', async () => {
    const r = await analyse({ url: server.url, query: 'errors', timeoutMs: 2000, token: 's3cret' }, { max: 0.01 });
    expect(r).toEqual({ ok: true, query: 'errors', value: 0.003, reason: '0.003 ≤ 0.01' });
    expect(seen.at(-1)).toEqual({ url: '/api/v1/query?query=errors', auth: 'Bearer s3cret' });
  });

  it('fails on a 400 with the API error, and on an answer that is not JSON', async () => {
    expect(await analyse({ url: server.url, query: 'bad(', timeoutMs: 2000 }, { max: 1 })).toMatchObject({
      ok: false,
      reason: 'Prometheus error (bad_data): unexpected end of input',
    });
    expect(await analyse({ url: server.url, query: 'html', timeoutMs: 2000 }, { max: 1 })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^HTTP 502 from Prometheus, not JSON/),
    });
  });
});

describe('parseQuery on a Prometheus older than 2.31 (no format_query)', () => {
  let server: TestServer;
  const paths: string[] = [];
  beforeAll(async () => {
    server = await httpServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      paths.push(url.pathname);
      if (url.pathname !== '/prom/api/v1/query') return void res.writeHead(404).end('404 page not found');
      const bad = url.searchParams.get('query') === 'sum(';
      res.writeHead(bad ? 400 : 200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          bad
            ? {
                status: 'error',
                errorType: 'bad_data',
                error: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
              }
            : vector(),
        ),
      );
    });
  });
  afterAll(() => server.close());

  it('falls back to an instant query and reads bad_data as the syntax error', async () => {
    expect(await parseQuery({ url: `${server.url}/prom`, query: 'sum(', timeoutMs: 2000 })).toEqual({
      ok: false,
      syntax: true,
      reason: '1:5: parse error: unclosed left parenthesis',
    });
    expect(paths).toEqual(['/prom/api/v1/format_query', '/prom/api/v1/query']);
    expect(await parseQuery({ url: `${server.url}/prom`, query: 'sum(up)', timeoutMs: 2000 })).toEqual({ ok: true });
  });

  it('tells an unreachable Prometheus from a syntax error', async () => {
    const url = server.url.replace(/:\d+$/, ':9');
    expect(await parseQuery({ url, query: 'up', timeoutMs: 2000 })).toMatchObject({
      ok: false,
      syntax: false,
      reason: expect.stringContaining('did not answer'),
    });
  });
});
