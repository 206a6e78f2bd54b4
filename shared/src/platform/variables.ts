// The CI variables Shipgate names to its users: in messages, input descriptions and the GitLab pipelines it generates.
// The platforms are the only readers of CI variables; everything else names them through these constants, so this
// file is the list of CI variables Shipgate knows besides the ones the platforms read.

/** GitHub Actions variables that messages and descriptions name. */
export const githubVars = {
  /** The job's token, given to a step in env. */
  token: 'GITHUB_TOKEN',
  /** The short ref of the run (`main`). */
  refName: 'GITHUB_REF_NAME',
} as const;

/** GitLab CI predefined variables that messages, descriptions and generated pipelines name. */
export const gitlabVars = {
  /** The job's own token; many API endpoints refuse it. */
  jobToken: 'CI_JOB_TOKEN',
  pipelineId: 'CI_PIPELINE_ID',
  apiUrl: 'CI_API_V4_URL',
  commitSha: 'CI_COMMIT_SHA',
  refName: 'CI_COMMIT_REF_NAME',
  refSlug: 'CI_COMMIT_REF_SLUG',
  defaultBranch: 'CI_DEFAULT_BRANCH',
  jobStatus: 'CI_JOB_STATUS',
} as const;
