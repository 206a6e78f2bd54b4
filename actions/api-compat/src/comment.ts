// The PR/MR comment: posted only when asked; the forge lookup and the warnings are shared with the other steps.
import { postReviewComment } from '../../../shared/src/forge/review-comment.js';
import type { Platform } from '../../../shared/src/platform/index.js';

export { jobLink } from '../../../shared/src/forge/review-comment.js';

/** The hidden marker that finds this step's comment again on the next run. */
export const MARKER = '<!-- shipgate:api-compat -->';

export async function postComment(platform: Platform, body: string): Promise<void> {
  await postReviewComment(platform, MARKER, body);
}
