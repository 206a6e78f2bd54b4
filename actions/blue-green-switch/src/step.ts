import { errorMessage } from '../../../shared/src/errors.js';
import { defineStep } from '../../../shared/src/step.js';
import { whoRuns, writeStateFile } from '../../../shared/src/traffic/state-file.js';
import { loadConfig, type Ctx, type SwitchConfig } from './config.js';
import { switchTraffic, type Outcome } from './flow.js';
import { schema } from './schema.js';
import { renderSummary } from './summary.js';

function outputs(cfg: SwitchConfig, o: Outcome): Record<string, string> {
  const active = o.after?.active ?? '';
  const other = cfg.colors.find((c) => c !== active) ?? '';
  const weights = Object.fromEntries(cfg.colors.map((c) => [c, o.after?.weights[c] ?? 0]));
  return {
    active,
    previous: o.switched ? o.from! : active ? other : '',
    switched: String(o.switched),
    reverted: String(Boolean(o.revert?.state)),
    weights: JSON.stringify(weights),
  };
}

/** Leaves the previous colour where rollback finds it: the routed object (Kubernetes) and the state file. */
async function recordSwitch(ctx: Ctx, cfg: SwitchConfig, o: Outcome): Promise<void> {
  const { platform } = ctx;
  if (cfg.backend.recordPrevious) {
    try {
      await cfg.backend.recordPrevious(o.from!);
    } catch (err) {
      platform.warning(`Could not record the previous colour ${o.from} on the ${o.provider} object: ${errorMessage(err)}`);
    }
  }
  if (cfg.stateFile) {
    await writeStateFile(cfg.stateFile, {
      active: o.target!,
      previous: o.from!,
      weights: o.after!.weights,
      time: new Date().toISOString(),
      who: whoRuns(platform.job),
    });
    platform.info(`Recorded the switch in ${cfg.stateFile}.`);
  }
}

export const blueGreenSwitch = defineStep({
  schema,
  async run(ctx) {
    const cfg = loadConfig(ctx);
    const outcome: Outcome = { provider: ctx.inputs.provider, noop: false, steps: [], switched: false };
    try {
      await switchTraffic(ctx, cfg, outcome);
      if (outcome.switched) await recordSwitch(ctx, cfg, outcome);
    } catch (err) {
      // run() sets outputs only from a result: an error after traffic moved must still say where traffic is.
      if (outcome.before) for (const [name, value] of Object.entries(outputs(cfg, outcome))) ctx.platform.setOutput(name, value);
      throw err;
    } finally {
      renderSummary(ctx.summary, outcome);
    }
    const { steps, gate, revert, plans } = outcome;
    return { outputs: outputs(cfg, outcome), failure: outcome.failure, data: { steps, gate, revert, plans } };
  },
});
