import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT } from '../errors.js';
import { style, inline, type Style } from '../report/terminal.js';
import { type StepReport, typedOutputs } from '../report/result.js';
import { GITHUB_WORDS, githubJob, githubNeeds, githubToken } from './github.js';
import { GITLAB_WORDS, gitlabJob, gitlabNeeds, gitlabToken } from './gitlab.js';
import {
  type Annotation,
  BasePlatform,
  type ForgeToken,
  type Job,
  type PlatformContext,
  type Vocabulary,
  type SummaryView,
  envName,
  where,
} from './platform.js';

/**
 * A terminal: inputs from flags or SHIPGATE_* variables, logs on stderr, the summary on stdout (for people, or as
 * Markdown with `--format markdown`), or with --json one JSON object on stdout: the outputs typed, the step's
 * details, and the failure or error.
 */
export class LocalPlatform extends BasePlatform {
  readonly name = 'local' as const;
  /** A terminal may stand in for either CI system, so messages name both (a token, which is rarely GitLab's, GitHub's). */
  readonly vocabulary: Vocabulary = {
    forgeToken: GITHUB_WORDS.forgeToken,
    commit: `${GITHUB_WORDS.commit} / ${GITLAB_WORDS.commit}`,
    branch: `${GITHUB_WORDS.branch} or ${GITLAB_WORDS.branch}`,
    tagPushFix: 'Check that you may push tags to origin.',
    commentToken: `${GITHUB_WORDS.commentToken}; ${GITLAB_WORDS.commentToken}`,
  };
  private readonly json: boolean;
  private readonly format: 'text' | 'markdown';
  private readonly style: Style;
  private readonly summaryFile?: string;
  /** The outputs in their string form, as action outputs carry them. */
  readonly outputs: Record<string, string> = {};
  private result: StepReport = { outputTypes: {} };

  constructor(ctx: PlatformContext) {
    super(ctx);
    this.json = ctx.json ?? false;
    this.format = ctx.format ?? 'markdown';
    this.style = style(ctx.color ?? false);
    this.summaryFile = ctx.summaryFile ? resolve(this.cwd, ctx.summaryFile) : undefined;
  }

  commit(): string | undefined {
    try {
      return (
        execFileSync('git', ['rev-parse', 'HEAD'], {
          cwd: this.cwd,
          stdio: ['ignore', 'pipe', 'ignore'],
          timeout: 5000,
        })
          .toString()
          .trim() || undefined
      );
    } catch {
      return undefined; // not a git work tree, or no git
    }
  }

  protected envInput(name: string): string | undefined {
    return this.envVars[`SHIPGATE_${envName(name)}`];
  }

  /**
   * A terminal borrows a forge's identity when its variables are set (a script that exports GITHUB_REPOSITORY and
   * GITHUB_TOKEN talks to GitHub, one with GITLAB_CI to GitLab). The run's identity (commit, ref, actor) is read from
   * either CI system's names, that forge's first; the forge's addresses from that forge only.
   */
  protected buildJob(): Job {
    const env = this.envVars;
    const forge = env.GITHUB_REPOSITORY ? 'github' : env.GITLAB_CI ? 'gitlab' : undefined;
    const github = githubJob(env, this.cwd);
    const gitlab = gitlabJob(env, this.cwd);
    const [first, second] = forge === 'gitlab' ? [gitlab, github] : [github, gitlab];
    const pick = <K extends 'sha' | 'ref' | 'branch' | 'runUrl' | 'actor'>(k: K) => first[k] ?? second[k];
    return {
      ...first,
      forge,
      sha: pick('sha'),
      ref: pick('ref'),
      branch: pick('branch'),
      runUrl: pick('runUrl'),
      actor: pick('actor'),
    };
  }

  forgeToken(): ForgeToken | undefined {
    const forge = this.job.forge;
    return forge === 'github' ? githubToken(this) : forge === 'gitlab' ? gitlabToken(this) : undefined;
  }

  forgeNeeds(): string {
    const forge = this.job.forge;
    if (forge === 'github') return githubNeeds(this.envVars);
    if (forge === 'gitlab') return gitlabNeeds(this.envVars);
    return 'no forge token is in the environment: GITHUB_TOKEN with GITHUB_REPOSITORY for GitHub, or GITLAB_TOKEN with CI_PROJECT_ID and CI_SERVER_URL for GitLab';
  }

  override inputVariables(): string[] {
    return this.shipgateVariables();
  }

  protected override line(text: string): void {
    this.err(this.redactor.redact(text) + '\n');
  }

  setOutput(name: string, value: string): void {
    this.outputs[name] = this.redactor.redact(value);
  }

  writeSummary(markdown: string, view?: SummaryView): void {
    if (this.summaryFile) writeFileSync(this.summaryFile, this.redactor.redact(markdown) + '\n');
    const text = this.format === 'text' && view ? this.forPeople(view) : markdown;
    const out = this.redactor.redact(text) + '\n';
    if (this.json) this.err(out);
    else this.out(out);
  }

  /** A one-line verdict, then the summary's blocks as aligned, coloured text. */
  private forPeople(v: SummaryView): string {
    const s = this.style;
    const headline = inline(v.summary.headline, s);
    const verdict =
      v.code === EXIT.ok
        ? `${s.green('✔')} ${s.bold(v.step)} ${s.green('passed')}`
        : v.code === EXIT.verdict
          ? `${s.red('✘')} ${s.bold(v.step)} ${s.red('failed')}`
          : `${s.red('✘')} ${s.bold(v.step)} ${s.red(v.code === EXIT.config ? 'bad input' : v.code === EXIT.external ? 'a system it talks to failed' : 'internal error')} (exit ${v.code})`;
    const body = v.summary.toTerminal(s);
    return [v.code <= EXIT.verdict && headline ? `${verdict} · ${headline}` : verdict, body]
      .filter(Boolean)
      .join('\n\n');
  }

  override progress(message: string): void {
    this.line(this.style.dim(`… ${message}`));
  }

  debug(message: string): void {
    if (this.envVars.SHIPGATE_DEBUG === 'true') this.line(`debug: ${message}`);
  }

  warning(message: string, at?: Annotation): void {
    this.line(`${this.style.yellow('warning')}: ${where(at)}${message}`);
  }

  error(message: string, at?: Annotation): void {
    this.line(`${this.style.red('error')}: ${where(at)}${message}`);
  }

  /** Findings are listed in the summary; on a terminal they are not repeated as warnings. */
  override finding(_message: string, _at?: Annotation): void {}

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.line(this.style.bold(`── ${title}`));
    return fn();
  }

  override report(r: StepReport): void {
    this.result = r;
  }

  override finish(): void {
    if (this.json) {
      const { outputTypes, data, failure, error } = this.result;
      const all = {
        ...typedOutputs(outputTypes, this.outputs),
        ...data,
        ...(failure ? { failure } : {}),
        ...(error ? { error } : {}),
      };
      this.out(this.redactor.redact(JSON.stringify(all)) + '\n');
    } else if (Object.keys(this.outputs).length) {
      const s = this.style;
      const w = Math.max(...Object.keys(this.outputs).map((k) => k.length));
      this.out(
        `\n${s.bold('Outputs')}\n` +
          Object.entries(this.outputs)
            .map(([k, v]) => `  ${s.dim(k.padEnd(w))}  ${v.replace(/\n/g, `\n${' '.repeat(w + 4)}`)}\n`)
            .join(''),
      );
    }
  }
}
