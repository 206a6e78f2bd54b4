// rollback in-process on the local platform, as the unit and integration tests run it.
import { rollback } from '../../actions/rollback/src/step.js';
import type { Clock } from '../../shared/src/clock.js';
import { runLocal, type Ran } from './local-step.js';

export function runRollback(
  flags: Record<string, string>,
  env: Record<string, string> = {},
  clock?: Clock,
): Promise<Ran> {
  return runLocal(rollback, flags, env, clock);
}
