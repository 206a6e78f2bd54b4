import { type Annotation, BasePlatform, type PlatformContext, envName, where } from './platform.js';

/**
 * A terminal: inputs from flags or SHIPGATE_* variables, logs on stderr, the summary on stdout,
 * or with --json only the outputs as one JSON object on stdout.
 */
export class LocalPlatform extends BasePlatform {
  readonly name = 'local' as const;
  private readonly json: boolean;
  private readonly outputs: Record<string, string> = {};

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

  override finish(): void {
    if (this.json) this.out(JSON.stringify(this.outputs) + '\n');
    else if (Object.keys(this.outputs).length) {
      this.out('Outputs:\n' + Object.entries(this.outputs).map(([k, v]) => `  ${k}=${v}\n`).join(''));
    }
  }
}
