// Records what now runs in an environment (after a rollback) where the forge shows it: on GitHub a deployment with one
// status (the Environments page, the deployment_status event), on GitLab an environment deployment (Operate > Environments).
import { ExternalError } from '../errors.js';
import type { Platform } from '../platform/platform.js';
import type { Forge, GitHubForge, GitLabForge } from './forge.js';
import { forgeFailure } from './release.js';

/** What was deployed where, and how it went. */
export interface DeploymentRecord {
  /** Environment name, e.g. production. GitLab creates the environment when it does not exist yet. */
  environment: string;
  /**
   * Tag, branch or sha the deployment is of: the rolled-back version's tag when known, else the sha. GitHub needs it to
   * exist in the repository. GitLab records it as a tag unless it looks like a commit SHA.
   */
  ref: string;
  /** Commit of `ref`. GitLab requires one: when absent, `ref` itself (a full SHA) or the commit of tag `ref` is used. */
  sha?: string;
  /**
   * e.g. "Rollback to 1.4.2: error rate 0.08 > 0.05". GitHub shows it on the deployment and 140 characters of it on
   * the status; GitLab deployments have no such field, so there it lives only in the job summary.
   */
  description: string;
  state: 'success' | 'failure';
  /** What now runs: image ref, version or colour. Sent in the GitHub deployment's payload. */
  version: string;
}

/** GitHub's limit for a deployment status description. */
const STATUS_DESCRIPTION_MAX = 140;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const SHORT_SHA = /^[0-9a-f]{7,64}$/i;

/**
 * Records `record` on the forge and says where, for the summary: `where` is one line, `url` the environment's page
 * when known.
 *
 * - GitHub: POST /repos/{owner}/{repo}/deployments (auto_merge off, required_contexts empty so failing commit checks
 *   do not block the record), then POST …/deployments/{id}/statuses with the run's URL as log_url. Needs
 *   `permissions: deployments: write`.
 * - GitLab: POST /projects/:id/deployments with status success or failed; GitLab creates a missing environment.
 *   CI_JOB_TOKEN is tried too: current GitLab accepts it on the Deployments API (doc/ci/jobs/ci_job_token.md),
 *   older versions refuse it.
 *
 * Throws ExternalError when the forge refuses, with the remedy (the missing permission, or GITLAB_TOKEN when a job
 * token was refused). The rollback has happened by then, so the caller decides whether that is a warning or a failure.
 * Tokens are never part of a message: the clients hold them, and the platform masks them.
 */
export async function recordDeployment(forge: Forge, record: DeploymentRecord, platform: Platform): Promise<{ where: string; url?: string }> {
  if (!record.environment.trim() || !record.ref.trim()) throw new Error('recordDeployment needs an environment and a ref');
  return forge.kind === 'github' ? github(forge, record, platform) : gitlab(forge, record, platform);
}

async function github(forge: GitHubForge, r: DeploymentRecord, platform: Platform): Promise<{ where: string; url?: string }> {
  const { octokit, owner, repo } = forge;
  let id: number;
  try {
    const { data } = await octokit.rest.repos.createDeployment({
      owner, repo, ref: r.ref, environment: r.environment, description: r.description,
      auto_merge: false, required_contexts: [], transient_environment: false, production_environment: /^prod/i.test(r.environment),
      payload: { version: r.version, ...(r.sha && { sha: r.sha }) },
    });
    // 202 is GitHub's answer when it merged the default branch into ref first, which auto_merge: false rules out.
    if (!('id' in data)) throw new ExternalError(`GitHub did not create a deployment of ${r.ref}: ${data.message ?? 'no deployment in the answer'}`);
    id = data.id;
  } catch (err) {
    if (err instanceof ExternalError) throw err;
    throw forgeFailure(forge, 'deployment', `create a deployment of ${r.ref} to ${r.environment}`, err);
  }
  const logUrl = runUrl(platform);
  try {
    await octokit.rest.repos.createDeploymentStatus({
      owner, repo, deployment_id: id, state: r.state, environment: r.environment,
      description: clip(r.description, STATUS_DESCRIPTION_MAX), ...(logUrl && { log_url: logUrl }),
    });
  } catch (err) {
    throw forgeFailure(forge, 'deployment', `set the status of deployment ${id} (${r.ref} to ${r.environment}) to ${r.state}`, err);
  }
  const server = (platform.env('GITHUB_SERVER_URL') || 'https://github.com').replace(/\/+$/, '');
  return {
    where: `GitHub deployment ${id} of ${r.ref} to ${r.environment}, status ${r.state}`,
    url: `${server}/${owner}/${repo}/deployments/${encodeURIComponent(r.environment)}`,
  };
}

async function gitlab(forge: GitLabForge, r: DeploymentRecord, platform: Platform): Promise<{ where: string; url?: string }> {
  const status = r.state === 'success' ? 'success' : 'failed';
  try {
    const sha = r.sha ?? (FULL_SHA.test(r.ref) ? r.ref : await tagCommit(forge, r.ref));
    const tag = !SHORT_SHA.test(r.ref);
    platform.debug(`GitLab: POST /projects/${forge.projectId}/deployments environment=${r.environment} ref=${r.ref} sha=${sha} tag=${tag} status=${status}`);
    const d = await forge.api.Deployments.create(forge.projectId, r.environment, sha, r.ref, tag, { status });
    const project = platform.env('CI_PROJECT_URL')?.replace(/\/+$/, '');
    return {
      where: `GitLab deployment ${d.iid} of ${r.ref} (${sha.slice(0, 12)}) to environment ${d.environment?.name ?? r.environment}, status ${d.status}`,
      ...(project && d.environment?.id !== undefined && { url: `${project}/-/environments/${d.environment.id}` }),
    };
  } catch (err) {
    if (err instanceof ExternalError) throw err;
    throw forgeFailure(forge, 'deployment', `create a deployment of ${r.ref} to ${r.environment}`, err);
  }
}

/** The commit of tag `name`, through the tags list (job tokens may read it; a single tag they may not). */
async function tagCommit(forge: GitLabForge, name: string): Promise<string> {
  const tags = await forge.api.Tags.all(forge.projectId, { search: `^${name}` });
  const commit = tags.find((t) => t.name === name)?.commit?.id;
  if (typeof commit === 'string') return commit;
  throw new ExternalError(`GitLab needs the commit of a deployment: '${name}' is no tag of project ${forge.projectId} and no sha was given.`);
}

/** This run's page: the deployment status links to it as the log. */
function runUrl(platform: Platform): string | undefined {
  const [server, repository, run] = ['GITHUB_SERVER_URL', 'GITHUB_REPOSITORY', 'GITHUB_RUN_ID'].map((n) => platform.env(n));
  return server && repository && run ? `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${run}` : undefined;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
