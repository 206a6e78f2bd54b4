// The Forge on GitLab: MR notes, tags and releases, environment deployments, and the bridge jobs of a pipeline. The
// client holds the token (GITLAB_TOKEN, or the job's own token, which many endpoints refuse: messages say so).
import { ConfigError, ExternalError, type HintTarget } from '../errors.js';
import type { Job, Platform } from '../platform/platform.js';
import { gitlabVars } from '../platform/variables.js';
import {
  apiError,
  checkRecord,
  commentFailure,
  forgeFailure,
  type CreatedRelease,
  type CreatedTag,
  type DeploymentRecord,
  type Downstream,
  type Forge,
  type ForgeObject,
  type GitlabApi,
  type RecordedDeployment,
  type ReleaseRequest,
  type TagRequest,
  type UpsertResult,
} from './forge.js';

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const SHORT_SHA = /^[0-9a-f]{7,64}$/i;
const PROJECT_TOKEN = 'a project access token with the api scope and at least the Developer role';

export class GitLabForge implements Forge {
  readonly kind = 'gitlab' as const;
  readonly title = 'GitLab';
  readonly review = { name: 'merge request', comment: 'MR note' };
  readonly where: string;
  readonly reviewNumber?: number;
  readonly sha?: string;
  readonly canTag: boolean;
  readonly commentRefusedHint: string;
  private readonly apiTarget: HintTarget;
  private readonly words;

  /** `job` gives the MR, the commit and the project page; `platform` takes the debug line of each deployment. */
  constructor(
    readonly api: GitlabApi,
    readonly projectId: string,
    readonly jobToken: boolean,
    private readonly job: Job,
    private readonly platform: Platform,
  ) {
    this.where = `GitLab project ${projectId}`;
    this.reviewNumber = job.reviewNumber;
    this.sha = job.sha;
    // The job token may create releases but not tags: git push with it works where the project allows job-token pushes.
    this.canTag = !jobToken;
    this.commentRefusedHint = jobToken
      ? ` ${gitlabVars.jobToken} may not write MR notes: set GITLAB_TOKEN to a project access token with api scope.`
      : '';
    this.apiTarget = { input: job.apiVariable ?? 'API URL', value: job.serverUrl ?? '', kind: 'url' };
    this.words = {
      where: `GitLab (project ${projectId})`,
      apiTarget: this.apiTarget,
      permissionFix: (what: ForgeObject) => permissionFix(jobToken, what),
      // GitLab used to answer a job token refused on the deployments API with 404 Project Not Found (gitlab-org/gitlab!163211).
      hiddenRefusal: (status: number | undefined, what: ForgeObject) =>
        status === 404 && what === 'deployment' && jobToken,
    };
  }

  async upsertComment(marker: string, body: string): Promise<UpsertResult> {
    const number = this.reviewNumber;
    if (number === undefined) throw new Error('upsertComment needs a pull request or merge request');
    const { api, projectId } = this;
    const text = `${marker}\n${body}`;
    try {
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
      throw commentFailure(this.title, this.apiTarget, err);
    }
  }

  async createTag(req: TagRequest): Promise<CreatedTag> {
    try {
      await this.api.Tags.create(this.projectId, req.tag, req.sha, req.message ? { message: req.message } : {});
    } catch (err) {
      throw forgeFailure(this.words, 'tag', `create tag ${req.tag} at ${req.sha.slice(0, 12)}`, err);
    }
    return { tag: req.tag, sha: req.sha };
  }

  async createRelease(req: ReleaseRequest): Promise<CreatedRelease> {
    try {
      const data = await this.api.ProjectReleases.create(this.projectId, {
        tagName: req.tag,
        name: req.name,
        description: req.notes,
        ...(req.ref && { ref: req.ref }),
      });
      const links = (data as { _links?: { self?: string } })._links;
      return { tag: req.tag, ...(links?.self && { url: links.self }) };
    } catch (err) {
      throw forgeFailure(this.words, 'release', `create release ${req.tag}`, err);
    }
  }

  /**
   * POST /projects/:id/deployments with status success or failed; GitLab creates a missing environment. The job token
   * is tried too: current GitLab accepts it on the Deployments API (doc/ci/jobs/ci_job_token.md), older versions refuse it.
   */
  async recordDeployment(r: DeploymentRecord): Promise<RecordedDeployment> {
    checkRecord(r);
    const status = r.state === 'success' ? 'success' : 'failed';
    try {
      const sha = r.sha ?? (FULL_SHA.test(r.ref) ? r.ref : await this.tagCommit(r.ref));
      const tag = !SHORT_SHA.test(r.ref);
      this.platform.debug(
        `GitLab: POST /projects/${this.projectId}/deployments environment=${r.environment} ref=${r.ref} sha=${sha} tag=${tag} status=${status}`,
      );
      const d = await this.api.Deployments.create(this.projectId, r.environment, sha, r.ref, tag, { status });
      const project = this.job.projectUrl;
      return {
        where: `GitLab deployment ${d.iid} of ${r.ref} (${sha.slice(0, 12)}) to environment ${d.environment?.name ?? r.environment}, status ${d.status}`,
        ...(project && d.environment?.id !== undefined && { url: `${project}/-/environments/${d.environment.id}` }),
      };
    } catch (err) {
      if (err instanceof ExternalError) throw err;
      throw forgeFailure(this.words, 'deployment', `create a deployment of ${r.ref} to ${r.environment}`, err);
    }
  }

  /**
   * GET /projects/:id/pipelines/:pipeline_id/bridges, with each downstream pipeline's status and page. A job token is
   * tried when no GITLAB_TOKEN is set (GitLab has refused it on this endpoint so far, gitlab-org/gitlab#299183); a
   * refused job token is a ConfigError naming the variable to set, a refused GITLAB_TOKEN one naming the scope it needs.
   */
  async downstreamPipelines(pipelineId: number): Promise<Downstream[]> {
    let bridges: Awaited<ReturnType<GitlabApi['Jobs']['allPipelineBridges']>>;
    try {
      bridges = await this.api.Jobs.allPipelineBridges(this.projectId, pipelineId);
    } catch (err) {
      const { status, message } = apiError(err);
      const what = `GitLab refused GET /projects/${this.projectId}/pipelines/${pipelineId}/bridges (HTTP ${status ?? '?'} ${message})`;
      if ((status === 401 || status === 403) && this.jobToken) {
        throw new ConfigError(
          `${what} with ${gitlabVars.jobToken}, which may not read bridge jobs. Set the CI/CD variable GITLAB_TOKEN (masked) to a project access token of this project with the read_api scope and the Reporter role.`,
        );
      }
      if (status === 401 || status === 403)
        throw new ConfigError(
          `${what}: GITLAB_TOKEN needs the read_api scope and at least the Reporter role on project ${this.projectId}.`,
        );
      throw new ExternalError(`${what}.`, { cause: err });
    }
    return bridges.map((b) => {
      const down = b.downstream_pipeline as { web_url?: string; status?: string } | null | undefined;
      return {
        job: b.name,
        status: b.status,
        url: down?.web_url ?? String(b.web_url),
        ...(down?.status && { pipelineStatus: down.status }),
      };
    });
  }

  /** The commit of tag `name`, through the tags list (job tokens may read it; a single tag they may not). */
  private async tagCommit(name: string): Promise<string> {
    const tags = await this.api.Tags.all(this.projectId, { search: `^${name}` });
    const commit = tags.find((t) => t.name === name)?.commit?.id;
    if (typeof commit === 'string') return commit;
    throw new ExternalError(
      `GitLab needs the commit of a deployment: '${name}' is no tag of project ${this.projectId} and no sha was given.`,
    );
  }
}

function permissionFix(jobToken: boolean, what: ForgeObject): string {
  if (what === 'deployment') {
    const token = `${PROJECT_TOKEN} (Maintainer, or an allowed deployer, when the environment is protected)`;
    if (jobToken)
      return `This GitLab refused ${gitlabVars.jobToken} for deployments (older GitLab versions do, and so does a pipeline user without the Developer role): set GITLAB_TOKEN to ${token}.`;
    return `The token needs the Developer role or higher; else set GITLAB_TOKEN to ${token}.`;
  }
  const token = `${PROJECT_TOKEN} (Maintainer when the tag is protected)`;
  if (jobToken && what === 'tag')
    return `${gitlabVars.jobToken} cannot create tags through the API: set GITLAB_TOKEN to ${token}.`;
  return `The token needs ${jobToken ? 'a job user with ' : ''}the Developer role or higher; else set GITLAB_TOKEN to ${token}.`;
}
