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

/** A flag only the CLI has: it prints something about the step itself (not about a job) and exits 0. */
export interface CliListing {
  description: string;
  /** The text to print; `json` when `--json` was given too. */
  render(json: boolean): string;
}

/** A step: its schema (the one source of its inputs) and its logic. */
export interface Step<I extends Record<string, InputSpec> = Record<string, InputSpec>> {
  schema: StepSchema & { inputs: I };
  run(ctx: StepContext<I>): Promise<StepResult>;
  /** CLI-only flags by name (`list-rules`): not inputs, since they need no job and no other input. */
  listings?: Record<string, CliListing>;
}

/** Declares a step with its inputs typed from the schema literal. */
export function defineStep<const I extends Record<string, InputSpec>>(step: Step<I>): Step<I> {
  return step;
}
