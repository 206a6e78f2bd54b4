import { plural } from './text.js';

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

/** One ConfigError that lists every problem with file:line. */
export function configError(problems: Problem[]): ConfigError {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const text = sorted.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n');
  return new ConfigError(
    `${plural(sorted.length, 'problem')} in ${sorted[0]?.file ?? 'the configuration'}:\n${text}`,
    sorted,
  );
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

/** The errno-style code of an error (`ECONNREFUSED`, `ENOENT`…), looking through `cause` and AggregateError. */
export function errorCode(err: unknown): string | undefined {
  let e = err as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined;
  for (let depth = 0; depth < 5 && e; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = (e.cause ?? e.errors?.[0]) as typeof e;
  }
  return undefined;
}

/** What a system error was about: the input (or variable) that named it, its value, and what kind of thing it is. */
export interface HintTarget {
  /** As the user writes it: `input 'haproxy-socket'`, an API URL variable. */
  input: string;
  value: string;
  kind: 'url' | 'socket' | 'file';
}

const TLS = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_)/;

/**
 * One sentence saying what a raw system error (ECONNREFUSED, ENOENT…) means for the user: which input to check and
 * what to look at. Empty for an error that has no errno code, whose own message already says it.
 */
export function systemHint(err: unknown, t: HintTarget): string {
  const code = errorCode(err);
  if (!code) return '';
  const at = `${t.input} ('${t.value}')`;
  const service =
    t.kind === 'socket'
      ? 'the router is running and its runtime API listens there'
      : 'the service is running and listens on that port';
  if (code === 'ECONNREFUSED')
    return `Nothing accepts connections at ${at}: check the address and port, and that ${service}.`;
  if (code === 'ENOENT') {
    return t.kind === 'socket'
      ? `No socket exists at ${at}: check the path, and that HAProxy runs with a 'stats socket' line naming it (and is started).`
      : `No such file at ${at}: check the path (relative to the working directory) and that an earlier job created it.`;
  }
  if (code === 'EACCES' || code === 'EPERM')
    return `Permission denied at ${at}: the job's user cannot open it; check its owner and mode (HAProxy: 'stats socket … mode 660 group <the job's group>').`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `The host in ${at} does not resolve: check its spelling, and that the runner can resolve it (DNS, VPN, a service name only visible in the cluster).`;
  if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code))
    return `No route to ${at}: check the host, and that a firewall or network policy lets the runner reach it.`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
    return `The connection to ${at} was closed at once: check that it speaks what is expected there (http or https, the runtime API and not an HTTP port).`;
  if (TLS.test(code))
    return `TLS to ${at} failed (${code}): if the server uses a private CA, give it to the job with NODE_EXTRA_CA_CERTS.`;
  if (code === 'ENOTDIR' || code === 'EISDIR')
    return `${at} is not a file path that works: ${code === 'EISDIR' ? 'it is a directory' : 'a part of it is a file'}.`;
  return '';
}

/** `message` with the hint for `err` appended, when there is one. */
export function withHint(message: string, err: unknown, t: HintTarget): string {
  const hint = systemHint(err, t);
  return hint ? `${message.replace(/\.?$/, '.')} ${hint}` : message;
}
