// SemVer arithmetic and which tags are releases. Pure: tag names in, versions out.
import semver from 'semver';
import { ConfigError } from '../../../shared/src/errors.js';
import { RELEASE } from '../../../shared/src/git/tags.js';
import type { Level } from './conventional.js';

export { lastRelease, type Release } from '../../../shared/src/git/tags.js';

const IDENTIFIER = /^[0-9A-Za-z-]+$/;

/** `initial-version` as a version, or a ConfigError naming the fix. */
export function parseInitialVersion(text: string): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (RELEASE.test(t)) return t;
  const bare = t.replace(/^v/i, '');
  const hint = RELEASE.test(bare) ? ` Write it without the prefix: '${bare}'.` : '';
  throw new ConfigError(
    `Input 'initial-version' is '${text}'. Expected a version X.Y.Z such as 0.1.0 or 1.0.0.${hint}`,
  );
}

/** `prerelease` as a SemVer pre-release identifier, or a ConfigError naming the fix. */
export function parsePrerelease(text: string): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (IDENTIFIER.test(t) && !/^\d+$/.test(t)) return t;
  throw new ConfigError(
    `Input 'prerelease' is '${text}'. Expected one SemVer pre-release identifier of letters, digits and hyphens, not only digits, such as rc, beta or alpha.`,
  );
}

export interface NextVersionOptions {
  /** Version of the last release tag; undefined when there is none. */
  previous?: string;
  /** What the commits ask for. */
  level: Level;
  /** Counted from when there is no release yet (default 0.0.0). */
  initialVersion?: string;
  preMajor: boolean;
  prerelease?: string;
  prefix: string;
  /** Every tag of the repository, for pre-release numbering. */
  tags: Iterable<string>;
}

export interface NextVersion {
  /** The bump applied to the version number (pre-major turns a breaking change into `minor`). */
  bump: Level;
  /** Empty when there is nothing to release. */
  version: string;
}

/**
 * The next version. SemVer resets lower parts (1.4.7 + minor = 1.5.0); on 0.x a breaking change goes to 1.0.0 unless
 * pre-major, which shifts every bump one place down. A pre-release numbers itself past the existing tags of its version.
 */
export function nextVersion(o: NextVersionOptions): NextVersion {
  if (o.level === 'none') return { bump: 'none', version: '' };
  const base = o.previous ?? o.initialVersion ?? '0.0.0';
  let bump = o.level;
  if (o.preMajor && semver.major(base) === 0) bump = bump === 'major' ? 'minor' : 'patch';
  const release = semver.inc(base, bump)!;
  if (!o.prerelease) return { bump, version: release };
  const stem = `${o.prefix}${release}-${o.prerelease}.`;
  let n = 0;
  for (const tag of o.tags) {
    if (!tag.startsWith(stem)) continue;
    const rest = tag.slice(stem.length);
    if (/^(0|[1-9]\d*)$/.test(rest)) n = Math.max(n, Number(rest));
  }
  return { bump, version: `${release}-${o.prerelease}.${n + 1}` };
}
