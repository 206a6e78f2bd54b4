// What must hold before the first change, checked while nothing has moved: a switch that finds out afterwards that it
// cannot record itself or evaluate its analysis leaves traffic split, or reverts a release that was fine.
import { ExternalError } from '../../../shared/src/errors.js';
import { checkQuerySyntax } from '../../../shared/src/inputs-check.js';
import type { Ctx, SwitchConfig } from './config.js';

/** The switch can be recorded (the state file can be written) and Prometheus parses the analysis query; throws (exit 2 or 3) before anything moves. */
export async function checkBeforeMoving(ctx: Ctx, cfg: SwitchConfig): Promise<void> {
  for (const store of cfg.records) await store.checkWritable();
  if (cfg.analysis) {
    const unknown = await checkQuerySyntax(cfg.analysis, 'analysis-query');
    if (unknown)
      throw new ExternalError(
        `Cannot check input 'analysis-query' before moving traffic: ${unknown}. Check 'prometheus-url' and PROMETHEUS_TOKEN. No traffic moved.`,
      );
    ctx.platform.info(`Prometheus parses the analysis query: ${cfg.analysis.query}`);
  }
}
