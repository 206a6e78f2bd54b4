// Release tags in git: `<prefix>X.Y.Z`, as version-tag writes them and rollback reads them back.
import semver from 'semver';
import type { Platform } from '../platform/platform.js';
import { git } from './git.js';

/** A release version: X.Y.Z without pre-release or build, no leading zeros. */
export const RELEASE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export interface Release {
  tag: string;
  version: string;
}

/** The names of every tag: names only, which git reads from packed-refs without opening a single object. */
export async function readTags(cwd: string): Promise<string[]> {
  return (await git(['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'], { cwd })).split('\n').filter(Boolean);
}

/** `<prefix>X.Y.Z` as a release; undefined for pre-releases, floating `v2`/`v2.3` tags, other prefixes and the rest. */
export function releaseOf(tag: string, prefix: string): Release | undefined {
  if (!tag.startsWith(prefix)) return undefined;
  const version = tag.slice(prefix.length);
  return RELEASE.test(version) ? { tag, version } : undefined;
}

/** The highest release among `tags` by SemVer precedence (1.10.0 beats 1.9.0); one pass, no sort. */
export function lastRelease(tags: Iterable<string>, prefix: string): Release | undefined {
  let best: Release | undefined;
  for (const tag of tags) {
    const r = releaseOf(tag, prefix);
    if (r && (!best || semver.gt(r.version, best.version))) best = r;
  }
  return best;
}

/** Every release among `tags`, highest first. */
export function releases(tags: Iterable<string>, prefix: string): Release[] {
  return [...tags].flatMap((t) => releaseOf(t, prefix) ?? []).sort((a, b) => semver.rcompare(a.version, b.version));
}

/** What to change so the job clones the whole history and the tags, in the words of the platform it runs on. */
export function shallowFix(platform: Platform): string {
  if (platform.name === 'github')
    return "Set 'fetch-depth: 0' on actions/checkout (with: fetch-depth: 0), so the history and the tags are cloned.";
  if (platform.name === 'gitlab')
    return "Set the variable 'GIT_DEPTH: 0' on the job (variables: GIT_DEPTH: 0), so the history and the tags are cloned.";
  return "Run 'git fetch --unshallow --tags' first.";
}
