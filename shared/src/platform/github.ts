import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as core from '@actions/core';
import { type Annotation, BasePlatform, envName } from './platform.js';

/**
 * GitHub Actions: inputs from INPUT_*, outputs and summary to the files the runner names,
 * log commands (masks, annotations, groups) through @actions/core.
 */
export class GitHubPlatform extends BasePlatform {
  readonly name = 'github' as const;

  commit(): string | undefined {
    return this.envVars.GITHUB_SHA || undefined;
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
