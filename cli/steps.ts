import { checkDependencies } from '../actions/check-dependencies/src/step.js';
import { apiCompat } from '../actions/api-compat/src/step.js';
import { perfBaseline } from '../actions/perf-baseline/src/step.js';
import { versionTag } from '../actions/version-tag/src/step.js';
import { blueGreenSwitch } from '../actions/blue-green-switch/src/step.js';
import { rollback } from '../actions/rollback/src/step.js';
import type { Step } from '../shared/src/step.js';

/** Every step the CLI and the docs know, in pipeline order. */
export const steps: Step<any>[] = [checkDependencies, apiCompat, perfBaseline, versionTag, blueGreenSwitch, rollback];
