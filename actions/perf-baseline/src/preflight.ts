import { formatDuration } from '../../../shared/src/duration.js';
import { ExternalError } from '../../../shared/src/errors.js';
import { TimeoutError } from '../../../shared/src/http/get.js';
import { describeNetError } from '../../../shared/src/http/probe.js';
import { httpRequest } from '../../../shared/src/http/request.js';
import type { LoadParams } from './settings.js';

const PREFLIGHT_TIMEOUT_MS = 10_000;

/**
 * One request exactly as the load will send it. Load against an endpoint that is down or answers an error
 * would only measure how fast it fails, so that ends the step (exit 3) before any load is sent.
 */
export async function preflight(
  p: Pick<LoadParams, 'url' | 'method' | 'headers' | 'body'>,
  timeoutMs = PREFLIGHT_TIMEOUT_MS,
): Promise<{ status: number; ms: number }> {
  const what = `Pre-flight request ${p.method} ${p.url}`;
  const start = performance.now();
  let status: number;
  try {
    const res = await httpRequest(p.url, {
      method: p.method,
      headers: p.headers,
      body: p.body ? Buffer.from(p.body) : undefined,
      timeoutMs,
    });
    status = res.status;
  } catch (err) {
    const u = new URL(p.url);
    const where = `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
    const reason =
      err instanceof TimeoutError ? `no answer within ${formatDuration(timeoutMs)}` : describeNetError(err, where);
    throw new ExternalError(
      `${what} failed: ${reason}. No load was sent; check that the service is up and 'url' is right.`,
    );
  }
  if (status < 200 || status > 299) {
    throw new ExternalError(
      `${what} answered HTTP ${status}; load is only sent to an endpoint that answers 2xx. No load was sent.`,
    );
  }
  return { status, ms: performance.now() - start };
}
