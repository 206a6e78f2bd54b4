// Real git repositories in temp dirs for the tests and the demo: commits with messages and files, tags, branches,
// merges, reverts, bare origins and shallow clones.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fixed identity and clock, so tests never depend on the machine's git config or on time. */
function gitEnv(tick: number): NodeJS.ProcessEnv {
  const date = `${1_700_000_000 + tick} +0000`;
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Dev',
    GIT_AUTHOR_EMAIL: 'dev@example.com',
    GIT_COMMITTER_NAME: 'Dev',
    GIT_COMMITTER_EMAIL: 'dev@example.com',
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: '1',
    LC_ALL: 'C',
  };
}

export class TempRepo {
  private tick = 0;

  private constructor(readonly dir: string) {}

  /** `git init` on branch main in a new temp dir (or `dir`). */
  static create(opts: { dir?: string; bare?: boolean } = {}): TempRepo {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'shipgate-repo-'));
    const repo = new TempRepo(dir);
    repo.git('init', '--quiet', '--initial-branch=main', ...(opts.bare ? ['--bare'] : []));
    return repo;
  }

  /** Opens an existing work tree (e.g. a clone). */
  static open(dir: string): TempRepo {
    return new TempRepo(dir);
  }

  git(...args: string[]): string {
    return this.run(args);
  }

  /** Runs git with `input` on stdin; each call is one second later on the repository's clock. */
  run(args: string[], input?: string): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: gitEnv(++this.tick),
      encoding: 'utf8',
      input,
      maxBuffer: 512 * 1024 * 1024,
    }).trim();
  }

  /** Commits `message`, writing `files` first (none: an empty commit). Returns the new sha. */
  commit(message: string, files: Record<string, string> = {}): string {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(this.dir, path)), { recursive: true });
      writeFileSync(join(this.dir, path), content);
      this.git('add', '--', path);
    }
    // verbatim: the message reaches git log exactly as written, blank lines and indentation included
    this.run(['commit', '--quiet', '--allow-empty', '--cleanup=verbatim', '--file=-'], message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  /** A lightweight tag, or annotated with `message`. */
  tag(name: string, ref = 'HEAD', message?: string): void {
    if (message) this.git('tag', '--annotate', '--message', message, name, ref);
    else this.git('tag', name, ref);
  }

  checkout(branch: string, create = false): void {
    this.git('checkout', '--quiet', ...(create ? ['-b'] : []), branch);
  }

  /** A merge commit (never fast-forward) of `branch` with `message`. */
  merge(branch: string, message: string): string {
    this.git('merge', '--quiet', '--no-ff', '--no-edit', '-m', message, branch);
    return this.head();
  }

  /** `git revert` of `sha`, with git's own `Revert "…"` message and `This reverts commit <sha>.` line. */
  revert(sha: string): string {
    this.git('revert', '--no-edit', sha);
    return this.head();
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A bare repository to push to, and a work tree cloned from it (`origin`). */
export function withOrigin(): { origin: TempRepo; work: TempRepo } {
  const origin = TempRepo.create({ bare: true });
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-clone-'));
  execFileSync('git', ['clone', '--quiet', origin.dir, dir], { env: gitEnv(0), stdio: 'ignore' });
  return { origin, work: TempRepo.open(dir) };
}

/** `git clone --depth N` of `source` over file://, so the clone really is shallow. */
export function shallowClone(source: TempRepo, depth: number): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-shallow-'));
  execFileSync('git', ['clone', '--quiet', `--depth=${depth}`, '--no-single-branch', `file://${source.dir}`, dir], {
    env: gitEnv(0),
    stdio: 'ignore',
  });
  return TempRepo.open(dir);
}
