// The services that depend on the one rolled back: they were deployed against its newer version and may need a
// rollback too, in the reverse of the order they were deployed in.
import type { DependencyConfig } from '../../../shared/src/graph/config.js';
import { computeWaves, dependentsOf } from '../../../shared/src/graph/graph.js';

/** Every service that depends on `service`, directly or not, last deploy wave first (the order to roll them back). */
export function dependentsInRollbackOrder(config: DependencyConfig, service: string): string[] {
  const dependents = dependentsOf(config, service);
  return computeWaves(config)
    .reverse()
    .flatMap((wave) => wave.filter((name) => dependents.has(name)));
}
