import { type StepReport, typedOutputs } from '../report/result.js';
import { type Annotation, BasePlatform, type PlatformContext, envName, where } from './platform.js';

/**
 * A terminal: inputs from flags or SHIPGATE_* variables, logs on stderr, the summary on stdout,
 * or with --json one JSON object on stdout: the outputs typed, the step's details, and the failure or error.
 */
export class LocalPlatform extends BasePlatform {
  readonly name = 'local' as const;
  private readonly json: boolean;
  /** The outputs in their string form, as action outputs carry them. */
  readonly outputs: Record<string, string> = {};
  private result: StepReport = { outputTypes: {} };

  constructor(ctx: PlatformContext) {
    super(ctx);
    this.json = ctx.json ?? false;
  }

  protected envInput(name: string): string | undefined {
    return this.envVars[`SHIPGATE_${envName(name)}`];
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

  writeSummary(markdown: string): void {
    const text = this.redactor.redact(markdown) + '\n';
    if (this.json) this.err(text);
    else this.out(text);
  }

  debug(message: string): void {
    if (this.envVars.SHIPGATE_DEBUG === 'true') this.line(`debug: ${message}`);
  }

  warning(message: string, at?: Annotation): void {
    this.line(`warning: ${where(at)}${message}`);
  }

  error(message: string, at?: Annotation): void {
    this.line(`error: ${where(at)}${message}`);
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.line(`── ${title}`);
    return fn();
  }

  override report(r: StepReport): void {
    this.result = r;
  }

  override finish(): void {
    if (this.json) {
      const { outputTypes, data, failure, error } = this.result;
      const all = { ...typedOutputs(outputTypes, this.outputs), ...data, ...(failure ? { failure } : {}), ...(error ? { error } : {}) };
      this.out(this.redactor.redact(JSON.stringify(all)) + '\n');
    }
    else if (Object.keys(this.outputs).length) {
      this.out('Outputs:\n' + Object.entries(this.outputs).map(([k, v]) => `  ${k}=${v}\n`).join(''));
    }
  }
}
