import { formatDuration } from '../../../../shared/src/duration.js';
import { ExternalError } from '../../../../shared/src/errors.js';
import { attempts, type Measurement } from '../measurement.js';
import type { LoadParams } from '../settings.js';
import { measureShare } from './engine.js';
import { REQUEST_TIMEOUT_S, type Share, type Tick } from './measure.js';
import { measureInWorkers } from './workers.js';

/** How often a long run prints where it is. */
const PROGRESS_EVERY_MS = 5000;

/** Runs the measurement `runs` times, each after its own warm-up, in this thread or in `workers` threads. */
export async function runLoad(p: LoadParams, log: (line: string) => void): Promise<Measurement[]> {
  const share: Share = {
    url: p.url,
    method: p.method,
    headers: p.headers,
    body: p.body,
    connections: p.connections,
    maxConnections: p.maxConnections,
    durationMs: p.durationMs,
    warmupMs: p.warmupMs,
    rate: p.rate,
    arrival: p.arrival,
  };
  const out: Measurement[] = [];
  for (let run = 1; run <= p.runs; run++) {
    const progress = startProgress(p, p.runs > 1 ? `run ${run} of ${p.runs}: ` : '', log);
    try {
      const m =
        p.workers > 1
          ? await measureInWorkers(share, p.workers, progress.tick)
          : await measureShare(share, progress.tick);
      if (!attempts(m)) {
        throw new ExternalError(
          `No request to ${p.url} finished during the ${formatDuration(p.durationMs)} of ${p.runs > 1 ? `run ${run}` : 'load'}: no answer and no socket error. The service stalls under load (requests time out after ${REQUEST_TIMEOUT_S}s).`,
        );
      }
      out.push(m);
    } finally {
      progress.stop();
    }
  }
  return out;
}

/**
 * A line every few seconds: phase, time, answers per second and errors since the last line. The time comes from
 * the threads' own ticks, so the start-up of worker threads does not count as load time.
 */
function startProgress(p: LoadParams, prefix: string, log: (line: string) => void) {
  let elapsed = 0;
  let answers = 0;
  let errors = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    if (!elapsed) return; // threads still starting
    const now = performance.now();
    const phase =
      elapsed < p.warmupMs
        ? `warm-up ${formatDuration(elapsed)} of ${formatDuration(p.warmupMs)}`
        : `${formatDuration(Math.min(elapsed - p.warmupMs, p.durationMs))} of ${formatDuration(p.durationMs)}`;
    const perSecond = Math.round(answers / ((now - last) / 1000));
    log(
      `${prefix}${phase}: ${perSecond.toLocaleString('en-US')} answers/s, ${errors.toLocaleString('en-US')} errors in the last ${formatDuration(now - last)}`,
    );
    [answers, errors, last] = [0, 0, now];
  }, PROGRESS_EVERY_MS);
  return {
    tick: (t: Tick) => {
      elapsed = Math.max(elapsed, t.elapsedMs);
      answers += t.responses;
      errors += t.errors;
    },
    stop: () => clearInterval(timer),
  };
}
