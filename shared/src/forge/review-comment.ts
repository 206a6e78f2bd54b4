// A step's PR comment / MR note as the steps post it: only when asked, and never a reason to fail the job — a missing
// token, a run that is not a PR/MR, or a refused API call are not failures, since the verdict and the reports
// already stand on their own.
import type { Platform } from '../platform/index.js';
import { reviewNumber, upsertComment } from './comment.js';
import { detectForge } from './forge.js';

/** A link to this job, for a comment's footer; '' when the platform names none. */
export function jobLink(platform: Platform): string {
  const server = platform.env('GITHUB_SERVER_URL');
  const repo = platform.env('GITHUB_REPOSITORY');
  const run = platform.env('GITHUB_RUN_ID');
  const url = server && repo && run ? `${server}/${repo}/actions/runs/${run}` : platform.env('CI_JOB_URL');
  return url ? `<sub>Reports and details: [the job](${url}).</sub>` : '';
}

/** How postReviewComment reports a run that is not for a PR/MR. */
export type OutsideReview = 'warning' | 'info';

/**
 * Upserts the comment found by `marker` with `body`, redacted as a log line is. Warns (never throws) when no token
 * is available or the forge refuses; a run outside a PR/MR is reported at the `outside` level and skipped.
 */
export async function postReviewComment(platform: Platform, marker: string, body: string, outside: OutsideReview = 'warning'): Promise<void> {
  const forge = await detectForge(platform);
  if (!forge) {
    platform.warning(
      "Input 'comment' is true, but no token is available, so no comment was posted. On GitHub set env GITHUB_TOKEN: ${{ github.token }} (permissions: pull-requests: write); on GitLab set GITLAB_TOKEN (a project access token with api scope).",
    );
    return;
  }
  if (reviewNumber(forge) === undefined) {
    const line = `Input 'comment' is true, but this run is not for a ${forge.kind === 'github' ? 'pull request' : 'merge request'}, so no comment was posted.`;
    if (outside === 'info') platform.info(line);
    else platform.warning(line);
    return;
  }
  try {
    // A comment is public: masked values are taken out of it as out of a log line.
    const r = await upsertComment(forge, marker, platform.redact(body));
    platform.info(`${r.action === 'created' ? 'Posted' : 'Updated'} the ${forge.kind === 'github' ? 'PR comment' : 'MR note'}${r.url ? ` ${r.url}` : ` ${r.id}`}.`);
  } catch (err) {
    const hint = forge.kind === 'gitlab' && forge.jobToken ? ' CI_JOB_TOKEN may not write MR notes: set GITLAB_TOKEN to a project access token with api scope.' : '';
    platform.warning(`${(err as Error).message}${hint}`);
  }
}
