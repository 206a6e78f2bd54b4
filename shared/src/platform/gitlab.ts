import { appendFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Annotation, BasePlatform, type PlatformContext, envName, where } from './platform.js';

const ESC = '\u001b[0K';

/**
 * GitLab CI: inputs from flags or SHIPGATE_* variables, outputs to a dotenv report, summary to a markdown artifact
 * and the log. GitLab has no runtime masking, so every line is redacted here before it is printed.
 */
export class GitLabPlatform extends BasePlatform {
  readonly name = 'gitlab' as const;
  private readonly dotenvFile: string;
  private readonly summaryFile: string;
  private sections = 0;

  constructor(ctx: PlatformContext) {
    super(ctx);
    this.dotenvFile = resolve(this.cwd, ctx.env.SHIPGATE_DOTENV_FILE || 'shipgate.env');
    this.summaryFile = resolve(this.cwd, ctx.env.SHIPGATE_SUMMARY_FILE || 'shipgate-summary.md');
    // A fresh job starts a fresh summary; outputs append, so several steps in one job share one dotenv file.
    writeFileSync(this.summaryFile, '');
  }

  protected envInput(name: string): string | undefined {
    return this.envVars[`SHIPGATE_${envName(name)}`];
  }

  setOutput(name: string, value: string): void {
    // dotenv reports hold one line per variable: newlines travel escaped.
    const flat = this.redactor.redact(value).replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n');
    appendFileSync(this.dotenvFile, `SHIPGATE_${envName(name)}=${flat}\n`);
  }

  writeSummary(markdown: string): void {
    const text = this.redactor.redact(markdown);
    appendFileSync(this.summaryFile, text + '\n');
    this.out(text + '\n');
  }

  debug(message: string): void {
    if (this.envVars.CI_DEBUG_TRACE === 'true' || this.envVars.SHIPGATE_DEBUG === 'true') this.line(`debug: ${message}`);
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
