// blue-green-switch in-process on the local platform, as the integration tests run it.
import { blueGreenSwitch } from '../../actions/blue-green-switch/src/step.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';

export interface Switched {
  code: number;
  outputs: Record<string, string>;
  /** Logs, warnings, errors and the summary. */
  log: string;
}

export async function runSwitch(flags: Record<string, string>, env: Record<string, string> = {}): Promise<Switched> {
  const io = { out: '', err: '' };
  const platform = new LocalPlatform({
    env,
    flags,
    json: true,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
  });
  const code = await run(blueGreenSwitch, platform);
  return { code, outputs: io.out.trim() ? JSON.parse(io.out) : {}, log: io.err };
}
