import type * as Http from 'node:http';

/**
 * node:http or node:https for a URL, loaded on first use: the two (with TLS under https) are a fifth of a step's
 * start-up, and a step that fails on its inputs or prints its help never sends a request.
 */
export async function httpLib(u: URL): Promise<Pick<typeof Http, 'request' | 'get'>> {
  return u.protocol === 'https:' ? import('node:https') : import('node:http');
}
