// The one place git runs. Arguments go to execFile as an array: no shell, so no input is ever interpolated into one.
import { execFile } from 'node:child_process';
import { ConfigError, ExternalError } from '../errors.js';

export interface GitOptions {
  cwd: string;
  /** Extra environment for this call (e.g. GIT_TERMINAL_PROMPT=0 is always set). */
  env?: Record<string, string>;
  /** Bytes of output allowed; large logs need more than the default. */
  maxBuffer?: number;
  /** Text written to git's stdin. */
  input?: string;
}

export class GitFailure extends Error {
  constructor(
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${code}): ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** Runs `git <args>` in `cwd` and returns stdout; throws GitFailure with git's own message on a non-zero exit. */
export function git(args: string[], opts: GitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      {
        cwd: opts.cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
        maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const code = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          return reject(new ExternalError('git is not installed or not on PATH.'));
        reject(new GitFailure(args, code, stderr || err.message));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** The top of the work tree that holds `cwd`, or a ConfigError naming the fix when there is none. */
export async function repoRoot(cwd: string): Promise<string> {
  try {
    return (await git(['rev-parse', '--show-toplevel'], { cwd })).trim();
  } catch (err) {
    if (err instanceof GitFailure) {
      throw new ConfigError(
        `${cwd} is not inside a git repository. Run the step after checking out the repository (actions/checkout, or GitLab's default clone).`,
      );
    }
    throw err;
  }
}

/** True when the repository is a shallow clone (history cut off). */
export async function isShallow(cwd: string): Promise<boolean> {
  return (await git(['rev-parse', '--is-shallow-repository'], { cwd })).trim() === 'true';
}
