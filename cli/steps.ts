import { checkDependencies } from '../actions/check-dependencies/src/step.js';
import type { Step } from '../shared/src/step.js';

/** Every step the CLI and the docs know, in pipeline order. */
export const steps: Step<any>[] = [checkDependencies];
