// One comment per step on a pull request (GitHub) or merge request note (GitLab), found again on the next run by a
// hidden marker and edited in place, so re-runs never pile up comments.
import { ExternalError, withHint } from '../errors.js';
import { apiError, forgeApiTarget, type Forge } from './forge.js';

/** What upsertComment did. */
export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  /** Web address of the comment, when the API returned one. */
  url?: string;
}

/** The PR or MR number of this run, or undefined when it is not a PR/MR pipeline. */
export function reviewNumber(forge: Forge): number | undefined {
  return forge.kind === 'github' ? forge.pullNumber : forge.mergeRequestIid;
}

/**
 * Creates or updates the comment that contains `marker` (an HTML comment such as `<!-- shipgate:api-compat -->`,
 * invisible when rendered). The body written is the marker, then `body`. Every page of comments is searched.
 * A failing API call is an ExternalError with the forge's own message.
 */
export async function upsertComment(forge: Forge, marker: string, body: string): Promise<UpsertResult> {
  const number = reviewNumber(forge);
  if (number === undefined) throw new Error('upsertComment needs a pull request or merge request');
  const text = `${marker}\n${body}`;
  try {
    if (forge.kind === 'github') {
      const { octokit, owner, repo } = forge;
      const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100 });
      const mine = comments.find((c) => c.body?.includes(marker));
      if (mine) {
        const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
        return { action: 'updated', id: data.id, url: data.html_url };
      }
      const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: text });
      return { action: 'created', id: data.id, url: data.html_url };
    }
    const { api, projectId } = forge;
    // gitbeaker follows the Link header through every page.
    const notes = await api.MergeRequestNotes.all(projectId, number, { perPage: 100 });
    const mine = notes.find((n) => !n.system && typeof n.body === 'string' && n.body.includes(marker));
    if (mine) {
      const note = await api.MergeRequestNotes.edit(projectId, number, mine.id, { body: text });
      return { action: 'updated', id: note.id };
    }
    const note = await api.MergeRequestNotes.create(projectId, number, text);
    return { action: 'created', id: note.id };
  } catch (err) {
    const { status, message } = apiError(err);
    const head = `${forge.kind === 'github' ? 'GitHub' : 'GitLab'} refused the comment: ${status ? `HTTP ${status}: ` : ''}${message}`;
    throw new ExternalError(withHint(head, err, forgeApiTarget(forge)), { cause: err });
  }
}
