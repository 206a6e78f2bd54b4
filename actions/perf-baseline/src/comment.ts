// The PR comment / MR note: the verdict, the results table and the history chart, so a reviewer sees the trend
// without opening the job. Posting (and what happens without a token or a PR/MR) is shared with api-compat.
import { jobLink, postReviewComment } from '../../../shared/src/forge/review-comment.js';
import type { Platform } from '../../../shared/src/platform/index.js';
import { code } from '../../../shared/src/report/markdown.js';
import { historyBlocks, resultsTable, verdictLine, type SummaryData } from './summary.js';

/** The hidden marker that finds this step's comment again on the next run. */
export const MARKER = '<!-- shipgate:perf-baseline -->';

export function renderComment(d: SummaryData, footer: string): string {
  const p = d.result.file.params;
  return [
    '### Shipgate · perf-baseline',
    verdictLine(d),
    // The URL is the user's text: a code span renders nothing of it as Markdown; redaction removes its secrets.
    `**Load:** ${p.method} ${code(p.url)}`,
    resultsTable(d),
    ...historyBlocks(d),
    footer,
  ]
    .filter(Boolean)
    .join('\n\n');
}

export async function postComment(platform: Platform, d: SummaryData): Promise<void> {
  await postReviewComment(platform, MARKER, renderComment(d, jobLink(platform)), 'info');
}
