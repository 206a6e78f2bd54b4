import type { OutputSpec } from '../inputs.js';

/** What a step run came to beyond its outputs, for `--json`: the outputs' types, the details, and any error. */
export interface StepReport {
  /** The step's output specs: `--json` prints each output typed as declared. */
  outputTypes: Record<string, OutputSpec>;
  data?: Record<string, unknown>;
  /** The verdict's one line when it failed (exit 1). */
  failure?: string;
  /** Bad input (exit 2), a failing system (3) or a bug (70). */
  error?: { exit: number; message: string };
}

/** An output's text as the value its spec declares; text that does not parse as declared stays text. */
export function typedOutput(spec: OutputSpec | undefined, text: string): unknown {
  switch (spec?.type) {
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'number': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    default:
      return text;
  }
}

export function typedOutputs(
  specs: Record<string, OutputSpec>,
  outputs: Record<string, string>,
): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, typedOutput(specs[k], v)]));
}
