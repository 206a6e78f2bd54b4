import type http from 'node:http';
import { httpLib } from './lib.js';
import { TimeoutError } from './get.js';
import { requestTarget } from './url-secrets.js';

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Hard limit over the whole exchange, redirects included. */
  timeoutMs: number;
  /** Follow up to this many 301/302/303/307/308 redirects (0 = return them). Authorization is dropped on a host change or a move from https to http. */
  maxRedirects?: number;
}

export interface HttpResponse {
  status: number;
  /** Header names are lower case; repeated headers are joined with ', ' except set-cookie. */
  headers: Record<string, string>;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

/**
 * One HTTP request with any method, raw body bytes and response headers, for APIs where the exact bytes matter
 * (an OCI manifest's digest is the hash of its bytes, so nothing may re-encode them).
 * Network errors are thrown as they come (with their `code`), a time-out as TimeoutError.
 */
export async function httpRequest(url: string, opts: RequestOptions): Promise<HttpResponse> {
  const deadline = Date.now() + opts.timeoutMs;
  let current = new URL(url);
  let method = (opts.method ?? 'GET').toUpperCase();
  let headers = { ...opts.headers };
  let body = opts.body;
  for (let hops = 0; ; hops++) {
    const res = await once(current, method, headers, body, Math.max(1, deadline - Date.now()), opts.timeoutMs);
    if (!isRedirect(res) || hops >= (opts.maxRedirects ?? 0)) return res;
    const next = new URL(res.headers.location, current);
    // Credentials stay with the origin they were meant for, and never leave TLS.
    if (next.host !== current.host || (current.protocol === 'https:' && next.protocol !== 'https:'))
      headers = withoutAuthorization(headers);
    // 303, and 301/302 after a POST, turn into a GET as browsers and curl do
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
    current = next;
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A redirect httpRequest follows (301/302/303/307/308 with a Location); one it hands back ran out of maxRedirects. */
export function isRedirect(res: Pick<HttpResponse, 'status' | 'headers'>): boolean {
  return REDIRECTS.has(res.status) && Boolean(res.headers.location);
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
}

async function once(
  u: URL,
  method: string,
  headers: Record<string, string>,
  body: Uint8Array | undefined,
  ms: number,
  totalMs: number,
): Promise<HttpResponse> {
  const lib = await httpLib(u);
  const sent = body ? { ...headers, 'content-length': String(body.byteLength) } : headers;
  const { url, auth } = requestTarget(u);
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, headers: sent, agent: false, ...(auth ? { auth } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          headers: flatten(res.headers),
          body: Buffer.concat(chunks),
          url: u.toString(),
        });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => req.destroy(new TimeoutError(totalMs)), ms);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    req.on('error', fail);
    req.end(body);
  });
}

function flatten(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(k === 'set-cookie' ? '\n' : ', ') : v;
  return out;
}
