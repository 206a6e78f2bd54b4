import { ConfigError } from './errors.js';
import { parseDuration } from './duration.js';
import { closest } from './text.js';

/** How an input's text is turned into a value. */
export type InputType = 'string' | 'boolean' | 'integer' | 'duration' | 'enum' | 'lines';

/** One input of a step. The schema is the single source of action.yml, CLI help, components and docs. */
export interface InputSpec {
  description: string;
  type: InputType;
  /** The default as the user would type it; absent means empty. */
  default?: string;
  required?: boolean;
  /** Allowed values, for `enum`. */
  options?: readonly string[];
  /** Lowest allowed value, for `integer`. */
  min?: number;
  /**
   * For `lines` of names without spaces (files): commas and spaces separate items too, as in the lists people
   * paste from `git diff --name-only` or a changed-files action.
   */
  words?: boolean;
}

export interface OutputSpec {
  description: string;
  /**
   * What the output's text holds, so `--json` can print the value typed: `json` is an array or object in JSON,
   * `boolean` is true/false (anything else, such as `unknown`, stays text). Absent: text. Action outputs stay text.
   */
  type?: 'string' | 'boolean' | 'number' | 'json';
}

/** Everything a step declares about itself. */
export interface StepSchema {
  name: string;
  title: string;
  description: string;
  inputs: Record<string, InputSpec>;
  outputs: Record<string, OutputSpec>;
  /**
   * Files the GitLab component keeps beyond the summary, outputs and dotenv: `reports` by GitLab report type
   * (junit, codequality, load_performance…) and plain `paths`. `$[[ inputs.x ]]` may name an input's value.
   */
  artifacts?: {
    reports?: Record<string, string>;
    paths?: string[];
    /** Files that outlive the pipeline (GitLab `cache:`), restored by the next job with the same key. */
    cache?: { key: string; fallbackKeys?: string[]; paths: string[] };
  };
  /**
   * What the step changes outside the job: `tag` (tags, releases, images) or `deploy` (traffic, a rollout). Its GitLab
   * component then runs on the default branch only, one job at a time, and a `deploy` names its environment.
   */
  changes?: 'tag' | 'deploy';
  /**
   * Flags only the CLI has, by name, with what they print (`list-rules`): not inputs, since they need no job and no
   * other input. Declared here so `--help` lists them without loading the step's code.
   */
  cliListings?: Record<string, string>;
}

type Base<S extends InputSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'integer' | 'duration'
    ? number
    : S['type'] extends 'lines'
      ? string[]
      : string;

/** Strings and lists are never undefined (empty instead); other types are when they have no default. */
type ValueOf<S extends InputSpec> = S['type'] extends 'string' | 'lines'
  ? Base<S>
  : S extends { default: string } | { required: true }
    ? Base<S>
    : Base<S> | undefined;

/** The parsed, typed inputs of a schema: durations in milliseconds, lines as arrays. */
export type Inputs<I extends Record<string, InputSpec>> = { [K in keyof I]: ValueOf<I[K]> };

const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** YAML 1.2 core booleans, as GitHub and GitLab both spell them. */
export function parseBoolean(text: string): boolean | undefined {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  return undefined;
}

function quote(value: string): string {
  return value.length > 80 ? `'${value.slice(0, 77)}...'` : `'${value}'`;
}

function parseOne(name: string, spec: InputSpec, raw: string): unknown {
  const bad = (expected: string) => new ConfigError(`Input '${name}' is ${quote(raw)}. Expected ${expected}.`);
  switch (spec.type) {
    case 'string':
      return raw;
    case 'lines':
      return raw
        .split(spec.words ? /[\s,]+/ : /\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
    case 'boolean': {
      const b = parseBoolean(raw.trim());
      if (b === undefined) throw bad('true or false');
      return b;
    }
    case 'integer': {
      const t = raw.trim();
      const n = Number(t);
      if (!/^-?\d+$/.test(t) || !Number.isSafeInteger(n)) throw bad('a whole number');
      if (spec.min !== undefined && n < spec.min) throw bad(`a whole number of at least ${spec.min}`);
      return n;
    }
    case 'duration': {
      const ms = parseDuration(raw);
      if (ms === undefined) throw bad('a duration such as 500ms, 30s, 2m or 1h');
      return ms;
    }
    case 'enum': {
      const t = raw.trim();
      if (!spec.options?.includes(t)) throw notOneOf(name, t, spec.options ?? []);
      return t;
    }
  }
}

/**
 * Parses every input of a schema at once from a raw lookup (flags, INPUT_* or SHIPGATE_* env).
 * Empty means "use the default"; all problems are reported together.
 */
export function parseInputs<I extends Record<string, InputSpec>>(
  inputs: I,
  lookup: (name: string) => string | undefined,
): Inputs<I> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(inputs)) {
    const given = lookup(name);
    const raw = given === undefined || given.trim() === '' ? (spec.default ?? '') : given;
    if (spec.required && raw.trim() === '') {
      problems.push(`Input '${name}' is required: ${spec.description}`);
      continue;
    }
    if (raw.trim() === '' && spec.type !== 'string' && spec.type !== 'lines') {
      out[name] = undefined;
      continue;
    }
    try {
      out[name] = parseOne(name, spec, raw);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return out as Inputs<I>;
}

/** `Input 'provider' is 'haproxxy'. Expected one of: …, haproxy, nginx. Did you mean 'haproxy'?` */
export function notOneOf(input: string, value: string, options: readonly string[]): ConfigError {
  // A near miss of one option is named, as a mistyped flag is; a one- or two-letter value is too short to guess from.
  const near = value.length >= 3 ? closest(value, options) : undefined;
  return new ConfigError(
    `Input '${input}' is ${quote(value)}. Expected one of: ${options.join(', ')}.${near ? ` Did you mean '${near}'?` : ''}`,
  );
}
