import { defineStep } from '../../../shared/src/step.js';
import { BlueGreenProvider } from './blue-green.js';
import { loadConfig, type Ctx, type RollbackConfig } from './config.js';
import { dependentsInRollbackOrder } from './dependents.js';
import { rollBack, type Outcome } from './flow.js';
import { KubernetesProvider } from './kubernetes.js';
import { listCandidates } from './list.js';
import type { RollbackProvider } from './provider.js';
import { schema } from './schema.js';
import { renderSummary } from './summary.js';

function providerFor(ctx: Ctx, cfg: RollbackConfig): RollbackProvider {
  return cfg.blueGreen ? new BlueGreenProvider(cfg.blueGreen, cfg.to, ctx) : new KubernetesProvider(cfg, ctx);
}

function outputs(o: Outcome, dependents: string[]): Record<string, string> {
  const r = o.resolved;
  return {
    'rolled-back': String(o.rolledBack),
    triggered: String(o.triggered),
    from: r?.from ?? '',
    // after a rollback that failed, `to` is still the target: `rolled-back` says it was not reached
    to: r?.to ?? '',
    dependents: JSON.stringify(dependents),
  };
}

/** The job's verdict: a failed rollback, or a triggered one that must show red. */
function verdict(cfg: RollbackConfig, o: Outcome): string | undefined {
  if (o.failure) return o.failure;
  if (o.triggered && o.rolledBack && cfg.failAfterRollback) {
    return `Rolled back ${o.resolved!.from} → ${o.resolved!.to} because the trigger breached: ${o.watch!.breach!.reason}. The job fails so the pipeline shows the bad release (fail-after-rollback: false ends it green).`;
  }
  return undefined;
}

export const rollback = defineStep({
  schema,
  loadConfig,
  async run(ctx, cfg) {
    const dependents = cfg.dependents ? dependentsInRollbackOrder(cfg.dependents.config, cfg.dependents.service) : [];
    const provider = providerFor(ctx, cfg);
    if (cfg.list) {
      await listCandidates(ctx.platform, ctx.summary, provider);
      return {
        outputs: outputs(
          { provider: provider.label, triggered: false, recorded: [], changed: false, rolledBack: false },
          dependents,
        ),
      };
    }
    const outcome: Outcome = {
      provider: provider.label,
      triggered: false,
      recorded: [],
      changed: false,
      rolledBack: false,
    };
    // An error after a change must still say what runs.
    ctx.outputs.track(() => (outcome.changed ? outputs(outcome, dependents) : undefined));
    try {
      await rollBack(ctx, cfg, provider, outcome);
    } finally {
      const deps = cfg.dependents && { service: cfg.dependents.service, list: dependents };
      renderSummary(ctx.summary, outcome, { dryRun: cfg.dryRun, dependents: deps });
      if (outcome.rolledBack && dependents.length) {
        ctx.platform.warning(
          `${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on ${cfg.dependents!.service} and may need a rollback too (in this order).`,
        );
      }
    }
    const { image, watch, gate, health, recorded } = outcome;
    return {
      outputs: outputs(outcome, dependents),
      failure: verdict(cfg, outcome),
      data: { image, watch, gate, health, recorded },
    };
  },
});
