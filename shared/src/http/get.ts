import { httpLib } from './lib.js';
import { requestTarget } from './url-secrets.js';

/** Thrown when a request did not finish within its time. */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`timed out after ${ms}ms`);
    this.name = 'TimeoutError';
  }
}

export interface GetOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Read the body as text; otherwise it is discarded as it arrives. */
  readBody?: boolean;
}

/**
 * One GET with a hard time limit over the whole exchange. node:http rather than fetch: a probe run sends
 * hundreds of requests at once, and fetch costs several times the CPU per request.
 * Network errors are thrown as they come (with their `code`), a time-out as TimeoutError.
 */
export async function httpGet(url: string, opts: GetOptions): Promise<{ status: number; body: string }> {
  const { url: u, auth } = requestTarget(new URL(url));
  const lib = await httpLib(u);
  return new Promise((resolve, reject) => {
    const req = lib.get(u, { headers: opts.headers, agent: false, ...(auth ? { auth } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => opts.readBody && chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', fail);
    });
    const timer = setTimeout(() => {
      req.destroy(new TimeoutError(opts.timeoutMs));
    }, opts.timeoutMs);
    function fail(err: Error) {
      clearTimeout(timer);
      reject(err);
    }
    req.on('error', fail);
  });
}
