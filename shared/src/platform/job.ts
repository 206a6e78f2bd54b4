// What a job is, as opposed to how it prints: the run's identity, the forge token, and the words for the fixes a
// message suggests. Each platform builds them from its own variables (github.ts, gitlab.ts; local.ts from either).

/**
 * Who and what a job runs for, as the CI system names it: read once from the job's variables, never written. Every
 * field is optional except the workspace: a terminal knows little, and a job outside a PR/MR has no review number.
 */
export interface Job {
  /** The forge the job's identity belongs to: where comments, tags and deployments go. */
  forge?: 'github' | 'gitlab';
  /** `owner/name` on GitHub, the project path on GitLab. */
  repository?: string;
  /** The commit the job runs on, as the CI system names it (a terminal's HEAD is Platform.commit()). */
  sha?: string;
  /** The branch or tag the run is for, short form (`main`, `7/merge`). */
  ref?: string;
  /** The branch when the run is for one (not a tag, not a PR merge ref). */
  branch?: string;
  /** This run's page, for links in comments and deployment statuses. */
  runUrl?: string;
  /** The user who started the run (a terminal's login). */
  actor?: string;
  /** The pull request (GitHub) or merge request iid (GitLab) of this run. */
  reviewNumber?: number;
  /** Where the checkout is: the platform's working directory unless the CI system names another. */
  workspace: string;
  /** The forge's web address, without a trailing slash. */
  serverUrl?: string;
  /** The forge's API base, without a trailing slash. */
  apiUrl?: string;
  /** The variable that names the API (GITHUB_API_URL), for the hint on an unreachable API. */
  apiVariable?: string;
  /** GitLab's numeric project id. */
  projectId?: string;
  /** GitLab's project page. */
  projectUrl?: string;
  /** GitLab's pipeline id. */
  pipelineId?: number;
}

/** A token for the forge's API, masked before it is returned. */
export interface ForgeToken {
  token: string;
  /** GitLab's CI_JOB_TOKEN: many endpoints refuse it (notes, tags), so messages name the token to set instead. */
  jobToken: boolean;
}

/** How a platform names what a message asks the user to set, so the fix is in the words of the CI system at hand. */
export interface Vocabulary {
  /** The variable(s) holding the forge token, e.g. `GITHUB_TOKEN`. */
  forgeToken: string;
  /** The variable(s) naming the commit of the run. */
  commit: string;
  /** The variable(s) naming the branch of the run. */
  branch: string;
  /** How to let a job push a tag with git, or tag through the API instead. */
  tagPushFix: string;
  /** How to give a comment step its token (and the permission it needs). */
  commentToken: string;
}
