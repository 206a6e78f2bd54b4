import { appendFileSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import {
  type Annotation,
  BasePlatform,
  type Env,
  type ForgeToken,
  type Job,
  type Vocabulary,
  envName,
} from './platform.js';

/**
 * GitHub Actions: inputs from INPUT_*, outputs and summary to the files the runner names,
 * log commands (masks, annotations, groups) through @actions/core.
 */
export class GitHubPlatform extends BasePlatform {
  readonly name = 'github' as const;
  readonly vocabulary = GITHUB_WORDS;

  commit(): string | undefined {
    return this.job.sha;
  }

  protected buildJob(): Job {
    return githubJob(this.envVars, this.cwd);
  }

  forgeToken(): ForgeToken | undefined {
    return githubToken(this);
  }

  forgeNeeds(): string {
    return githubNeeds(this.envVars);
  }

  protected envInput(name: string): string | undefined {
    // The runner keeps dashes and upper-cases the rest (INPUT_CHECK-HEALTH); accept the underscore form too.
    return this.envVars[`INPUT_${name.toUpperCase()}`] ?? this.envVars[`INPUT_${envName(name)}`];
  }

  override setSecret(value: string): void {
    super.setSecret(value);
    if (value) core.setSecret(value);
  }

  setOutput(name: string, value: string): void {
    const file = this.envVars.GITHUB_OUTPUT;
    if (!file) {
      this.warning(`GITHUB_OUTPUT is not set; output '${name}' is not passed on.`);
      return;
    }
    // The heredoc form is safe for multi-line values; a random delimiter cannot occur in the value.
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}\n${this.redactor.redact(value)}\n${delimiter}\n`);
  }

  writeSummary(markdown: string): void {
    const file = this.envVars.GITHUB_STEP_SUMMARY;
    if (file) appendFileSync(file, this.redactor.redact(markdown) + '\n');
    else this.line(markdown);
  }

  override info(message: string): void {
    core.info(this.redactor.redact(message));
  }

  debug(message: string): void {
    core.debug(this.redactor.redact(message));
  }

  warning(message: string, at?: Annotation): void {
    core.warning(this.redactor.redact(message), props(at));
  }

  error(message: string, at?: Annotation): void {
    core.error(this.redactor.redact(message), props(at));
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    core.startGroup(this.redactor.redact(title));
    try {
      return await fn();
    } finally {
      core.endGroup();
    }
  }
}

/** Only the properties that are set: an empty one would print as `::error ::`. */
function props(at?: Annotation): core.AnnotationProperties | undefined {
  if (!at) return undefined;
  const all = { file: at.file, startLine: at.line, startColumn: at.column, title: at.title };
  const set = Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined));
  return Object.keys(set).length ? set : undefined;
}

/** GitHub's names, for messages. */
export const GITHUB_WORDS: Vocabulary = {
  forgeToken: 'GITHUB_TOKEN',
  commit: 'GITHUB_SHA',
  branch: 'GITHUB_REF',
  tagPushFix:
    "Give the job 'permissions: contents: write' (actions/checkout keeps its token for git push), or pass GITHUB_TOKEN in env to tag through the API.",
  commentToken: 'On GitHub set env GITHUB_TOKEN: ${{ github.token }} (permissions: pull-requests: write)',
};

/** The identity of a GitHub Actions job, from the variables the runner sets (also read on a terminal that has them). */
export function githubJob(env: Env, cwd: string): Job {
  const server = trimmed(env.GITHUB_SERVER_URL);
  const repository = env.GITHUB_REPOSITORY || undefined;
  const run = env.GITHUB_RUN_ID;
  const ref = env.GITHUB_REF ?? '';
  return {
    forge: 'github',
    repository,
    sha: env.GITHUB_SHA || undefined,
    ref: env.GITHUB_REF_NAME || undefined,
    branch: ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined,
    runUrl: server && repository && run ? `${server}/${repository}/actions/runs/${run}` : undefined,
    actor: env.GITHUB_ACTOR || undefined,
    reviewNumber: pullNumber(env),
    workspace: cwd,
    serverUrl: server || 'https://github.com',
    apiUrl: trimmed(env.GITHUB_API_URL) || 'https://api.github.com',
    apiVariable: 'GITHUB_API_URL',
  };
}

/** GITHUB_TOKEN, masked. */
export function githubToken(platform: { secret(name: string): string | undefined }): ForgeToken | undefined {
  const token = platform.secret('GITHUB_TOKEN');
  return token ? { token, jobToken: false } : undefined;
}

/** What a GitHub job lacks to reach its forge. */
export function githubNeeds(env: Env): string {
  const lacks = ['GITHUB_TOKEN', 'GITHUB_REPOSITORY'].filter((n) => !env[n]);
  return `${lacks.join(' and ') || 'GITHUB_TOKEN'} ${lacks.length > 1 ? 'are' : 'is'} not in the environment (on GitHub Actions: env: GITHUB_TOKEN: \${{ github.token }})`;
}

/** The PR number of a GitHub run: from the event payload, else from refs/pull/N/merge. */
function pullNumber(env: Env): number | undefined {
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    try {
      const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
        pull_request?: { number?: number };
        number?: number;
      };
      if (event.pull_request?.number) return event.pull_request.number;
    } catch {
      // A missing or unreadable event file only means no PR is known.
    }
  }
  const ref = /^refs\/pull\/(\d+)\//.exec(env.GITHUB_REF ?? '');
  return ref ? Number(ref[1]) : undefined;
}

function trimmed(url: string | undefined): string | undefined {
  return url?.replace(/\/+$/, '') || undefined;
}
