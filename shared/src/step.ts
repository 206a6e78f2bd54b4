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

/** What a CLI-only flag prints (the schema's `cliListings` names it): `json` when `--json` was given too. */
export type CliListing = (json: boolean) => string;

/**
 * A step: its schema (the one source of its inputs), `loadConfig` (the inputs checked and turned into a typed config,
 * before any side effect: a bad input leaves nothing half-done), and `run` (the work, given that config).
 */
export interface Step<I extends Record<string, InputSpec> = Record<string, InputSpec>, C = unknown> {
  schema: StepSchema & { inputs: I };
  /** Every check of what the user gave. It may read (files, the repository, a document URL) but changes nothing. */
  loadConfig(ctx: StepContext<I>): C | Promise<C>;
  run(ctx: StepContext<I>, config: C): Promise<StepResult>;
  /** What each of the schema's `cliListings` prints. */
  listings?: Record<string, CliListing>;
}

/** Declares a step with its inputs typed from the schema literal. */
export function defineStep<const I extends Record<string, InputSpec>, C>(step: Step<I, C>): Step<I, C> {
  return step;
}

/**
 * A step as a list or an action's main.ts names it: the schema now (help, flags, inputs, generators, the SHIPGATE_*
 * names every step knows) and the code only once the inputs parsed, so a CLI start parses one step's code, not six,
 * and a job whose inputs are wrong stops before any of it is read.
 */
export interface StepEntry {
  schema: StepSchema;
  load(): Promise<Step<any, any>>;
}

/** The step's code: loaded now for an entry, as is for a step. */
export function loadStep(step: Step<any, any> | StepEntry): Promise<Step<any, any>> {
  return 'load' in step ? step.load() : Promise.resolve(step);
}
