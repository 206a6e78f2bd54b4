// The metric trigger: a Prometheus query evaluated every watch-interval during the watch. The first value out of its
// bounds is a breach, and the rollback goes ahead. An evaluation that gives no number (an error, no data, NaN) is a
// warning, not a breach: a flaky Prometheus must not roll back a healthy release. When every evaluation fails, nothing
// was watched at all, so the job fails with exit 3 ("could not watch") and nothing changes.
import type { Clock } from '../../../shared/src/clock.js';
import { formatDuration } from '../../../shared/src/duration.js';
import { ExternalError } from '../../../shared/src/errors.js';
import { analyse, type AnalysisResult } from '../../../shared/src/metrics/prometheus.js';
import type { Platform } from '../../../shared/src/platform/index.js';
import { plural } from '../../../shared/src/text.js';
import type { TriggerConfig } from './config.js';

const NAMES = { max: 'trigger-max', min: 'trigger-min' };
/** Per query; never longer than the interval, so a hanging Prometheus cannot stretch the watch. */
const QUERY_TIMEOUT_MS = 10_000;

/** One evaluation of the trigger query. */
export interface Evaluation extends AnalysisResult {
  /** Milliseconds since the watch began. */
  atMs: number;
}

export interface WatchResult {
  /** The evaluation that breached; undefined when none did during the watch. */
  breach?: Evaluation;
  evaluations: Evaluation[];
  /** Evaluations that gave no number. */
  failed: number;
  elapsedMs: number;
}

/** Evaluates the trigger from the start of the watch to its end, every interval; stops at the first breach. */
export async function watchTrigger(
  trigger: TriggerConfig,
  deps: { clock: Clock; platform: Platform },
): Promise<WatchResult> {
  const { clock, platform } = deps;
  const { url, query, token, bounds, watchMs, intervalMs } = trigger;
  const start = clock.now();
  const evaluations: Evaluation[] = [];
  let failed = 0;
  for (let n = 1; ; n++) {
    const result = await analyse(
      { url, query, token, timeoutMs: Math.max(1000, Math.min(QUERY_TIMEOUT_MS, intervalMs)) },
      bounds,
      NAMES,
    );
    const evaluation = { ...result, atMs: clock.now() - start };
    evaluations.push(evaluation);
    const at = `${n} (${formatDuration(evaluation.atMs)})`;
    if (result.value === undefined) {
      failed++;
      platform.warning(`Trigger evaluation ${at} failed, not counted as a breach: ${result.reason}`);
    } else if (!result.ok) {
      platform.warning(`Trigger breached at evaluation ${at}: ${result.reason}`);
      return { breach: evaluation, evaluations, failed, elapsedMs: clock.now() - start };
    } else platform.progress(`Trigger evaluation ${at}: ${result.reason}`);
    // Evaluations keep to a fixed schedule from the start, however long each query took.
    if (n * intervalMs > watchMs) break;
    await clock.sleep(Math.max(0, start + n * intervalMs - clock.now()));
  }
  const elapsedMs = clock.now() - start;
  if (failed === evaluations.length) {
    throw new ExternalError(
      `Could not watch the trigger: all ${plural(evaluations.length, 'evaluation')} of '${query}' at ${url} in ${formatDuration(elapsedMs)} failed (last: ${evaluations.at(-1)!.reason}). Nothing was rolled back; fix the query or Prometheus and run the job again.`,
    );
  }
  return { evaluations, failed, elapsedMs };
}
