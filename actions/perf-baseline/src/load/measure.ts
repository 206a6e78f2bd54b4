import type { EventEmitter } from 'node:events';
import type Autocannon from 'autocannon';
import { ExternalError, errorMessage } from '../../../../shared/src/errors.js';
import { emptyMeasurement, type Measurement } from '../measurement.js';
import type { LoadParams } from '../settings.js';

/** Counts of the second that just ended, for progress lines. */
export interface Tick {
  /** Since this thread started its load. */
  elapsedMs: number;
  responses: number;
  errors: number;
}

/** The part of the load one thread generates. */
export type Share = Pick<
  LoadParams,
  | 'url'
  | 'method'
  | 'headers'
  | 'body'
  | 'connections'
  | 'maxConnections'
  | 'durationMs'
  | 'warmupMs'
  | 'rate'
  | 'arrival'
> & {
  /** Open model: where this thread's even schedule starts, ms (threads interleave). */
  phaseMs?: number;
};

/** autocannon's per-request time-out, seconds: a service that stalls longer counts a socket error. */
export const REQUEST_TIMEOUT_S = 10;

/** Which load generator runs: the open model when a rate is given, else the closed model. */
export function engineOf(share: Pick<Share, 'rate'>): 'node:http' | 'autocannon' {
  return share.rate === undefined ? 'autocannon' : 'node:http';
}

let generator: Promise<typeof Autocannon> | undefined;

/**
 * autocannon, loaded when the first load is sent: with what it pulls in it is most of the step's code, and a run
 * that stops at its inputs or its pre-flight request starts without parsing it. Worker threads load it before they
 * say they are ready, so their loads still start together.
 */
export function loadGenerator(): Promise<typeof Autocannon> {
  return (generator ??= import('autocannon').then((m) => m.default));
}

/**
 * The closed model: runs autocannon once in this thread for warm-up + duration and records, from its per-response events, what
 * arrived inside the measured window: warm-up answers and stragglers after the end are not counted.
 */
export async function measure(share: Share, onTick?: (t: Tick) => void): Promise<Measurement> {
  const autocannon = await loadGenerator();
  const m = emptyMeasurement(share.durationMs);
  m.peakConnections = share.connections;
  const start = performance.now();
  const from = start + share.warmupMs;
  const to = from + share.durationMs;
  let tick: Tick = { elapsedMs: 0, responses: 0, errors: 0 };
  const slot = (now: number) => (now >= from && now < to ? m.seconds[Math.floor((now - from) / 1000)] : undefined);

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: share.url,
        method: share.method as Autocannon.Request['method'],
        headers: share.headers,
        body: share.body || undefined,
        connections: share.connections,
        // autocannon stops at its next sample tick after `duration`: a short interval ends the load promptly
        duration: (share.warmupMs + share.durationMs) / 1000 + 0.05,
        sampleInt: 100,
        timeout: REQUEST_TIMEOUT_S,
        skipAggregateResult: true,
      },
      (err) => {
        clearInterval(ticker);
        if (err) reject(new ExternalError(`The load generator (autocannon) failed: ${errorMessage(err)}`));
        else resolve(m);
      },
    );
    const closes = closeTracker();
    instance.on('response', (client: unknown, status: number, bytes: number, ms: number) => {
      dropStaleRequests(client);
      closes.watch(client);
      const now = performance.now();
      const ok = status >= 200 && status < 300;
      tick.responses++;
      if (!ok) tick.errors++;
      const s = slot(now);
      if (!s) return;
      const us = Math.max(1, Math.round(ms * 1000));
      m.responses++;
      m.bytes += bytes;
      m.statusCodes[status] = (m.statusCodes[status] ?? 0) + 1;
      m.histogram.recordValue(us);
      m.service.recordValue(us);
      s.responses++;
      s.histogram.recordValue(us);
      if (!ok) {
        m.non2xx++;
        s.errors++;
      }
    });
    instance.on('reqError', (err: Error) => {
      if (closes.benign()) return;
      tick.errors++;
      const s = slot(performance.now());
      if (!s) return;
      m.socketErrors++;
      s.errors++;
      if (err?.message === 'request timed out') m.timeouts++;
    });
    const ticker = setInterval(() => {
      onTick?.({ ...tick, elapsedMs: performance.now() - start });
      tick = { elapsedMs: 0, responses: 0, errors: 0 };
    }, 1000);
  });
}

type QueueOwner = { pipelinedRequests?: { size?: () => number; clear?: () => void } };

/**
 * Works around an autocannon 9 bug that inflates latencies more and more over a run. When the server closes a
 * keep-alive connection (NGINX after 1,000 requests by default), the request written to the closing socket stays in
 * the client's queue of pending requests, so every later answer on that connection is timed from an older request:
 * over 15 s against NGINX the median rose from 2 ms to 20 ms. With one request in flight per connection the queue is
 * empty when an answer has been taken from it, so whatever is left is stale.
 */
function dropStaleRequests(client: unknown): void {
  const queue = (client as QueueOwner | undefined)?.pipelinedRequests;
  if (queue?.size?.()) queue.clear?.();
}

type Client = EventEmitter & { conn?: object };

/**
 * Tells a reset that the server announced from a real socket error. autocannon writes the next request as soon as an
 * answer arrives, also when that answer said `Connection: close` (NGINX closes a keep-alive connection after 1,000
 * requests): the request then meets the closed socket and comes back as ECONNRESET. An HTTP client would not have
 * sent it, so it is not the service's error. The reset counts as benign only on the socket that announced the close.
 */
function closeTracker() {
  const watched = new WeakSet<object>();
  let benign = false;
  return {
    watch(client: unknown) {
      if (!client || typeof client !== 'object' || watched.has(client)) return;
      watched.add(client);
      const c = client as Client;
      let closing: object | undefined;
      c.on(
        'headers',
        (h: { shouldKeepAlive?: boolean }) => (closing = h?.shouldKeepAlive === false ? c.conn : undefined),
      );
      // before autocannon's own listener, which reports the error as a reqError right away
      c.prependListener('connError', (err: NodeJS.ErrnoException) => {
        benign = closing !== undefined && closing === c.conn && (err?.code === 'ECONNRESET' || err?.code === 'EPIPE');
        closing = undefined;
      });
    },
    /** Whether the reqError being reported is such a reset; each answer is given once. */
    benign(): boolean {
      const was = benign;
      benign = false;
      return was;
    },
  };
}
