// One step of a switch: apply the weights, watch the target for the step interval, read the router back, run the analysis.
import { formatDuration } from '../../../shared/src/duration.js';
import { errorMessage } from '../../../shared/src/errors.js';
import { healthGate, type GateResult } from '../../../shared/src/http/gate.js';
import { analyse, type AnalysisResult } from '../../../shared/src/metrics/prometheus.js';
import type { TrafficState, Weights } from '../../../shared/src/traffic/backend.js';
import { describeWeights } from '../../../shared/src/traffic/weights.js';
import { plural } from '../../../shared/src/text.js';
import type { Ctx, SwitchConfig } from './config.js';

/** Wait between health probes while traffic moves: often enough to catch a flap, and at least threshold probes per step. */
export function watchIntervalMs(stepIntervalMs: number, threshold: number): number {
  return Math.max(100, Math.min(1000, Math.floor(stepIntervalMs / Math.max(2, threshold))));
}

const ANALYSIS_TIMEOUT_MS = 10_000;

/** What one step did and what its checks found. */
export interface StepRecord {
  percent: number;
  weights: Weights;
  health?: GateResult;
  readBack?: TrafficState;
  analysis?: AnalysisResult;
  ok: boolean;
  /** Why the step failed, in one line. */
  reason?: string;
  elapsedMs: number;
}

/** The checks after a step has been applied; stops at the first one that fails. */
export async function checkStep(ctx: Ctx, cfg: SwitchConfig, target: string, record: StepRecord): Promise<StepRecord> {
  const { clock, platform } = ctx;
  const start = clock.now();
  const fail = (reason: string) => {
    platform.warning(`Step ${record.percent} %: ${reason}`);
    return { ...record, ok: false, reason, elapsedMs: record.elapsedMs + clock.now() - start };
  };
  if (cfg.healthUrl) {
    // Watched for the whole interval, strictly: a target that flaps while it takes traffic fails the step at once.
    record.health = await healthGate(cfg.healthUrl.of(target), {
      clock,
      threshold: cfg.threshold,
      timeoutMs: cfg.stepIntervalMs + cfg.healthTimeoutMs,
      intervalMs: watchIntervalMs(cfg.stepIntervalMs, cfg.threshold),
      failFast: true,
      minDurationMs: cfg.stepIntervalMs,
    });
    const h = record.health;
    platform.info(
      `health of ${target}: ${h.ok ? 'healthy' : 'UNHEALTHY'}, ${plural(h.attempts, 'probe')} in ${formatDuration(h.elapsedMs)}${h.lastError ? `, ${h.lastError}` : ''}`,
    );
    if (!h.ok)
      return fail(
        `target ${target} unhealthy while taking ${record.percent} % of the traffic: ${h.lastError ?? `only ${h.consecutive} of ${cfg.threshold} good answers`}`,
      );
  } else await clock.sleep(cfg.stepIntervalMs);
  try {
    record.readBack = await cfg.backend.verify(record.weights);
    platform.info(`read back: ${describeWeights(record.readBack.weights)}`);
  } catch (err) {
    return fail(`the router does not route what was applied: ${errorMessage(err)}`);
  }
  if (cfg.analysis) {
    const { url, query, bounds, token } = cfg.analysis;
    record.analysis = await analyse({ url, query, token, timeoutMs: ANALYSIS_TIMEOUT_MS }, bounds);
    platform.info(`analysis: ${record.analysis.ok ? 'passed' : 'FAILED'}, ${record.analysis.reason}`);
    if (!record.analysis.ok) return fail(`analysis failed: ${record.analysis.reason}`);
  }
  return { ...record, ok: true, elapsedMs: record.elapsedMs + clock.now() - start };
}
