// Conventional Commits, exactly as Shipgate counts them (see the README's rules). One commit message in, what it
// means for the version out; which commits cancel each other is decided over the whole range in bump.ts.

/** The release level of one commit on its own. Order matters: a higher index is a bigger bump. */
export const LEVELS = ['none', 'patch', 'minor', 'major'] as const;
export type Level = (typeof LEVELS)[number];

/** What one commit message says. */
export interface ParsedMessage {
  /** Lower-cased type of a conventional header (`feat`, `fix` …); undefined when the header is not conventional. */
  type?: string;
  scope?: string;
  /** The header's description, or the whole header when it is not conventional. */
  subject: string;
  /** `!` before the colon, or a BREAKING CHANGE footer. */
  breaking: boolean;
  /** Texts of the BREAKING CHANGE footers (empty for a `!` alone). */
  breakingNotes: string[];
  /** True for a `Revert "<header>"` or `revert: <header>` header. */
  revert: boolean;
  /** The commit a revert names with `This reverts commit <hash>.`. */
  reverts?: string;
}

// type, optional (scope), optional ! right before the colon, then colon, space and a description.
const HEADER = /^([A-Za-z][A-Za-z0-9_-]*)(?:\(([^()\r\n]*)\))?(!)?: +(\S.*)$/;
const GIT_REVERT = /^revert "(.*)"/i;
// Only at the start of a line: no indentation; `* ` is how squash merges list the squashed messages.
const BREAKING_FOOTER = /^(?:\* )?BREAKING[ -]CHANGE:(.*)$/;
const FOOTER_TOKEN = /^(?:\* )?(?:[A-Za-z][\w-]*|BREAKING CHANGE)(?:: | #)/;
const REVERTS = /^\s*This reverts commit ([0-9a-fA-F]{4,64})\b/m;

/**
 * Parses one commit message. A merge commit's message counts only when its header is conventional, so for a merge
 * without one this returns a message that means nothing (no type, not breaking, not a revert).
 */
export function parseMessage(message: string, merge = false): ParsedMessage {
  // Histories are long and most bodies are plain: split lines only when a footer or revert line can be there.
  const text = message.includes('\r') ? message.replace(/\r\n?/g, '\n') : message;
  const nl = text.indexOf('\n');
  const header = (nl === -1 ? text : text.slice(0, nl)).trimEnd();
  const body = nl === -1 ? '' : text.slice(nl + 1);
  const m = HEADER.exec(header);
  if (merge && !m) return { subject: header, breaking: false, breakingNotes: [], revert: false };
  const breakingNotes = body.includes('BREAKING') ? footers(body.split('\n')) : [];
  const type = m?.[1].toLowerCase();
  const gitRevert = m ? null : GIT_REVERT.exec(header);
  const revert = type === 'revert' || gitRevert !== null;
  return {
    type,
    scope: m?.[2]?.trim() || undefined,
    // For a revert, what it reverts: `Revert "feat: x"` and `revert: feat: x` both give `feat: x`.
    subject: m ? m[4].trim() : gitRevert ? gitRevert[1] : header,
    breaking: Boolean(m?.[3]) || breakingNotes.length > 0,
    breakingNotes: breakingNotes.filter(Boolean),
    revert,
    reverts: revert ? REVERTS.exec(body)?.[1].toLowerCase() : undefined,
  };
}

/** The BREAKING CHANGE footers of a body; a footer's text runs on until a blank line or the next footer token. */
function footers(body: string[]): string[] {
  const notes: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const m = BREAKING_FOOTER.exec(body[i].trimEnd());
    if (!m) continue;
    const text = [m[1].trim()];
    while (i + 1 < body.length && body[i + 1].trim() !== '' && !FOOTER_TOKEN.test(body[i + 1]))
      text.push(body[++i].trim());
    notes.push(text.filter(Boolean).join(' '));
  }
  return notes;
}

/**
 * The level of one commit on its own, before reverts cancel each other: breaking → major, feat → minor,
 * fix/perf → patch, a revert naming its commit → patch, anything else → none.
 */
export function levelOf(p: ParsedMessage): Level {
  if (p.breaking) return 'major';
  if (p.revert) return p.reverts ? 'patch' : 'none';
  if (p.type === 'feat') return 'minor';
  if (p.type === 'fix' || p.type === 'perf') return 'patch';
  return 'none';
}
