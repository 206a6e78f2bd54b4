import { defineStep } from '../../../shared/src/step.js';
import { writeRecords } from '../../../shared/src/traffic/record.js';
import { whoRuns } from '../../../shared/src/traffic/state-file.js';
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

/**
 * Leaves the switch where rollback finds it: the state file and the routed object (Kubernetes). A state file that
 * cannot be written fails the step (the user asked for it); the backend's own record is a warning.
 */
async function recordSwitch(ctx: Ctx, cfg: SwitchConfig, o: Outcome): Promise<void> {
  const { platform } = ctx;
  const record = {
    active: o.target!,
    previous: o.from!,
    weights: o.after!.weights,
    time: new Date().toISOString(),
    who: whoRuns(platform.job),
  };
  const places = await writeRecords(cfg.records, record, (message) => platform.warning(message), true);
  for (const place of places) platform.info(`Recorded the switch in ${place}.`);
}

export const blueGreenSwitch = defineStep({
  schema,
  loadConfig,
  async run(ctx, cfg) {
    const outcome: Outcome = { provider: ctx.inputs.provider, noop: false, steps: [], switched: false };
    // An error after traffic moved must still say where traffic is.
    ctx.outputs.track(() => (outcome.before ? outputs(cfg, outcome) : undefined));
    try {
      await switchTraffic(ctx, cfg, outcome);
      if (outcome.switched) await recordSwitch(ctx, cfg, outcome);
    } finally {
      renderSummary(ctx.summary, outcome);
    }
    const { steps, gate, revert, plans } = outcome;
    return { outputs: outputs(cfg, outcome), failure: outcome.failure, data: { steps, gate, revert, plans } };
  },
});
