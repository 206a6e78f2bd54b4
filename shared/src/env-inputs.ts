// SHIPGATE_* variables in a job: inputs of this step, but also inputs of other steps set for a whole pipeline, outputs
// of earlier jobs (dotenv reports) and the platform's own settings. Only a name none of those explain and that sits
// near an input of this step is a mistyped input; anything else may be the user's own variable and is left alone.
import type { StepSchema } from './inputs.js';
import { envName } from './platform/platform.js';
import { closest } from './text.js';

/** SHIPGATE_* variables Shipgate reads or sets besides step inputs and outputs. */
export const PLATFORM_VARIABLES = [
  'SHIPGATE_DOTENV_FILE',
  'SHIPGATE_SUMMARY_FILE',
  'SHIPGATE_OUTPUTS_FILE',
  'SHIPGATE_LOAD_PERFORMANCE_FILE',
  'SHIPGATE_DEBUG',
  // The child pipeline gives each deploy job its service and wave.
  'SHIPGATE_SERVICE',
  'SHIPGATE_WAVE',
  // A component job's CLI: the loader, the component's commit and project, the files and their hashes.
  'SHIPGATE_CLI_PACKAGE',
  'SHIPGATE_CLI_PROJECT',
  'SHIPGATE_CLI_SHA',
  'SHIPGATE_CLI_FILES',
  'SHIPGATE_CLI_LOADER',
  // The token check-dependencies dispatches a service repository's workflow with.
  'SHIPGATE_DISPATCH_TOKEN',
] as const;

/** Every SHIPGATE_* name the project itself sets: each step's inputs and outputs, and the platform's settings. */
export function knownVariables(schemas: readonly StepSchema[]): Set<string> {
  const known = new Set<string>(PLATFORM_VARIABLES);
  for (const s of schemas) {
    for (const name of [...Object.keys(s.inputs), ...Object.keys(s.outputs)]) known.add(`SHIPGATE_${envName(name)}`);
  }
  return known;
}

/** A variable that looks like a mistyped input of `schema`, with the input it is nearest to. */
export interface StrayVariable {
  name: string;
  near: string;
}

export function strayVariables(
  names: Iterable<string>,
  schema: StepSchema,
  known: ReadonlySet<string>,
): StrayVariable[] {
  const own = Object.keys(schema.inputs).map((i) => `SHIPGATE_${envName(i)}`);
  const out: StrayVariable[] = [];
  for (const name of names) {
    if (!name.startsWith('SHIPGATE_') || known.has(name)) continue;
    const near = closest(
      name.slice('SHIPGATE_'.length),
      own.map((o) => o.slice('SHIPGATE_'.length)),
    );
    if (near) out.push({ name, near: `SHIPGATE_${near}` });
  }
  return out;
}

/** The message for stray variables: each with its did-you-mean. */
export function strayMessage(stray: StrayVariable[], schema: StepSchema): string {
  return stray
    .map(
      (s) =>
        `Variable '${s.name}' is no input of ${schema.name}. Did you mean '${s.near}'? Rename it (a misspelt input is otherwise ignored and its default used).`,
    )
    .join('\n');
}
