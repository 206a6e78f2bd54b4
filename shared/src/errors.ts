/** Where in a user's file a problem sits, so platforms can annotate it. */
export interface Problem {
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

/** The user's mistake: bad input, a broken config file. Exit code 2. */
export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** A system we talk to answered badly or not at all. Exit code 3. */
export class ExternalError extends Error {
  readonly exitCode = 3;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExternalError';
  }
}

export const EXIT = { ok: 0, verdict: 1, config: 2, external: 3, bug: 70 } as const;

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
