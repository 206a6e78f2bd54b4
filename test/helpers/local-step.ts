// A step in-process on the local platform, as the integration tests run it: flags in, outputs (--json), log and code out.
import type { Clock } from '../../shared/src/clock.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import type { Step } from '../../shared/src/step.js';

export interface Ran {
  code: number;
  outputs: Record<string, string>;
  /** Logs, warnings, errors and the summary. */
  log: string;
}

export async function runLocal(
  step: Step<any>,
  flags: Record<string, string>,
  env: Record<string, string> = {},
  clock?: Clock,
): Promise<Ran> {
  const io = { out: '', err: '' };
  const platform = new LocalPlatform({
    env,
    flags,
    json: true,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
  });
  const code = await run(step, platform, clock);
  // The outputs' string form, as action outputs carry them (`--json` prints them typed).
  return { code, outputs: { ...platform.outputs }, log: io.err };
}
