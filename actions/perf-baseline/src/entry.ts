import type { StepEntry } from '../../../shared/src/step.js';
import { schema } from './schema.js';

/** perf-baseline as the action, the CLI and the generators name it: the schema now, the code once the inputs parsed. */
export const entry: StepEntry = { schema, load: async () => (await import('./step.js')).perfBaseline };
