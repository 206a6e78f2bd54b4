import { counts, type CountedCommit } from './bump.js';

const SECTIONS = ['Breaking changes', 'Features', 'Fixes', 'Performance'] as const;
/** Entries per section: keeps a release body under GitHub's 125,000 characters and the summary readable. */
export const MAX_ENTRIES = 250;

/** `abc1234`: the seven hex digits a changelog and a summary show. */
export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

function entry(c: CountedCommit, text: string): string {
  return `- ${c.parsed.scope ? `**${c.parsed.scope}:** ` : ''}${text} (${shortSha(c.sha)})`;
}

/**
 * The changelog of the commits that count, as markdown: Breaking changes (the footer's text, else the header's),
 * Features, Fixes (reverts among them), Performance; oldest first within a section, as they happened. `extraBreaking`
 * lists breaking changes no commit declares (an API change api-compat found).
 */
export function changelog(commits: CountedCommit[], extraBreaking: string[] = []): string {
  const sections = new Map<(typeof SECTIONS)[number], string[]>(SECTIONS.map((s) => [s, []]));
  sections.get('Breaking changes')!.push(...extraBreaking.map((text) => `- ${text}`));
  for (const c of [...commits].reverse()) {
    if (!counts(c)) continue;
    const p = c.parsed;
    if (p.breaking)
      for (const note of p.breakingNotes.length ? p.breakingNotes : [p.subject])
        sections.get('Breaking changes')!.push(entry(c, note));
    if (p.revert) sections.get('Fixes')!.push(entry(c, `Revert "${p.subject}"`));
    else if (p.type === 'feat') sections.get('Features')!.push(entry(c, p.subject));
    else if (p.type === 'fix') sections.get('Fixes')!.push(entry(c, p.subject));
    else if (p.type === 'perf') sections.get('Performance')!.push(entry(c, p.subject));
  }
  return [...sections]
    .filter(([, lines]) => lines.length)
    .map(([title, lines]) => {
      const more = lines.length > MAX_ENTRIES ? `\n- … and ${lines.length - MAX_ENTRIES} more` : '';
      return `### ${title}\n\n${lines.slice(0, MAX_ENTRIES).join('\n')}${more}`;
    })
    .join('\n\n');
}

/**
 * The changelog file with this release on top: under a leading `# …` title when the file has one, else first.
 * Unchanged when the file already has the release's heading, so a job run again does not add it twice.
 */
export function prependRelease(existing: string | undefined, tag: string, date: string, notes: string): string {
  const heading = `## ${tag} (${date})`;
  const entry = `${heading}\n\n${notes.trim() || '_No user-facing changes._'}\n`;
  if (existing === undefined || !existing.trim()) return `# Changelog\n\n${entry}`;
  if (existing.split('\n').some((line) => line.startsWith(`## ${tag} `) || line === `## ${tag}`)) return existing;
  const title = /^# .*\n+/.exec(existing);
  const at = title ? title[0].length : 0;
  return `${existing.slice(0, at)}${entry}\n${existing.slice(at)}`;
}
