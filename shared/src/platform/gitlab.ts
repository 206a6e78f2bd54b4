import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  type Annotation,
  BasePlatform,
  type Env,
  type ForgeToken,
  type Job,
  type PlatformContext,
  type Vocabulary,
  envName,
  where,
} from './platform.js';

const ESC = '\u001b[0K';
/** GitLab rejects a dotenv report of 5 KiB or more, and with it the job's artifacts. */
export const DOTENV_LIMIT = 5120;

/**
 * GitLab CI: inputs from flags or SHIPGATE_* variables, outputs to a dotenv report (and all of them, whole, to a JSON
 * artifact), summary to a markdown artifact and the log. GitLab has no runtime masking, so every line is redacted
 * here before it is printed.
 */
export class GitLabPlatform extends BasePlatform {
  readonly name = 'gitlab' as const;
  readonly vocabulary = GITLAB_WORDS;
  private readonly dotenvFile: string;
  private readonly summaryFile: string;
  private readonly outputsFile: string;
  private readonly outputs: Record<string, string> = {};
  private sections = 0;

  constructor(ctx: PlatformContext) {
    super(ctx);
    this.dotenvFile = resolve(this.cwd, ctx.env.SHIPGATE_DOTENV_FILE || 'shipgate.env');
    this.summaryFile = resolve(this.cwd, ctx.env.SHIPGATE_SUMMARY_FILE || 'shipgate-summary.md');
    this.outputsFile = resolve(this.cwd, ctx.env.SHIPGATE_OUTPUTS_FILE || 'shipgate-outputs.json');
  }

  commit(): string | undefined {
    return this.job.sha;
  }

  protected buildJob(): Job {
    return gitlabJob(this.envVars, this.cwd);
  }

  forgeToken(): ForgeToken | undefined {
    return gitlabToken(this);
  }

  forgeNeeds(): string {
    return gitlabNeeds(this.envVars);
  }

  protected envInput(name: string): string | undefined {
    return this.envVars[`SHIPGATE_${envName(name)}`];
  }

  override inputVariables(): string[] {
    return this.shipgateVariables();
  }

  // Reports are appended to, so several Shipgate steps in one job share one dotenv report and one summary.
  setOutput(name: string, value: string): void {
    const clean = this.redactor.redact(value);
    this.outputs[name] = clean;
    // GitLab keeps dotenv values as written, one line each: a newline can only travel as the two characters \n.
    const line = `SHIPGATE_${envName(name)}=${clean.replace(/\r?\n/g, '\\n')}\n`;
    const size = existsSync(this.dotenvFile) ? statSync(this.dotenvFile).size : 0;
    if (size + Buffer.byteLength(line) >= DOTENV_LIMIT) {
      this.warning(
        `Output '${name}' (${Buffer.byteLength(line)} bytes) would take the dotenv report past GitLab's 5 KiB limit; it is only in ${basename(this.outputsFile)}.`,
      );
      return;
    }
    appendFileSync(this.dotenvFile, line);
  }

  /** Writes every output, whole, to a JSON artifact (merged with an earlier step's in the same job). */
  override finish(): void {
    if (!Object.keys(this.outputs).length) return;
    let earlier: Record<string, string> = {};
    try {
      earlier = JSON.parse(readFileSync(this.outputsFile, 'utf8'));
    } catch {
      // No earlier step, or not ours: start afresh.
    }
    writeFileSync(this.outputsFile, JSON.stringify({ ...earlier, ...this.outputs }, null, 2) + '\n');
  }

  writeSummary(markdown: string): void {
    const text = this.redactor.redact(markdown);
    appendFileSync(this.summaryFile, text + '\n');
    this.out(text + '\n');
  }

  debug(message: string): void {
    if (this.envVars.CI_DEBUG_TRACE === 'true' || this.envVars.SHIPGATE_DEBUG === 'true')
      this.line(`debug: ${message}`);
  }

  warning(message: string, at?: Annotation): void {
    this.line(`\u001b[33mwarning\u001b[0m: ${where(at)}${message}`);
  }

  error(message: string, at?: Annotation): void {
    this.line(`\u001b[31merror\u001b[0m: ${where(at)}${message}`);
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    const id = `shipgate_${++this.sections}`;
    const now = () => Math.floor(Date.now() / 1000);
    this.line(`${ESC}section_start:${now()}:${id}[collapsed=true]\r${ESC}${title}`);
    try {
      return await fn();
    } finally {
      this.line(`${ESC}section_end:${now()}:${id}\r${ESC}`);
    }
  }
}

/** GitLab's names, for messages. */
export const GITLAB_WORDS: Vocabulary = {
  forgeToken: 'GITLAB_TOKEN or CI_JOB_TOKEN',
  commit: 'CI_COMMIT_SHA',
  branch: 'CI_COMMIT_BRANCH',
  tagPushFix:
    "Set GITLAB_TOKEN (a project access token with the api scope) to tag through the API, or allow Git push requests for the CI/CD job token in the project's settings.",
  commentToken: 'on GitLab set GITLAB_TOKEN (a project access token with api scope)',
};

/** The identity of a GitLab CI job, from its predefined variables (also read on a terminal that has them). */
export function gitlabJob(env: Env, cwd: string): Job {
  const api = env.CI_API_V4_URL?.replace(/\/+$/, '') || undefined;
  const server = api ? api.replace(/\/api\/v4$/, '') : env.CI_SERVER_URL?.replace(/\/+$/, '') || undefined;
  return {
    forge: 'gitlab',
    repository: env.CI_PROJECT_PATH || undefined,
    sha: env.CI_COMMIT_SHA || undefined,
    ref: env.CI_COMMIT_REF_NAME || undefined,
    branch: env.CI_COMMIT_BRANCH || undefined,
    runUrl: env.CI_JOB_URL || undefined,
    actor: env.GITLAB_USER_LOGIN || undefined,
    reviewNumber: env.CI_MERGE_REQUEST_IID ? Number(env.CI_MERGE_REQUEST_IID) : undefined,
    workspace: env.CI_PROJECT_DIR || cwd,
    serverUrl: server,
    apiUrl: api ?? (server && `${server}/api/v4`),
    apiVariable: 'CI_API_V4_URL (or CI_SERVER_URL)',
    projectId: env.CI_PROJECT_ID || undefined,
    projectUrl: env.CI_PROJECT_URL?.replace(/\/+$/, '') || undefined,
    pipelineId: env.CI_PIPELINE_ID ? Number(env.CI_PIPELINE_ID) : undefined,
  };
}

/** GITLAB_TOKEN, else the job's own CI_JOB_TOKEN; masked. */
export function gitlabToken(platform: { secret(name: string): string | undefined }): ForgeToken | undefined {
  const token = platform.secret('GITLAB_TOKEN');
  if (token) return { token, jobToken: false };
  const job = platform.secret('CI_JOB_TOKEN');
  return job ? { token: job, jobToken: true } : undefined;
}

/** What a GitLab job lacks to reach its forge. */
export function gitlabNeeds(env: Env): string {
  const token = env.GITLAB_TOKEN || env.CI_JOB_TOKEN;
  const lacks = [
    ...(token ? [] : ['GITLAB_TOKEN (or CI_JOB_TOKEN)']),
    ...(env.CI_PROJECT_ID ? [] : ['CI_PROJECT_ID']),
    ...(env.CI_API_V4_URL || env.CI_SERVER_URL ? [] : ['CI_SERVER_URL']),
  ];
  return `${lacks.join(' and ') || 'GITLAB_TOKEN'} ${lacks.length > 1 ? 'are' : 'is'} not in the environment (GitLab sets CI_JOB_TOKEN in every job; GITLAB_TOKEN is a project access token with the api scope)`;
}
