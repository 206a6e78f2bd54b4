import type { Summary } from '../report/markdown.js';
import type { StepReport } from '../report/result.js';
import type { ForgeToken, Job, Vocabulary } from './job.js';
import { envCredentials, type CredentialsFor } from './registry-credentials.js';

export type { ForgeToken, Job, Vocabulary } from './job.js';

/** A step's summary as run() ends it: which step, its exit code, and the blocks (for a terminal rendering). */
export interface SummaryView {
  step: string;
  code: number;
  summary: Summary;
}

/** Where a message points in the user's files. */
export interface Annotation {
  file?: string;
  line?: number;
  column?: number;
  title?: string;
}

export type Env = Record<string, string | undefined>;

/** What a platform is built from: plain values, so tests pass plain objects. */
export interface PlatformContext {
  env: Env;
  /** Inputs given as CLI flags, by kebab-case name; they win over the environment. */
  flags?: Record<string, string>;
  /** Local only: print outputs as one JSON object on stdout. */
  json?: boolean;
  /** Local only: the summary as `text` for people (the CLI's default) or as `markdown` (the default here). */
  format?: 'text' | 'markdown';
  /** Local only: colours in text output. */
  color?: boolean;
  /** Local only: also write the Markdown summary to this file. */
  summaryFile?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  cwd?: string;
}

/**
 * Where a step runs: GitHub Actions, GitLab CI or a terminal. Steps talk to the platform only through this,
 * never to process.env or @actions/core.
 */
export interface Platform {
  readonly name: 'github' | 'gitlab' | 'local';
  /** The job's working directory: relative paths in inputs are relative to it. */
  readonly cwd: string;
  /** What the job runs for: repository, commit, run page, actor, PR/MR. The only reader of CI identity variables. */
  readonly job: Job;
  /** The token for job.forge's API, masked; undefined when the job has none. */
  forgeToken(): ForgeToken | undefined;
  /** Why no forge can be used, naming the variables this job lacks (e.g. `GITHUB_TOKEN is not in the environment`). */
  forgeNeeds(): string;
  /** The names of what this platform's jobs set, for messages. */
  readonly vocabulary: Vocabulary;
  /** The registry logins this job's variables give, masked; `home` is the registry REGISTRY_USERNAME/PASSWORD go to. */
  registryCredentials(home?: string): CredentialsFor;
  /** Raw text of an input by its kebab-case name; undefined when not given. */
  input(name: string): string | undefined;
  /** A job variable that is not a secret, by name: for the step's own variables (SHIPGATE_*, KUBECONFIG), not CI identity. */
  env(name: string): string | undefined;
  /** A job variable that is a secret: masked from every log line before it is returned. */
  secret(name: string): string | undefined;
  /** Masks a value from every later log line. */
  setSecret(value: string): void;
  /** Text with every masked value replaced by ***: for what goes into files and comments rather than the log. */
  redact(text: string): string;
  setOutput(name: string, value: string): void;
  /** Appends markdown to the job summary; `view` is the same summary with its verdict, for a terminal. */
  writeSummary(markdown: string, view?: SummaryView): void;
  info(message: string): void;
  /** One line of a wait in progress (a health gate, a watch, a load run): dimmed on a terminal, plain in a job log. */
  progress(message: string): void;
  debug(message: string): void;
  warning(message: string, at?: Annotation): void;
  error(message: string, at?: Annotation): void;
  /** A finding at a place in the user's files (an annotation in the code view); a terminal lists it in the summary only. */
  finding(message: string, at?: Annotation): void;
  /** Runs fn inside a collapsible log section. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** The commit the job runs on (GITHUB_SHA, CI_COMMIT_SHA; in a terminal the work tree's HEAD), if known. */
  commit(): string | undefined;
  /** Flushes what must come last (local JSON outputs). */
  finish(): void;
  /** What the run came to (details, failure, error), for platforms that print it whole (local `--json`). */
  report(r: StepReport): void;
  /** Names of the variables this platform reads inputs from (SHIPGATE_* on GitLab and a terminal; none on GitHub). */
  inputVariables(): string[];
}

/** Replaces every registered secret with *** in text that is about to be printed or written. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(value: string | undefined): void {
    if (!value) return;
    for (const part of [value, ...value.split(/\r?\n/)]) {
      if (part.trim().length >= 3) this.secrets.add(part.trim());
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret that contains another is hidden whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
    return out;
  }
}

/** `check-health` → `CHECK_HEALTH`, the spelling of env variables. */
export function envName(input: string): string {
  return input.replace(/[^A-Za-z0-9]/g, '_').toUpperCase();
}

/** Shared behaviour of the three platforms: input lookup order, redaction, writers. */
export abstract class BasePlatform implements Platform {
  abstract readonly name: Platform['name'];
  protected readonly redactor = new Redactor();
  protected readonly envVars: Env;
  protected readonly flags: Record<string, string>;
  protected readonly out: (text: string) => void;
  protected readonly err: (text: string) => void;
  readonly cwd: string;
  private builtJob?: Job;

  constructor(ctx: PlatformContext) {
    this.envVars = ctx.env;
    this.flags = ctx.flags ?? {};
    this.out = ctx.stdout ?? ((t) => void process.stdout.write(t));
    this.err = ctx.stderr ?? ((t) => void process.stderr.write(t));
    this.cwd = ctx.cwd ?? process.cwd();
  }

  /** The platform's own place for an input in the environment. */
  protected abstract envInput(name: string): string | undefined;

  /** Reads the job's identity from its variables; called once, on first use (a GitHub event file is read then). */
  protected abstract buildJob(): Job;
  abstract forgeToken(): ForgeToken | undefined;
  abstract forgeNeeds(): string;
  abstract readonly vocabulary: Vocabulary;

  get job(): Job {
    return (this.builtJob ??= this.withLogin(this.buildJob()));
  }

  /** Whoever the CI system does not name as the actor (a terminal, a bare runner) is the login running the job. */
  private withLogin(job: Job): Job {
    return job.actor ? job : { ...job, actor: this.envVars.USER || undefined };
  }

  registryCredentials(home?: string): CredentialsFor {
    // User names and hosts are not secrets: masking them would garble every log line that names the actor.
    const lookup = (name: string) =>
      /USER(NAME)?$|ACTOR$|^CI_REGISTRY$|^REGISTRY_HOST$/.test(name) ? this.env(name) : this.secret(name);
    return envCredentials(lookup, home);
  }

  input(name: string): string | undefined {
    return this.flags[name] ?? this.envInput(name);
  }

  env(name: string): string | undefined {
    return this.envVars[name];
  }

  secret(name: string): string | undefined {
    const value = this.envVars[name];
    this.setSecret(value ?? '');
    return value || undefined;
  }

  setSecret(value: string): void {
    this.redactor.add(value);
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  protected line(text: string): void {
    this.out(this.redactor.redact(text) + '\n');
  }

  info(message: string): void {
    this.line(message);
  }

  finding(message: string, at?: Annotation): void {
    this.warning(message, at);
  }

  progress(message: string): void {
    this.info(`… ${message}`);
  }

  abstract setOutput(name: string, value: string): void;
  abstract writeSummary(markdown: string, view?: SummaryView): void;
  abstract debug(message: string): void;
  abstract warning(message: string, at?: Annotation): void;
  abstract error(message: string, at?: Annotation): void;
  abstract group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  abstract commit(): string | undefined;

  finish(): void {}

  report(_r: StepReport): void {}

  inputVariables(): string[] {
    return [];
  }

  protected shipgateVariables(): string[] {
    return Object.keys(this.envVars).filter((k) => k.startsWith('SHIPGATE_') && this.envVars[k] !== undefined);
  }
}

/** `file:line:col: ` for plain-text annotations. */
export function where(at?: Annotation): string {
  if (!at?.file) return '';
  return `${at.file}${at.line ? `:${at.line}` : ''}${at.line && at.column ? `:${at.column}` : ''}: `;
}
