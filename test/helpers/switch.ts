// blue-green-switch in-process on the local platform, as the integration tests run it.
import { blueGreenSwitch } from '../../actions/blue-green-switch/src/step.js';
import { runLocal, type Ran } from './local-step.js';

export type Switched = Ran;

export function runSwitch(flags: Record<string, string>, env: Record<string, string> = {}): Promise<Switched> {
  return runLocal(blueGreenSwitch, flags, env);
}
