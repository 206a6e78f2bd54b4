import { realClock, type Clock } from './clock.js';
import { ConfigError, EXIT, errorMessage, ExternalError } from './errors.js';
import { urlSecrets, urlsIn } from './http/url-secrets.js';
import { knownVariables, strayMessage, strayVariables } from './env-inputs.js';
import { parseInputs, type InputSpec, type StepSchema } from './inputs.js';
import { OutputSink } from './outputs.js';
import type { Platform } from './platform/index.js';
import { fenced, Summary } from './report/markdown.js';
import type { StepReport } from './report/result.js';
import { loadStep, type Step, type StepEntry } from './step.js';

/**
 * The one place that turns a step's verdict or error into outputs, summary and exit code.
 * The summary is always written, also when the step failed or threw. Given an entry, the step's code is loaded once
 * the inputs parsed: a job with a wrong input stops before reading it.
 */
export async function run<I extends Record<string, InputSpec>, C>(
  step: Step<I, C> | StepEntry,
  platform: Platform,
  clock: Clock = realClock,
  options: RunOptions = {},
): Promise<number> {
  const summary = new Summary();
  let code: number = EXIT.ok;
  let status = '';
  let errorText = '';
  const report: StepReport = { outputTypes: step.schema.outputs };
  const outputs = new OutputSink();
  try {
    // Credentials in any URL an input carries are masked before validation can name the input's value.
    for (const name of Object.keys(step.schema.inputs)) {
      for (const url of urlsIn(platform.input(name) ?? ''))
        for (const secret of urlSecrets(url)) platform.setSecret(secret);
    }
    checkVariables(step.schema, platform, options.known ?? knownVariables([step.schema]));
    const inputs = parseInputs(step.schema.inputs, (name) => platform.input(name));
    const ctx = { inputs, platform, clock, summary, outputs };
    const loaded = (await loadStep(step)) as Step<any, unknown>;
    const result = await loaded.run(ctx, await loaded.loadConfig(ctx));
    for (const [name, value] of Object.entries({ ...outputs.collect(), ...result.outputs }))
      platform.setOutput(name, value);
    report.data = result.data;
    report.failure = result.failure;
    if (result.failure) {
      platform.error(result.failure);
      status = `**Failed:** ${result.failure}`;
      code = EXIT.verdict;
    }
  } catch (err) {
    // What the step knew when it failed (where traffic is, what it rolled back) is still an output.
    for (const [name, value] of Object.entries(outputs.collect())) platform.setOutput(name, value);
    errorText = errorMessage(err);
    if (err instanceof ConfigError) {
      for (const p of err.problems) platform.error(p.message, p);
      if (!err.problems.length) platform.error(err.message);
      status = `**Configuration error** (exit ${EXIT.config}):\n\n${fenced('', err.message)}`;
      code = EXIT.config;
    } else if (err instanceof ExternalError) {
      platform.error(err.message);
      status = `**A system Shipgate talks to failed** (exit ${EXIT.external}):\n\n${fenced('', err.message)}`;
      code = EXIT.external;
    } else {
      const e = err instanceof Error ? err : new Error(String(err));
      platform.error(`Internal error in ${step.schema.name} (a Shipgate bug, please report it): ${e.message}`);
      platform.debug(e.stack ?? '');
      status = `**Internal error** (exit ${EXIT.bug}): ${e.message}`;
      code = EXIT.bug;
    }
  }
  if (code > EXIT.verdict) report.error = { exit: code, message: errorText };
  // A terminal says the verdict in its first line, and the errors were printed already.
  if (status) summary.add(status, { terminal: '' });
  if (!summary.empty)
    platform.writeSummary(`## Shipgate · ${step.schema.name}\n\n${summary}`, { step: step.schema.name, code, summary });
  platform.report(report);
  platform.finish();
  return code;
}

/** What run() needs to know beyond the step: the SHIPGATE_* names the project sets (all steps' inputs and outputs). */
export interface RunOptions {
  known?: ReadonlySet<string>;
}

/** A misspelt SHIPGATE_* input would silently run the default: in a job that is an input error, on a terminal a warning. */
function checkVariables(schema: StepSchema, platform: Platform, known: ReadonlySet<string>): void {
  const stray = strayVariables(platform.inputVariables(), schema, known);
  if (!stray.length) return;
  const message = strayMessage(stray, schema);
  if (platform.name === 'local') platform.warning(message);
  else throw new ConfigError(message);
}
