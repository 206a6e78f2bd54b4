// A backend built the way the steps build it (inputs → the backend's parse() → create()), for tests that drive one
// backend against its real router or its contract fake; and the switch record a backend keeps, read and written.
import { FakeClock } from '../../clock.js';
import { parseInputs } from '../../inputs.js';
import { LocalPlatform } from '../../platform/index.js';
import type { BackendModule, TrafficBackend } from '../backend.js';
import { parseColors } from '../colors.js';
import { trafficInputs } from '../index.js';

export interface Built {
  backend: TrafficBackend;
  /** Everything the platform printed (tokens masked). */
  log: string[];
  platform: LocalPlatform;
  clock: FakeClock;
}

/** Parses the inputs as a step does and creates the backend; `env` is the job environment (KUBECONFIG, HOME …). */
export function backendFor(
  module: BackendModule,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Built {
  const parsed = parseInputs(trafficInputs, (n) => inputs[n]);
  const settings = module.parse(parsed, { colors: parseColors(parsed.colors), env: (n) => env[n] });
  const log: string[] = [];
  const platform = new LocalPlatform({ env, stdout: (t) => void log.push(t), stderr: (t) => void log.push(t) });
  const clock = new FakeClock();
  return { backend: module.create(settings, { platform, clock }), log, platform, clock };
}

/** Stores `previous` in the record the backend keeps itself (what blue-green-switch does after a switch). */
export async function recordPrevious(backend: TrafficBackend, previous: string): Promise<void> {
  await backend.records!.write({ active: '', previous, weights: {}, time: '', who: '' });
}

/** The previous colour in the record the backend keeps itself, if any (what rollback reads). */
export async function recordedPrevious(backend: TrafficBackend): Promise<string | undefined> {
  return (await backend.records!.read())?.previous;
}
