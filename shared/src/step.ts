import type { Clock } from './clock.js';
import type { InputSpec, Inputs, StepSchema } from './inputs.js';
import type { Platform } from './platform/index.js';
import type { Summary } from './report/markdown.js';

/** What a step is given: parsed inputs and its dependencies, never the process itself. */
export interface StepContext<I extends Record<string, InputSpec>> {
  inputs: Inputs<I>;
  platform: Platform;
  clock: Clock;
  /** The job summary; run() writes it once, also when the step fails. */
  summary: Summary;
}

/** What a step decided. A finding that should stop the pipeline is a `failure`, not an exception. */
export interface StepResult {
  outputs: Record<string, string>;
  /** Set when the verdict fails the job (exit 1): one line saying why. */
  failure?: string;
  /** The details behind the verdict (findings, probes, steps…), typed, for `--json`; never holds secrets. */
  data?: Record<string, unknown>;
}

/** A step: its schema (the one source of its inputs) and its logic. */
export interface Step<I extends Record<string, InputSpec> = Record<string, InputSpec>> {
  schema: StepSchema & { inputs: I };
  run(ctx: StepContext<I>): Promise<StepResult>;
}

/** Declares a step with its inputs typed from the schema literal. */
export function defineStep<const I extends Record<string, InputSpec>>(step: Step<I>): Step<I> {
  return step;
}
