import type { Clock } from './clock.js';
import type { InputSpec, Inputs, StepSchema } from './inputs.js';
import type { OutputSink } from './outputs.js';
import type { Platform } from './platform/index.js';
import type { Summary } from './report/markdown.js';

/** What a step is given: parsed inputs and its dependencies, never the process itself. */
export interface StepContext<I extends Record<string, InputSpec>> {
  inputs: Inputs<I>;
  platform: Platform;
  clock: Clock;
  /** The job summary; run() writes it once, also when the step fails. */
  summary: Summary;
  /** Outputs known before the step ends; run() sets them also when the step throws (the result's outputs win). */
  outputs: OutputSink;
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

/**
 * A step: its schema (the one source of its inputs), `loadConfig` (the inputs checked and turned into a typed config,
 * before any side effect: a bad input leaves nothing half-done), and `run` (the work, given that config).
 */
export interface Step<I extends Record<string, InputSpec> = Record<string, InputSpec>, C = unknown> {
  schema: StepSchema & { inputs: I };
  /** Every check of what the user gave. It may read (files, the repository, a document URL) but changes nothing. */
  loadConfig(ctx: StepContext<I>): C | Promise<C>;
  run(ctx: StepContext<I>, config: C): Promise<StepResult>;
  /** CLI-only flags by name (`list-rules`): not inputs, since they need no job and no other input. */
  listings?: Record<string, CliListing>;
}

/** Declares a step with its inputs typed from the schema literal. */
export function defineStep<const I extends Record<string, InputSpec>, C>(step: Step<I, C>): Step<I, C> {
  return step;
}

/**
 * A step as a list names it: the schema now (help, generators, the SHIPGATE_* names every step knows) and the code
 * only when it runs, so a CLI start parses one step's code, not six.
 */
export interface StepEntry {
  schema: StepSchema;
  load(): Promise<Step<any, any>>;
}
