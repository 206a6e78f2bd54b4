// The switch: read the router, pick the target, gate its health, move traffic step by step, and move it back by
// itself when a check fails once traffic has moved.
import { formatDuration } from '../../../shared/src/duration.js';
import { ConfigError, ExternalError, errorMessage } from '../../../shared/src/errors.js';
import { healthGate, type GateResult } from '../../../shared/src/http/gate.js';
import type { TrafficState, Weights } from '../../../shared/src/traffic/backend.js';
import { describeWeights, weightsFor } from '../../../shared/src/traffic/weights.js';
import { plural } from '../../../shared/src/text.js';
import { checkStep, type StepRecord } from './checks.js';
import type { Ctx, SwitchConfig } from './config.js';
import { checkBeforeMoving } from './preflight.js';

/** Wait between probes of the health gate before any traffic moves. */
const GATE_INTERVAL_MS = 1000;

/** Everything the switch did, filled in as it goes so the summary can tell it also when it ends with an error. */
export interface Outcome {
  provider: string;
  before?: TrafficState;
  after?: TrafficState;
  /** The colour traffic moves away from. */
  from?: string;
  target?: string;
  noop: boolean;
  gate?: GateResult;
  /** Dry run: the change of each step, as the backend would make it. */
  plans?: { weights: Weights; lines: string[] }[];
  steps: StepRecord[];
  revert?: { reason: string; state?: TrafficState; error?: string };
  switched: boolean;
  failure?: string;
}

const otherColour = (colors: [string, string], c: string) => (colors[0] === c ? colors[1] : colors[0]);

function pickTarget(cfg: SwitchConfig, before: TrafficState, provider: string): string {
  if (cfg.target !== 'auto') return cfg.target;
  if (!before.active) {
    throw new ConfigError(
      `Input 'target' is 'auto', but ${provider} routes ${describeWeights(before.weights)}: no colour is active, so none is idle. Set target to ${cfg.colors.join(' or ')}.`,
    );
  }
  return otherColour(cfg.colors, before.active);
}

export async function switchTraffic(ctx: Ctx, cfg: SwitchConfig, out: Outcome): Promise<void> {
  const { platform, clock } = ctx;
  const { backend, colors } = cfg;
  await checkBeforeMoving(ctx, cfg);
  const before = await backend.active();
  out.before = out.after = before;
  platform.info(
    `${out.provider} routes ${describeWeights(before.weights)}${before.active ? ` (active: ${before.active})` : ''}`,
  );
  for (const line of before.details) platform.info(`  ${line}`);
  const target = (out.target = pickTarget(cfg, before, out.provider));
  const from = (out.from = otherColour(colors, target));
  if (before.weights[target] === 100) {
    out.noop = true;
    platform.info(`${target} already has all the traffic: nothing to switch.`);
    return;
  }

  if (cfg.healthUrl) {
    const url = cfg.healthUrl.of(target);
    out.gate = await platform.group(`Health gate: ${target} (${url})`, () =>
      healthGate(url, {
        clock,
        threshold: cfg.threshold,
        timeoutMs: cfg.healthTimeoutMs,
        intervalMs: GATE_INTERVAL_MS,
        onProgress: (l) => platform.progress(l),
      }),
    );
    const g = out.gate;
    if (!g.ok) {
      out.failure = `Target ${target} is not healthy: ${g.consecutive} of ${cfg.threshold} consecutive good answers from ${url} within ${formatDuration(cfg.healthTimeoutMs)} (last: ${g.lastError ?? 'none'}). No traffic moved.`;
      return;
    }
    platform.info(
      `${target} is healthy: ${g.consecutive} consecutive good answers after ${plural(g.attempts, 'probe')}.`,
    );
  } else platform.warning(`Input 'health-url' is empty: traffic moves to ${target} without a health check.`);

  const pending = cfg.steps.filter((p) => p > (before.weights[target] ?? 0));
  if (cfg.dryRun) {
    out.plans = [];
    for (const p of pending) {
      const weights = weightsFor(colors, target, p);
      const lines = await backend.plan(weights);
      out.plans.push({ weights, lines });
      platform.info(`Dry run, step ${describeWeights(weights)}:\n${lines.map((l) => `  ${l}`).join('\n')}`);
    }
    return;
  }

  for (const [i, percent] of pending.entries()) {
    const weights = weightsFor(colors, target, percent);
    const record = await platform.group(`Step ${i + 1} of ${pending.length}: ${describeWeights(weights)}`, async () => {
      for (const line of await backend.plan(weights)) platform.info(line);
      const start = clock.now();
      try {
        await backend.apply(weights);
      } catch (err) {
        out.steps.push({
          percent,
          weights,
          ok: false,
          reason: `applying it failed: ${errorMessage(err)}`,
          elapsedMs: clock.now() - start,
        });
        await revertAfterError(ctx, cfg, out, err);
        throw err;
      }
      const applied: StepRecord = { percent, weights, ok: false, elapsedMs: clock.now() - start };
      return checkStep(ctx, cfg, target, applied);
    });
    out.steps.push(record);
    if (!record.ok) {
      await revert(ctx, cfg, out, record.reason ?? 'a check failed');
      out.failure = `Reverted to ${from}: ${record.reason}`;
      return;
    }
  }
  out.after = out.steps.at(-1)?.readBack ?? out.after;
  out.switched = true;
}

/** An apply that failed may have changed part of the router: put the previous colour back if anything moved. */
async function revertAfterError(ctx: Ctx, cfg: SwitchConfig, out: Outcome, err: unknown): Promise<void> {
  let moved = true;
  try {
    const now = await cfg.backend.active();
    moved = cfg.colors.some((c) => now.weights[c] !== out.before!.weights[c]);
    out.after = now;
  } catch {
    // unreadable: assume it moved and try to put it back
  }
  if (moved) await revert(ctx, cfg, out, `applying the step failed: ${errorMessage(err)}`);
}

/** Moves all traffic back to the colour it came from and reads it back; throws ExternalError when that fails too. */
async function revert(ctx: Ctx, cfg: SwitchConfig, out: Outcome, reason: string): Promise<void> {
  const { platform } = ctx;
  const from = out.from!;
  const weights = weightsFor(cfg.colors, from, 100);
  out.revert = { reason };
  await platform.group(`Reverting to ${from}`, async () => {
    platform.warning(`Reverting all traffic to ${from}: ${reason}`);
    try {
      for (const line of await cfg.backend.plan(weights)) platform.info(line);
      await cfg.backend.apply(weights);
      out.after = out.revert!.state = await cfg.backend.verify(weights);
      platform.info(`Reverted: ${describeWeights(out.after.weights)}`);
    } catch (err) {
      out.revert!.error = errorMessage(err);
      throw new ExternalError(
        `Reverting to ${from} after "${reason}" FAILED: ${errorMessage(err)}. Traffic may still reach ${out.target}: check ${out.provider} now.`,
        { cause: err },
      );
    }
  });
}
