import { knownVariables } from './env-inputs.js';
import { ConfigError, EXIT } from './errors.js';
import type { InputSpec, StepSchema } from './inputs.js';
import { detectPlatform, type Env } from './platform/index.js';
import { run } from './run.js';
import { closest } from './text.js';
import type { Step, StepEntry } from './step.js';

export interface ParsedArgs {
  flags: Record<string, string>;
  json: boolean;
  help: boolean;
  /** --color / --no-color; undefined: colour on a TTY unless NO_COLOR is set. */
  color?: boolean;
  /** --format text|markdown; undefined: text. */
  format?: 'text' | 'markdown';
  /** --summary FILE: the Markdown summary also goes there. */
  summary?: string;
}

/**
 * Parses `--name value`, `--name=value`, and a bare `--name` (true, for boolean inputs) against a schema.
 * An unknown flag is an error naming the closest input.
 */
export function parseArgs(schema: StepSchema, argv: string[]): ParsedArgs {
  const out: ParsedArgs = { flags: {}, json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    if (arg === '--json') {
      out.json = true;
      continue;
    }
    if (arg === '--color' || arg === '--no-color') {
      out.color = arg === '--color';
      continue;
    }
    const global = /^--(format|summary)(?:=(.*))?$/.exec(arg);
    if (global) {
      const value = global[2] ?? argv[++i];
      if (value === undefined) throw new ConfigError(`Flag '--${global[1]}' needs a value.`);
      if (global[1] === 'summary') out.summary = value;
      else if (value === 'text' || value === 'markdown') out.format = value;
      else throw new ConfigError(`Flag '--format' is '${value}'. Expected text or markdown.`);
      continue;
    }
    if (!arg.startsWith('--')) throw new ConfigError(`Unexpected argument '${arg}'. Inputs are given as --name value.`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = schema.inputs[name];
    if (!spec) {
      const known = Object.keys(schema.inputs);
      const near = closest(name, known);
      throw new ConfigError(
        `Unknown flag '--${name}' for ${schema.name}.${near ? ` Did you mean '--${near}'?` : ''} Run 'shipgate ${schema.name} --help' for its inputs.`,
      );
    }
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (spec.type === 'boolean' && (i + 1 >= argv.length || argv[i + 1].startsWith('--'))) value = 'true';
    else if (i + 1 < argv.length) value = argv[++i];
    else throw new ConfigError(`Flag '--${name}' needs a value: ${spec.description}`);
    out.flags[name] = repeated(name, spec, out.flags[name], value);
  }
  return out;
}

/** A list input collects every repetition of its flag; any other input given twice is refused rather than guessed. */
function repeated(name: string, spec: InputSpec, before: string | undefined, value: string): string {
  if (before === undefined) return value;
  if (spec.type === 'lines') return `${before}\n${value}`;
  throw new ConfigError(`Flag '--${name}' is given twice ('${before}' and '${value}'). It takes one value: keep one.`);
}

function describeDefault(spec: InputSpec): string {
  if (spec.required) return 'required';
  if (spec.default === undefined || spec.default === '') return '';
  return `default: ${spec.default.replace(/\n/g, '\\n')}`;
}

/** `shipgate <step> --help`, generated from the step's schema. */
export function helpText(schema: StepSchema): string {
  const lines = [`shipgate ${schema.name} [--input value …] [--json]`, '', schema.description, '', 'Inputs:'];
  for (const [name, spec] of Object.entries(schema.inputs)) {
    const extra = [spec.options ? `one of: ${spec.options.join(', ')}` : '', describeDefault(spec)].filter(Boolean);
    lines.push(`  --${name}${extra.length ? `  (${extra.join('; ')})` : ''}`, `      ${spec.description}`);
  }
  lines.push('', 'Outputs:');
  for (const [name, spec] of Object.entries(schema.outputs)) lines.push(`  ${name}  ${spec.description}`);
  lines.push(
    '',
    'Output: --json (one JSON object), --format text|markdown (the summary; text is for people), --summary FILE (Markdown),',
    '        --color / --no-color (default: colour on a terminal unless NO_COLOR is set).',
    '',
    'Inputs may also come from SHIPGATE_<NAME> variables (e.g. SHIPGATE_CHECK_HEALTH), or INPUT_<NAME> on GitHub Actions.',
    'Exit codes: 0 passed, 1 the verdict failed, 2 bad input, 3 a system answered badly, 70 a Shipgate bug.',
  );
  return lines.join('\n') + '\n';
}

export interface Io {
  env: Env;
  stdout: (t: string) => void;
  stderr: (t: string) => void;
  cwd?: string;
  /** Whether stdout is a terminal (colours by default). */
  isTTY?: boolean;
}

const processIo = (): Io => ({
  env: process.env,
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  isTTY: process.stdout.isTTY === true,
});

/**
 * Runs one step with flags from argv on the detected platform; returns the exit code. `all` are the steps whose
 * inputs and outputs may appear as SHIPGATE_* variables in the same job.
 */
export async function runWithArgs(
  step: StepEntry,
  argv: string[],
  io: Io = processIo(),
  all: Pick<Step, 'schema'>[] = [step],
): Promise<number> {
  const listing = Object.keys(step.schema.cliListings ?? {}).find((flag) => argv.includes(`--${flag}`));
  if (listing) {
    const render = (await step.load()).listings?.[listing];
    if (!render) throw new Error(`step ${step.schema.name} declares --${listing} but has no listing for it`);
    io.stdout(render(argv.includes('--json')));
    return EXIT.ok;
  }
  let args: ParsedArgs;
  try {
    args = parseArgs(step.schema, argv);
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n`);
    if (argv.includes('--json'))
      io.stdout(JSON.stringify({ error: { exit: EXIT.config, message: (err as Error).message } }) + '\n');
    return EXIT.config;
  }
  if (args.help) {
    const listings = Object.entries(step.schema.cliListings ?? {}).map(
      ([flag, description]) => `  --${flag}\n      ${description}\n`,
    );
    io.stdout(helpText(step.schema) + (listings.length ? `\nCommand-line only:\n${listings.join('')}` : ''));
    return EXIT.ok;
  }
  const color = args.color ?? (io.isTTY === true && !io.env.NO_COLOR && io.env.TERM !== 'dumb');
  const platform = detectPlatform({
    ...io,
    flags: args.flags,
    json: args.json,
    format: args.format ?? 'text',
    color,
    summaryFile: args.summary,
  });
  return run(step, platform, undefined, { known: knownVariables(all.map((s) => s.schema)) });
}

/** `shipgate <step> …`: dispatches to the same step code the actions bundle, loading only the step it runs. */
export async function cli(steps: StepEntry[], argv: string[], io: Io = processIo(), version = ''): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout(`shipgate ${version}\n`);
    return EXIT.ok;
  }
  const usage = () =>
    `Usage: shipgate <step> [--input value …] [--json]\n       shipgate --version\n\nSteps:\n${steps.map((s) => `  ${s.schema.name.padEnd(20)} ${s.schema.title}`).join('\n')}\n\nRun 'shipgate <step> --help' for a step's inputs.\n`;
  if (!name || name === '--help' || name === '-h') {
    io.stdout(usage());
    return name ? EXIT.ok : EXIT.config;
  }
  const entry = steps.find((s) => s.schema.name === name);
  if (!entry) {
    const near = closest(
      name,
      steps.map((s) => s.schema.name),
    );
    io.stderr(`error: Unknown step '${name}'.${near ? ` Did you mean '${near}'?` : ''}\n\n${usage()}`);
    return EXIT.config;
  }
  return runWithArgs(entry, rest, io, steps);
}

/** Entry of a bundled action or CLI: runs and sets the process exit code. */
export function main(promise: Promise<number>): void {
  promise.then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`Internal error (a Shipgate bug, please report it): ${err?.stack ?? err}\n`);
      process.exitCode = EXIT.bug;
    },
  );
}
