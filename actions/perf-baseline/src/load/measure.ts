import autocannon from 'autocannon';
import { ExternalError, errorMessage } from '../../../../shared/src/errors.js';
import { newHistogram } from '../histogram.js';
import type { Measurement } from '../measurement.js';
import type { LoadParams } from '../settings.js';

/** Counts of the second that just ended, for progress lines. */
export interface Tick {
  /** Since this thread started its load. */
  elapsedMs: number;
  responses: number;
  errors: number;
}

/** The part of the load one thread generates. */
export type Share = Pick<LoadParams, 'url' | 'method' | 'headers' | 'body' | 'connections' | 'durationMs' | 'warmupMs' | 'rate'>;

/** autocannon's per-request time-out, seconds: a service that stalls longer counts a socket error. */
export const REQUEST_TIMEOUT_S = 10;

/**
 * Runs autocannon once in this thread for warm-up + duration and records, from its per-response events, what
 * arrived inside the measured window: warm-up answers and stragglers after the end are not counted.
 */
export function measure(share: Share, onTick?: (t: Tick) => void): Promise<Measurement> {
  const seconds = Math.ceil(share.durationMs / 1000);
  const m: Measurement = {
    durationMs: share.durationMs,
    responses: 0,
    non2xx: 0,
    socketErrors: 0,
    timeouts: 0,
    statusCodes: {},
    bytes: 0,
    histogram: newHistogram(),
    seconds: Array.from({ length: seconds }, () => ({ responses: 0, errors: 0, histogram: newHistogram() })),
  };
  const start = performance.now();
  const from = start + share.warmupMs;
  const to = from + share.durationMs;
  let tick: Tick = { elapsedMs: 0, responses: 0, errors: 0 };
  const slot = (now: number) => (now >= from && now < to ? m.seconds[Math.floor((now - from) / 1000)] : undefined);

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: share.url,
        method: share.method as autocannon.Request['method'],
        headers: share.headers,
        body: share.body || undefined,
        connections: share.connections,
        overallRate: share.rate,
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
    instance.on('response', (_client: unknown, status: number, bytes: number, ms: number) => {
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
      s.responses++;
      s.histogram.recordValue(us);
      if (!ok) {
        m.non2xx++;
        s.errors++;
      }
    });
    instance.on('reqError', (err: Error) => {
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
