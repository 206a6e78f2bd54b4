import { LEVELS, levelOf, parseMessage, type Level, type ParsedMessage } from './conventional.js';

/** One commit of the range, as git log gives it. */
export interface Commit {
  sha: string;
  parents: string[];
  message: string;
}

/** A commit with what it means for the release. */
export interface CountedCommit extends Commit {
  parsed: ParsedMessage;
  /** Its level on its own. */
  level: Level;
  /** Set when a revert in the range cancels it, or it is a revert that cancelled its commit: the sha of the other one. */
  cancelledBy?: string;
}

export interface BumpDecision {
  level: Level;
  /** Every commit of the range, newest first, parsed. */
  commits: CountedCommit[];
  /** The commits that decided the level (those at the highest level that count). */
  deciding: CountedCommit[];
}

/** A commit counts when it has a level and no revert in the range cancelled it. */
export function counts(c: CountedCommit): boolean {
  return c.level !== 'none' && !c.cancelledBy;
}

/**
 * Decides the bump of a range. A revert whose commit is also in the range drops out together with it; a revert of a
 * revert that drops out brings the first change back, because only a revert that is itself still standing cancels.
 */
export function decideBump(range: Commit[]): BumpDecision {
  const commits: CountedCommit[] = range.map((c) => {
    const parsed = parseMessage(c.message, c.parents.length > 1);
    return { sha: c.sha, parents: c.parents, message: c.message, parsed, level: levelOf(parsed) };
  });
  cancelReverts(commits);
  let level: Level = 'none';
  for (const c of commits) if (counts(c) && LEVELS.indexOf(c.level) > LEVELS.indexOf(level)) level = c.level;
  const deciding = level === 'none' ? [] : commits.filter((c) => counts(c) && c.level === level);
  return { level, commits, deciding };
}

function cancelReverts(commits: CountedCommit[]): void {
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  // git writes the full hash; people sometimes paste an abbreviated one.
  const byPrefix = (hash: string) => bySha.get(hash) ?? commits.find((c) => c.sha.startsWith(hash));
  const target = new Map<CountedCommit, CountedCommit>();
  const revertsOf = new Map<CountedCommit, CountedCommit[]>();
  for (const c of commits) {
    const t = c.parsed.reverts ? byPrefix(c.parsed.reverts) : undefined;
    if (!t || t === c) continue;
    target.set(c, t);
    revertsOf.set(t, [...(revertsOf.get(t) ?? []), c]);
  }
  // A commit stands unless a standing revert of it is in the range. Reverts always come after what they revert,
  // so the chains end; `seen` only guards against a made-up message naming a later commit.
  const standing = new Map<CountedCommit, boolean>();
  const seen = new Set<CountedCommit>();
  const stands = (c: CountedCommit): boolean => {
    const known = standing.get(c);
    if (known !== undefined) return known;
    if (seen.has(c)) return true;
    seen.add(c);
    const result = !(revertsOf.get(c) ?? []).some(stands);
    standing.set(c, result);
    return result;
  };
  // A standing revert of a commit in the range drops out with it; a revert that a later revert cancels is dropped by
  // that one, and what it reverted comes back.
  for (const c of commits) {
    const t = target.get(c);
    if (!t || !stands(c)) continue;
    c.cancelledBy = t.sha;
    t.cancelledBy ??= c.sha;
  }
}
