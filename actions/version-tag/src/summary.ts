import { code, details, table, type Summary } from '../../../shared/src/report/markdown.js';
import { plural } from '../../../shared/src/text.js';
import { counts, type BumpDecision, type CountedCommit } from './bump.js';
import { shortSha } from './changelog.js';
import type { ImagePlan } from './images.js';
import type { Done } from './publish.js';
import type { NextVersion, Release } from './version.js';

/** Past this many rows the commit table is cut: summaries have a size limit. */
const MAX_ROWS = 100;
const MAX_DECIDING = 10;

/** Everything the summary shows about one run. */
export interface VersionReport {
  previous?: Release;
  next: NextVersion;
  tag: string;
  sha: string;
  prefix: string;
  path: string;
  decision: BumpDecision;
  notes: string;
  /** The bump was raised to major by a breaking API change no commit declared. */
  forced: boolean;
  dry: boolean;
  plans: ImagePlan[];
  /** The file changes (changelog, version files), one line each. */
  files: string[];
  done: Done[];
}

function header(c: CountedCommit): string {
  return c.message.split('\n')[0];
}

function effect(c: CountedCommit): string {
  if (c.cancelledBy) return `dropped: revert pair with ${shortSha(c.cancelledBy)}`;
  if (c.parents.length > 1 && !c.parsed.type) return 'merge: not counted';
  if (c.parsed.revert && !c.parsed.reverts) return 'revert without "This reverts commit": not counted';
  return c.level === 'none' ? '—' : c.level;
}

/** Previous → next with the commits that decided it, the changelog, and what was tagged where. */
export function renderSummary(summary: Summary, r: VersionReport): void {
  const n = r.decision.commits.length;
  const since = `${plural(n, 'commit')} since ${r.previous ? code(r.previous.tag) : 'the first commit'}${r.path ? ` touching ${code(r.path)}` : ''}`;
  if (!r.tag) {
    const what = n
      ? `${since}, none of them a feature, fix, performance change, revert or breaking change that still stands`
      : `no commit since ${r.previous ? code(r.previous.tag) : 'the first commit'}${r.path ? ` touching ${code(r.path)}` : ''}`;
    summary.add(`**No release** · ${what} · HEAD ${code(shortSha(r.sha))}`);
  } else {
    const from = r.previous ? code(r.previous.tag) : '_no release yet_';
    const state = r.dry ? ' · **dry run**: nothing was tagged' : '';
    summary.add(`**${from} → ${code(r.tag)}** · ${r.next.bump} · ${since}${state}`);
    const deciding = r.decision.deciding.slice(0, MAX_DECIDING).map((c) => `${code(shortSha(c.sha))} ${header(c)}`);
    const more =
      r.decision.deciding.length > MAX_DECIDING ? ` and ${r.decision.deciding.length - MAX_DECIDING} more` : '';
    const why = [r.forced ? 'a breaking API change (api-breaking: true)' : '', deciding.join(', ') + more]
      .filter(Boolean)
      .join('; ');
    if (why) summary.add(`**Decided by:** ${why}`);
  }
  // One level below the summary's own headings: the changelog keeps ### for release notes.
  if (r.notes) summary.heading('Changelog', 3).add(r.notes.replace(/^### /gm, '#### '));
  if (r.done.length) {
    summary.heading('Published', 3);
    summary.table(
      ['What', 'Where', 'Detail'],
      r.done.map((d) => [d.what, d.where, d.detail ?? '']),
    );
  } else if (r.tag && r.dry) {
    const plan = [
      ...r.files.map((f) => `write ${f}`),
      `tag ${code(r.tag)} at ${code(shortSha(r.sha))}`,
      ...r.plans.map((p) => `${code(`${p.name}:${p.sourceTag}`)} → ${p.tags.map(code).join(', ')}`),
    ];
    summary.add(`**Would publish:**\n\n${plan.map((l) => `- ${l}`).join('\n')}`);
  }
  if (n) {
    const rows = r.decision.commits.slice(0, MAX_ROWS).map((c) => [code(shortSha(c.sha)), header(c), effect(c)]);
    const cut = n > MAX_ROWS ? `\n\n_${n - MAX_ROWS} older commits not shown._` : '';
    const counted = r.decision.commits.filter(counts).length;
    summary.add(
      details(`${plural(n, 'commit')} read, ${counted} counted`, table(['Commit', 'Header', 'Effect'], rows) + cut),
    );
  }
}
