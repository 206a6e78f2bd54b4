// Everything version-tag reads from git: tags, the commit range, shallow clones. Each is one git call.
import { ConfigError } from '../../../shared/src/errors.js';
import { git, GitFailure, isShallow } from '../../../shared/src/git/git.js';
import { lastRelease, shallowFix, type Release } from '../../../shared/src/git/tags.js';
import type { Platform } from '../../../shared/src/platform/index.js';
import type { Commit } from './bump.js';

export { readTags } from '../../../shared/src/git/tags.js';

/**
 * A prefix no SemVer tag can follow is a ConfigError: git must accept `<prefix>0.0.0` as a tag name, and a prefix
 * ending in a digit would run into the version (`v1` + `2.0.0` reads as `v12.0.0`).
 */
export async function checkPrefix(cwd: string, prefix: string): Promise<void> {
  const bad = (why: string) =>
    new ConfigError(`Input 'prefix' is '${prefix}': ${why} Use e.g. 'v', or 'user-service/v' for per-service tags.`);
  if (/\d$/.test(prefix))
    throw bad('it ends in a digit, so the version would run into it (v1 + 2.0.0 reads as v12.0.0).');
  if (prefix.startsWith('-')) throw bad("it starts with '-', so git would read the tag as an option.");
  try {
    await git(['check-ref-format', `refs/tags/${prefix}0.0.0`], { cwd });
  } catch (err) {
    if (err instanceof GitFailure)
      throw bad(
        `git does not accept '${prefix}0.0.0' as a tag name (no spaces, ~ ^ : ? * [ \\, '..', '@{' or a leading '/').`,
      );
    throw err;
  }
}

/** The last release and the commits since it: what the version is computed from. */
export interface History {
  previous?: Release;
  commits: Commit[];
}

/**
 * The highest `<prefix>X.Y.Z` tag reachable from HEAD and the commits since it. The highest tag overall usually is
 * reachable, and the range read anyway proves it without another walk of the history: a tag is an ancestor of HEAD
 * exactly when it is HEAD or the parent of a commit in `<tag>..HEAD`. (A path-limited log leaves out commits, so then
 * git answers.) Only when it is not, `git tag --merged HEAD` lists the reachable tags.
 */
export async function readHistory(
  cwd: string,
  tags: string[],
  prefix: string,
  path: string,
  head: string,
): Promise<History> {
  const best = lastRelease(tags, prefix);
  if (!best) return { commits: await readCommits(cwd, undefined, path) };
  if (!path) {
    const [at, commits] = await Promise.all([tagCommit(cwd, best.tag), readCommits(cwd, best.tag, '')]);
    if (at === head || commits.some((c) => c.parents.includes(at!))) return { previous: best, commits };
  } else if (await isAncestor(cwd, best.tag)) {
    return { previous: best, commits: await readCommits(cwd, best.tag, path) };
  }
  const merged = (await git(['tag', '--merged', 'HEAD', '--list', '--end-of-options', `${prefix}*`], { cwd }))
    .split('\n')
    .filter(Boolean);
  const previous = lastRelease(merged, prefix);
  return { previous, commits: await readCommits(cwd, previous?.tag, path) };
}

/** The commit a tag points to (annotated tags peeled), or undefined when there is no such tag. */
export async function tagCommit(cwd: string, tag: string): Promise<string | undefined> {
  try {
    return (await git(['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`], { cwd })).trim() || undefined;
  } catch (err) {
    if (err instanceof GitFailure) return undefined;
    throw err;
  }
}

async function isAncestor(cwd: string, commit: string): Promise<boolean> {
  try {
    await git(['merge-base', '--is-ancestor', commit, 'HEAD'], { cwd });
    return true;
  } catch (err) {
    if (err instanceof GitFailure && err.code === 1) return false;
    throw err;
  }
}

/**
 * The commits of `<from>..HEAD` (all of HEAD's history without `from`), newest first, following every parent.
 * -z separates commits with NUL, which a commit message cannot hold; within one, the two fixed fields end at \x1f.
 * With `path`, only commits that touch it: `--full-history` keeps side branches whose change a merge made identical
 * to the main line, and a merge touches the path only when it brings a change to it into its first parent.
 */
export async function readCommits(cwd: string, from: string | undefined, path: string): Promise<Commit[]> {
  const args = ['log', '-z', '--format=%H%x1f%P%x1f%B', from ? `${from}..HEAD` : 'HEAD'];
  if (path) args.push('--full-history', '--', path);
  const out = await git(args, { cwd });
  const commits: Commit[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const a = record.indexOf('\x1f');
    const b = record.indexOf('\x1f', a + 1);
    const parents = record.slice(a + 1, b);
    commits.push({ sha: record.slice(0, a), parents: parents ? parents.split(' ') : [], message: record.slice(b + 1) });
  }
  if (!path) return commits;
  const touching = await mergesTouching(
    cwd,
    commits.filter((c) => c.parents.length > 1),
    path,
  );
  return commits.filter((c) => c.parents.length < 2 || touching.has(c.sha));
}

/**
 * The merges whose diff against their first parent touches `path`, in one `git diff-tree --stdin` call:
 * `--full-history` also lists a merge that only differs from its side branch (the main line changed the path).
 */
async function mergesTouching(cwd: string, merges: Commit[], path: string): Promise<Set<string>> {
  if (!merges.length) return new Set();
  const shas = new Set(merges.map((m) => m.sha));
  const out = await git(['diff-tree', '--stdin', '-r', '--name-only', '--', path], {
    cwd,
    input: merges.map((m) => `${m.sha} ${m.parents[0]}\n`).join(''),
  });
  return new Set(out.split('\n').filter((line) => shas.has(line)));
}

/** HEAD's full sha, or a ConfigError when the repository has no commit yet. */
export async function headSha(cwd: string): Promise<string> {
  try {
    return (await git(['rev-parse', '--verify', 'HEAD^{commit}'], { cwd })).trim();
  } catch (err) {
    if (err instanceof GitFailure)
      throw new ConfigError(
        `The repository at ${cwd} has no commit yet (HEAD does not exist). Commit first, then run version-tag.`,
      );
    throw err;
  }
}

/** `path` must name something in HEAD's tree, or it is probably a typo and would count no commit. */
export async function checkPath(cwd: string, path: string): Promise<void> {
  const out = await git(['ls-tree', '--name-only', 'HEAD', '--', path.replace(/\/+$/, '')], { cwd });
  if (!out.trim()) {
    throw new ConfigError(
      `Input 'path' is '${path}', which is not in the repository at HEAD. (The path is read from the working directory and shown from the repository root.) Give a file or directory that exists, e.g. services/user.`,
    );
  }
}

/**
 * A shallow clone hides the tags and commits the version depends on. When writing is allowed (not a dry run) and
 * origin is there, the full history is fetched; otherwise the job stops with the exact fix.
 */
export async function ensureFullHistory(cwd: string, platform: Platform, mayFetch: boolean): Promise<void> {
  if (!(await isShallow(cwd))) return;
  const fix = shallowFix(platform);
  if (mayFetch && (await hasOrigin(cwd))) {
    platform.warning(`The repository is a shallow clone; fetching the full history and the tags from origin. ${fix}`);
    try {
      await git(['fetch', '--quiet', '--unshallow', '--tags', 'origin'], { cwd });
      return;
    } catch (err) {
      throw new ConfigError(
        `The repository is a shallow clone and fetching the full history from origin failed (${(err as Error).message}). ${fix}`,
      );
    }
  }
  const why = mayFetch ? 'it has no remote origin to fetch the rest from' : 'a dry run does not fetch';
  throw new ConfigError(
    `The repository is a shallow clone, so the last tag and the commits since it are unknown, and ${why}. ${fix}`,
  );
}

export async function hasOrigin(cwd: string): Promise<boolean> {
  try {
    await git(['remote', 'get-url', 'origin'], { cwd });
    return true;
  } catch (err) {
    if (err instanceof GitFailure) return false;
    throw err;
  }
}
