import type { StepEntry } from '../../../shared/src/step.js';
import { schema } from './schema.js';

/** check-dependencies as the action, the CLI and the generators name it: the schema now, the code once the inputs parsed. */
export const entry: StepEntry = { schema, load: async () => (await import('./step.js')).checkDependencies };
