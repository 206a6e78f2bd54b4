// The pipelines a GitLab pipeline started in other projects: its bridge jobs (`trigger: project:`) and, for each, the
// downstream pipeline's status and page (GET /projects/:id/pipelines/:pipeline_id/bridges).
import { ConfigError, ExternalError } from '../errors.js';
import { apiError, type GitLabForge } from './forge.js';

/** One bridge job of a pipeline and the pipeline it started. */
export interface Downstream {
  /** The bridge job's name. */
  job: string;
  /** The bridge's status; with `strategy: depend` it is the downstream pipeline's (success, failed, canceled, running …). */
  status: string;
  /** The downstream pipeline's page, or the bridge job's when no pipeline was created (e.g. the project was refused). */
  url: string;
  /** The downstream pipeline's own status, when one was created. */
  pipelineStatus?: string;
}

/**
 * The bridges of pipeline `pipelineId` of the forge's project. A job token is tried when no GITLAB_TOKEN is set (GitLab
 * has refused it on this endpoint so far, gitlab-org/gitlab#299183); a refused job token is a ConfigError naming the
 * variable to set, a refused GITLAB_TOKEN one naming the scope it needs.
 */
export async function downstreamPipelines(forge: GitLabForge, pipelineId: number): Promise<Downstream[]> {
  let bridges: Awaited<ReturnType<GitLabForge['api']['Jobs']['allPipelineBridges']>>;
  try {
    bridges = await forge.api.Jobs.allPipelineBridges(forge.projectId, pipelineId);
  } catch (err) {
    const { status, message } = apiError(err);
    const what = `GitLab refused GET /projects/${forge.projectId}/pipelines/${pipelineId}/bridges (HTTP ${status ?? '?'} ${message})`;
    if ((status === 401 || status === 403) && forge.jobToken) {
      throw new ConfigError(
        `${what} with CI_JOB_TOKEN, which may not read bridge jobs. Set the CI/CD variable GITLAB_TOKEN (masked) to a project access token of this project with the read_api scope and the Reporter role.`,
      );
    }
    if (status === 401 || status === 403) throw new ConfigError(`${what}: GITLAB_TOKEN needs the read_api scope and at least the Reporter role on project ${forge.projectId}.`);
    throw new ExternalError(`${what}.`, { cause: err });
  }
  return bridges.map((b) => {
    const down = b.downstream_pipeline as { web_url?: string; status?: string } | null | undefined;
    return { job: b.name, status: b.status, url: down?.web_url ?? String(b.web_url), ...(down?.status && { pipelineStatus: down.status }) };
  });
}
