import * as http from 'node:http';
import * as https from 'node:https';
import { emptyMeasurement, type Measurement } from '../measurement.js';
import { REQUEST_TIMEOUT_S, type Share, type Tick } from './measure.js';
import { intendedTimes } from './schedule.js';

/**
 * A request is late when it had to wait for a connection (every one of `maxConnections` was busy at its intended
 * time), or when the generator itself fell this far behind its schedule. Lag below that is timer jitter and the
 * scheduling of a busy runner; the corrected latency includes it all the same.
 */
export const LATE_AFTER_MS = 100;
/** A request that could not leave within this long of its intended time is dropped (k6: dropped_iterations). */
export const DROP_AFTER_MS = 5000;

/**
 * The open model on node:http: every request has an intended send time on a fixed schedule, and its latency is
 * counted from that time, so a service that stalls is charged for the requests it held up, not only for the ones a
 * free connection happened to send (coordinated omission). When every connection is busy, another is opened, up to
 * `maxConnections`; beyond that requests wait in order and are sent late, or dropped past `DROP_AFTER_MS`.
 *
 * The measured window is the requests whose intended time falls in it; the run ends when each of them is answered,
 * failed or dropped, so the count is exactly what the schedule sent the service.
 */
export function measureOpen(share: Share, onTick?: (t: Tick) => void): Promise<Measurement> {
  const rate = share.rate!;
  const m = emptyMeasurement(share.durationMs);
  const url = new URL(share.url);
  const client = url.protocol === 'https:' ? https : http;
  const max = Math.max(share.connections, share.maxConnections ?? share.connections);
  const agent = new client.Agent({ keepAlive: true, maxSockets: max });
  const body = share.body ? Buffer.from(share.body) : undefined;
  const times = intendedTimes(rate, share.arrival ?? 'even', share.warmupMs + share.durationMs, share.phaseMs);
  const waiting: number[] = []; // intended times of requests with no connection yet, oldest first
  let head = 0; // waiting[head] is the oldest; shifting a long array on every send would cost O(n)
  let blocked = 0; // waiting[head..blocked) found every connection busy
  let inFlight = 0;
  let tick: Tick = { elapsedMs: 0, responses: 0, errors: 0 };
  let scheduled = false; // every intended time has come
  const start = performance.now();
  const from = share.warmupMs;
  const to = share.warmupMs + share.durationMs;
  const slot = (intended: number) =>
    intended >= from && intended < to ? m.seconds[Math.floor((intended - from) / 1000)] : undefined;

  return new Promise((resolve) => {
    const finishIfDone = () => {
      if (!scheduled || inFlight || head < waiting.length) return;
      clearInterval(ticker);
      agent.destroy();
      resolve(m);
    };

    const answered = (intended: number, sent: number, status: number | undefined, err?: Error) => {
      inFlight--;
      const now = performance.now() - start;
      const ok = status !== undefined && status >= 200 && status < 300;
      tick.responses += status === undefined ? 0 : 1;
      if (!ok) tick.errors++;
      const s = slot(intended);
      if (s) {
        if (status === undefined) {
          m.socketErrors++;
          if (err?.message === 'timeout') m.timeouts++;
        } else {
          const corrected = Math.max(1, Math.round((now - intended) * 1000));
          m.responses++;
          m.statusCodes[status] = (m.statusCodes[status] ?? 0) + 1;
          m.histogram.recordValue(corrected);
          m.service.recordValue(Math.max(1, Math.round((now - sent) * 1000)));
          s.responses++;
          s.histogram.recordValue(corrected);
          if (!ok) m.non2xx++;
        }
        if (!ok) s.errors++;
      }
      drain();
      finishIfDone();
    };

    const send = (intended: number, waitedForConnection: boolean) => {
      const sent = performance.now() - start;
      inFlight++;
      m.peakConnections = Math.max(m.peakConnections, inFlight);
      if (slot(intended) && (waitedForConnection || sent - intended > LATE_AFTER_MS)) m.late++;
      let done = false;
      const once = (status: number | undefined, err?: Error) => {
        if (done) return;
        done = true;
        answered(intended, sent, status, err);
      };
      const req = client.request(url, { method: share.method, headers: share.headers, agent }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => {
          if (slot(intended)) m.bytes += bytes;
          once(res.statusCode ?? 0);
        });
        res.on('error', (err) => once(undefined, err));
      });
      req.setTimeout(REQUEST_TIMEOUT_S * 1000, () => req.destroy(new Error('timeout')));
      req.on('error', (err) => once(undefined, err));
      req.end(body);
    };

    /** Sends what waits, oldest first, while connections are free; drops what is too late to send. */
    const drain = () => {
      const now = performance.now() - start;
      while (head < waiting.length && now - waiting[head] > DROP_AFTER_MS) {
        if (slot(waiting[head])) m.dropped++;
        head++;
      }
      while (head < waiting.length && inFlight < max) {
        const waited = head < blocked;
        send(waiting[head++], waited);
      }
      blocked = waiting.length;
      if (head > 4096 && head * 2 > waiting.length) {
        waiting.splice(0, head);
        blocked -= head;
        head = 0;
      }
    };

    // Wakes at the next intended time and sends everything due: the times are absolute, so a timer that fires late
    // (a loaded runner) sends the overdue requests at once instead of shifting the whole schedule.
    let next = times.next();
    const wake = () => {
      const now = performance.now() - start;
      while (!next.done && next.value <= now) {
        waiting.push(next.value);
        next = times.next();
      }
      drain();
      if (next.done) {
        scheduled = true;
        finishIfDone();
        return;
      }
      setTimeout(wake, Math.max(0, next.value - (performance.now() - start)));
    };
    const ticker = setInterval(() => {
      onTick?.({ ...tick, elapsedMs: performance.now() - start });
      tick = { elapsedMs: 0, responses: 0, errors: 0 };
    }, 1000);
    wake();
  });
}
