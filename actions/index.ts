// Every step, in pipeline order: the one list the CLI, the generators, the tests and the bench read.
// It sits above shared/ (shared/ defines the shape and never imports a step) and below cli/ and scripts/, which
// import it. Schemas load now; a step's code only through `load()`, so the bundler puts each step in its own chunk
// and `shipgate <step>` parses that step alone.
import type { StepSchema } from '../shared/src/inputs.js';
import type { StepEntry } from '../shared/src/step.js';
import { schema as checkDependencies } from './check-dependencies/src/schema.js';
import { schema as apiCompat } from './api-compat/src/schema.js';
import { schema as perfBaseline } from './perf-baseline/src/schema.js';
import { schema as versionTag } from './version-tag/src/schema.js';
import { schema as blueGreenSwitch } from './blue-green-switch/src/schema.js';
import { schema as rollback } from './rollback/src/schema.js';

export const steps: StepEntry[] = [
  { schema: checkDependencies, load: async () => (await import('./check-dependencies/src/step.js')).checkDependencies },
  { schema: apiCompat, load: async () => (await import('./api-compat/src/step.js')).apiCompat },
  { schema: perfBaseline, load: async () => (await import('./perf-baseline/src/step.js')).perfBaseline },
  { schema: versionTag, load: async () => (await import('./version-tag/src/step.js')).versionTag },
  { schema: blueGreenSwitch, load: async () => (await import('./blue-green-switch/src/step.js')).blueGreenSwitch },
  { schema: rollback, load: async () => (await import('./rollback/src/step.js')).rollback },
];

/** The schemas by step name, for the generators. */
export const schemas: Record<string, StepSchema> = Object.fromEntries(steps.map((s) => [s.schema.name, s.schema]));

/** Every step with its code loaded: for tests and tools that need all of them, never for the CLI's start. */
export const loadAll = () => Promise.all(steps.map((s) => s.load()));
