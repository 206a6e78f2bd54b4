// A step's PR comment / MR note as the steps post it: only when asked, and never a reason to fail the job — a missing
// token, a run that is not a PR/MR, or a refused API call are not failures, since the verdict and the reports
// already stand on their own.
import type { Platform } from '../platform/index.js';
import { detectForge } from './index.js';

/** A link to this job, for a comment's footer; '' when the platform names none. */
export function jobLink(platform: Platform): string {
  const url = platform.job.runUrl;
  return url ? `<sub>Reports and details: [the job](${url}).</sub>` : '';
}

/** How postReviewComment reports a run that is not for a PR/MR. */
export type OutsideReview = 'warning' | 'info';

/**
 * Upserts the comment found by `marker` with `body`, redacted as a log line is. Warns (never throws) when no token
 * is available or the forge refuses; a run outside a PR/MR is reported at the `outside` level and skipped.
 */
export async function postReviewComment(
  platform: Platform,
  marker: string,
  body: string,
  outside: OutsideReview = 'warning',
): Promise<void> {
  const forge = await detectForge(platform);
  if (!forge) {
    platform.warning(
      `Input 'comment' is true, but no token is available, so no comment was posted. ${platform.vocabulary.commentToken}.`,
    );
    return;
  }
  if (forge.reviewNumber === undefined) {
    const line = `Input 'comment' is true, but this run is not for a ${forge.review.name}, so no comment was posted.`;
    if (outside === 'info') platform.info(line);
    else platform.warning(line);
    return;
  }
  try {
    // A comment is public: masked values are taken out of it as out of a log line.
    const r = await forge.upsertComment(marker, platform.redact(body));
    platform.info(
      `${r.action === 'created' ? 'Posted' : 'Updated'} the ${forge.review.comment}${r.url ? ` ${r.url}` : ` ${r.id}`}.`,
    );
  } catch (err) {
    platform.warning(`${(err as Error).message}${forge.commentRefusedHint}`);
  }
}
