// Every step, in pipeline order: the one list the CLI, the generators, the tests and the bench read.
// It sits above shared/ (shared/ defines the shape and never imports a step) and below cli/ and scripts/, which
// import it. Schemas load now; a step's code only through `load()`, so the bundler puts each step in its own chunk
// and `shipgate <step>` parses that step alone.
import type { StepSchema } from '../shared/src/inputs.js';
import type { StepEntry } from '../shared/src/step.js';
import { entry as checkDependencies } from './check-dependencies/src/entry.js';
import { entry as apiCompat } from './api-compat/src/entry.js';
import { entry as perfBaseline } from './perf-baseline/src/entry.js';
import { entry as versionTag } from './version-tag/src/entry.js';
import { entry as blueGreenSwitch } from './blue-green-switch/src/entry.js';
import { entry as rollback } from './rollback/src/entry.js';

export const steps: StepEntry[] = [checkDependencies, apiCompat, perfBaseline, versionTag, blueGreenSwitch, rollback];

/** The schemas by step name, for the generators. */
export const schemas: Record<string, StepSchema> = Object.fromEntries(steps.map((s) => [s.schema.name, s.schema]));

/** Every step with its code loaded: for tests and tools that need all of them, never for the CLI's start. */
export const loadAll = () => Promise.all(steps.map((s) => s.load()));
