// Tags and releases on GitHub (REST: git/tags, git/refs, releases) and GitLab (repository/tags, releases).
import { ExternalError, withHint } from '../errors.js';
import { apiError, forgeApiTarget, type Forge } from './forge.js';

/** A tag to create at a commit; with a message it is an annotated tag, else a lightweight one. */
export interface TagRequest {
  tag: string;
  sha: string;
  message?: string;
}

/** A release for an existing tag; `notes` is markdown. */
export interface ReleaseRequest {
  tag: string;
  name: string;
  notes: string;
  /** GitHub marks the release as a pre-release; GitLab has no such flag and ignores it. */
  prerelease?: boolean;
  /**
   * Commit to create the tag at when it does not exist yet (GitHub `target_commitish`, GitLab `ref`). On GitLab this
   * lets CI_JOB_TOKEN, which may create releases but not tags, do both in one call.
   */
  ref?: string;
}

export interface CreatedTag {
  tag: string;
  /** The commit the tag points to. */
  sha: string;
}

export interface CreatedRelease {
  tag: string;
  /** The release's web page, when the forge returned one. */
  url?: string;
}

/** Creates the tag through the forge's API (no git push needed). ExternalError on 403 (permissions) or when it exists. */
export async function createTag(forge: Forge, req: TagRequest): Promise<CreatedTag> {
  try {
    if (forge.kind === 'github') {
      const { owner, repo } = forge;
      let target = req.sha;
      if (req.message) {
        // an annotated tag is a tag object first, then a ref pointing at that object
        const obj = await forge.octokit.rest.git.createTag({ owner, repo, tag: req.tag, message: req.message, object: req.sha, type: 'commit' });
        target = obj.data.sha;
      }
      await forge.octokit.rest.git.createRef({ owner, repo, ref: `refs/tags/${req.tag}`, sha: target });
    } else {
      await forge.api.Tags.create(forge.projectId, req.tag, req.sha, req.message ? { message: req.message } : {});
    }
  } catch (err) {
    throw forgeFailure(forge, 'tag', `create tag ${req.tag} at ${req.sha.slice(0, 12)}`, err);
  }
  return { tag: req.tag, sha: req.sha };
}

/** Creates a release for `req.tag` with the notes as its description. */
export async function createRelease(forge: Forge, req: ReleaseRequest): Promise<CreatedRelease> {
  try {
    if (forge.kind === 'github') {
      const { data } = await forge.octokit.rest.repos.createRelease({
        owner: forge.owner, repo: forge.repo, tag_name: req.tag, name: req.name, body: req.notes, prerelease: req.prerelease ?? false,
        ...(req.ref && { target_commitish: req.ref }),
      });
      return { tag: req.tag, url: data.html_url };
    }
    const data = await forge.api.ProjectReleases.create(forge.projectId, { tagName: req.tag, name: req.name, description: req.notes, ...(req.ref && { ref: req.ref }) });
    const links = (data as { _links?: { self?: string } })._links;
    return { tag: req.tag, ...(links?.self && { url: links.self }) };
  } catch (err) {
    throw forgeFailure(forge, 'release', `create release ${req.tag}`, err);
  }
}

/** An API failure as ExternalError with the remedy for the usual causes: missing permission, existing tag or release. */
export function forgeFailure(forge: Forge, what: 'tag' | 'release' | 'deployment', action: string, err: unknown): ExternalError {
  const { status, message } = apiError(err);
  const where = forge.kind === 'github' ? `GitHub (${forge.owner}/${forge.repo})` : `GitLab (project ${forge.projectId})`;
  const head = `Could not ${action} on ${where}: ${status ? `HTTP ${status} ` : ''}${message}.`;
  // GitLab used to answer a job token refused on the deployments API with 404 Project Not Found (gitlab-org/gitlab!163211).
  const jobTokenHidden = status === 404 && what === 'deployment' && forge.kind === 'gitlab' && forge.jobToken;
  if (status === 401 || status === 403 || jobTokenHidden) return new ExternalError(`${head} ${permissionFix(forge, what)}`, { cause: err });
  if ((status === 409 || status === 422 || status === 400) && /already[ _]exists/i.test(message)) {
    return new ExternalError(`${head} The ${what} already exists: delete it, or push a new commit so the next version is computed past it.`, { cause: err });
  }
  return new ExternalError(withHint(head, err, forgeApiTarget(forge)), { cause: err });
}

function permissionFix(forge: Forge, what: 'tag' | 'release' | 'deployment'): string {
  const scope = what === 'deployment' ? 'deployments' : 'contents';
  if (forge.kind === 'github') return `The GITHUB_TOKEN needs '${scope}: write': add \`permissions: ${scope}: write\` to the job.`;
  if (what === 'deployment') return deploymentFix(forge.jobToken);
  const token = 'a project access token with the api scope and at least the Developer role (Maintainer when the tag is protected)';
  if (forge.jobToken && what === 'tag') return `CI_JOB_TOKEN cannot create tags through the API: set GITLAB_TOKEN to ${token}.`;
  return `The token needs ${forge.jobToken ? 'a job user with ' : ''}the Developer role or higher; else set GITLAB_TOKEN to ${token}.`;
}

function deploymentFix(jobToken: boolean): string {
  const token = 'a project access token with the api scope and at least the Developer role (Maintainer, or an allowed deployer, when the environment is protected)';
  if (jobToken) return `This GitLab refused CI_JOB_TOKEN for deployments (older GitLab versions do, and so does a pipeline user without the Developer role): set GITLAB_TOKEN to ${token}.`;
  return `The token needs the Developer role or higher; else set GITLAB_TOKEN to ${token}.`;
}
