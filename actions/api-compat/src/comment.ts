// The PR/MR comment: posted only when asked, and never a reason to fail the job — a missing token, a run that is not
// a PR/MR, or a refused API call are warnings, since the verdict and the reports already stand on their own.
import { upsertComment, reviewNumber } from '../../../shared/src/forge/comment.js';
import { detectForge } from '../../../shared/src/forge/forge.js';
import type { Platform } from '../../../shared/src/platform/index.js';

/** The hidden marker that finds this step's comment again on the next run. */
export const MARKER = '<!-- shipgate:api-compat -->';

/** A link to this job, for the comment's footer. */
export function jobLink(platform: Platform): string {
  const server = platform.env('GITHUB_SERVER_URL');
  const repo = platform.env('GITHUB_REPOSITORY');
  const run = platform.env('GITHUB_RUN_ID');
  const url = server && repo && run ? `${server}/${repo}/actions/runs/${run}` : platform.env('CI_JOB_URL');
  return url ? `<sub>Reports and details: [the job](${url}).</sub>` : '';
}

export async function postComment(platform: Platform, body: string): Promise<void> {
  const forge = await detectForge(platform);
  if (!forge) {
    platform.warning(
      "Input 'comment' is true, but no token is available, so no comment was posted. On GitHub set env GITHUB_TOKEN: ${{ github.token }} (permissions: pull-requests: write); on GitLab set GITLAB_TOKEN (a project access token with api scope).",
    );
    return;
  }
  if (reviewNumber(forge) === undefined) {
    platform.warning(`Input 'comment' is true, but this run is not for a ${forge.kind === 'github' ? 'pull request' : 'merge request'}, so no comment was posted.`);
    return;
  }
  try {
    // A comment is public: masked values are taken out of it as out of a log line.
    const r = await upsertComment(forge, MARKER, platform.redact(body));
    platform.info(`${r.action === 'created' ? 'Posted' : 'Updated'} the ${forge.kind === 'github' ? 'PR comment' : 'MR note'}${r.url ? ` ${r.url}` : ` ${r.id}`}.`);
  } catch (err) {
    const hint = forge.kind === 'gitlab' && forge.jobToken ? ' CI_JOB_TOKEN may not write MR notes: set GITLAB_TOKEN to a project access token with api scope.' : '';
    platform.warning(`${(err as Error).message}${hint}`);
  }
}
