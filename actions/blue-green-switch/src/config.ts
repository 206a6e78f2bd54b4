// Every input checked and typed before the first request to anything: bad input never leaves a half-done switch.
import { ConfigError } from '../../../shared/src/errors.js';
import { colourUrl } from '../../../shared/src/http/gate.js';
import { healthUrls, type HealthUrls } from '../../../shared/src/http/health-urls.js';
import { urlSecrets } from '../../../shared/src/http/url-secrets.js';
import { queryConfig, type QueryConfig } from '../../../shared/src/inputs-check.js';
import type { StepContext } from '../../../shared/src/step.js';
import type { TrafficBackend } from '../../../shared/src/traffic/backend.js';
import { parseColors } from '../../../shared/src/traffic/colors.js';
import { createBackend } from '../../../shared/src/traffic/index.js';
import type { SwitchRecordStore } from '../../../shared/src/traffic/record.js';
import { StateFileStore } from '../../../shared/src/traffic/state-file.js';
import type { schema } from './schema.js';

export type Ctx = StepContext<typeof schema.inputs>;

/** The switch as the inputs describe it. */
export interface SwitchConfig {
  backend: TrafficBackend;
  colors: [string, string];
  /** `auto` or one of the colours. */
  target: string;
  /** Health URL of each colour; undefined skips health checks. */
  healthUrl?: HealthUrls;
  threshold: number;
  healthTimeoutMs: number;
  dryRun: boolean;
  /** Percent on the target after each step, ascending, ending at 100. */
  steps: number[];
  stepIntervalMs: number;
  analysis?: QueryConfig;
  /** Where the switch is recorded for rollback: the state file (input 'state-file'), then the backend's own record. */
  records: SwitchRecordStore[];
}

/** `10,50,100` → [10, 50, 100]: whole percentages from 1 to 100, strictly ascending, the last one 100. */
export function parseSteps(text: string): number[] {
  const bad = (why: string) =>
    new ConfigError(
      `Input 'steps' is '${text}'. ${why} Expected ascending whole percentages ending at 100, e.g. 100 or 10,50,100.`,
    );
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p))) throw bad('It is not a comma-separated list of numbers.');
  const steps = parts.map(Number);
  const out = steps.find((s) => s < 1 || s > 100);
  if (out !== undefined) throw bad(`${out} is not a percentage from 1 to 100.`);
  const descent = steps.findIndex((s, i) => i > 0 && s <= steps[i - 1]);
  if (descent > 0) throw bad(`${steps[descent]} follows ${steps[descent - 1]}: the steps are not ascending.`);
  if (steps.at(-1) !== 100) throw bad('The last step is not 100, so the switch would never complete.');
  return steps;
}

function analysisConfig({ inputs, platform }: Ctx): SwitchConfig['analysis'] {
  const values = {
    url: inputs['prometheus-url'],
    query: inputs['analysis-query'],
    max: inputs['analysis-max'],
    min: inputs['analysis-min'],
  };
  return queryConfig(
    values,
    { query: 'analysis-query', max: 'analysis-max', min: 'analysis-min' },
    platform,
    'to evaluate after each step',
  );
}

/** Parses and checks every input; creates the backend without contacting it. */
export function loadConfig(ctx: Ctx): SwitchConfig {
  const { inputs, platform, clock } = ctx;
  const colors = parseColors(inputs.colors);
  // Credentials in the URLs (user:password@, ?token=) are masked before a message, a log line or the summary names them.
  const urls = [
    inputs['prometheus-url'],
    ...colors.map((c) => colourUrl(inputs['health-url'], c)),
    inputs['health-url-blue'],
    inputs['health-url-green'],
  ];
  for (const secret of urls.flatMap((u) => urlSecrets(u.trim()))) platform.setSecret(secret);
  const backend = createBackend(inputs.provider, inputs, (name) => platform.env(name), { platform, clock });
  const stateFile = inputs['state-file'].trim();
  const target = inputs.target.trim() || 'auto';
  if (target !== 'auto' && !colors.includes(target)) {
    throw new ConfigError(
      `Input 'target' is '${target}'. Expected auto or one of the colours in 'colors': ${colors.join(', ')}.`,
    );
  }
  const steps = parseSteps(inputs.steps);
  if (backend.selectorOnly && steps.length > 1) {
    throw new ConfigError(
      `Input 'steps' is '${inputs.steps}', but provider '${inputs.provider}' switches a selector: all traffic moves at once. Use steps: 100, or a weighted provider.`,
    );
  }
  const healthUrl = healthUrls(inputs, colors);
  return {
    backend,
    colors,
    target,
    healthUrl,
    threshold: inputs['healthy-threshold'],
    healthTimeoutMs: inputs['health-timeout'],
    dryRun: inputs['dry-run'],
    steps,
    stepIntervalMs: inputs['step-interval'],
    analysis: analysisConfig(ctx),
    records: [...(stateFile ? [new StateFileStore(stateFile)] : []), ...(backend.records ? [backend.records] : [])],
  };
}
