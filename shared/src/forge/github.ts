// The Forge on GitHub: PR comments (issues comments API), tags (git/tags, git/refs), releases, deployments with one
// status each. The client holds the token; nothing here sees it.
import { ExternalError, type HintTarget } from '../errors.js';
import type { Job } from '../platform/platform.js';
import { githubVars } from '../platform/variables.js';
import {
  checkRecord,
  commentFailure,
  forgeFailure,
  type CreatedRelease,
  type CreatedTag,
  type DeploymentRecord,
  type Forge,
  type ForgeObject,
  type Octokit,
  type RecordedDeployment,
  type ReleaseRequest,
  type TagRequest,
  type UpsertResult,
} from './forge.js';

/** GitHub's limit for a deployment status description. */
const STATUS_DESCRIPTION_MAX = 140;

export class GitHubForge implements Forge {
  readonly kind = 'github' as const;
  readonly title = 'GitHub';
  readonly review = { name: 'pull request', comment: 'PR comment' };
  readonly jobToken = false;
  readonly canTag = true;
  readonly commentRefusedHint = '';
  readonly where: string;
  readonly reviewNumber?: number;
  readonly sha?: string;
  private readonly apiTarget: HintTarget;
  private readonly words;

  /** `job` gives the PR, the commit, the API and web addresses and the run's page (the deployment status's log). */
  constructor(
    readonly octokit: Octokit,
    readonly owner: string,
    readonly repo: string,
    private readonly job: Job,
  ) {
    this.where = `GitHub ${owner}/${repo}`;
    this.reviewNumber = job.reviewNumber;
    this.sha = job.sha;
    this.apiTarget = { input: job.apiVariable ?? 'API URL', value: job.apiUrl ?? '', kind: 'url' };
    this.words = {
      where: `GitHub (${owner}/${repo})`,
      apiTarget: this.apiTarget,
      permissionFix: (what: ForgeObject) => {
        const scope = what === 'deployment' ? 'deployments' : 'contents';
        return `The ${githubVars.token} needs '${scope}: write': add \`permissions: ${scope}: write\` to the job.`;
      },
    };
  }

  async upsertComment(marker: string, body: string): Promise<UpsertResult> {
    const number = this.reviewNumber;
    if (number === undefined) throw new Error('upsertComment needs a pull request or merge request');
    const { octokit, owner, repo } = this;
    const text = `${marker}\n${body}`;
    try {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: number,
        per_page: 100,
      });
      const mine = comments.find((c) => c.body?.includes(marker));
      if (mine) {
        const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
        return { action: 'updated', id: data.id, url: data.html_url };
      }
      const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body: text });
      return { action: 'created', id: data.id, url: data.html_url };
    } catch (err) {
      throw commentFailure(this.title, this.apiTarget, err);
    }
  }

  async createTag(req: TagRequest): Promise<CreatedTag> {
    const { octokit, owner, repo } = this;
    try {
      let target = req.sha;
      if (req.message) {
        // an annotated tag is a tag object first, then a ref pointing at that object
        const obj = await octokit.rest.git.createTag({
          owner,
          repo,
          tag: req.tag,
          message: req.message,
          object: req.sha,
          type: 'commit',
        });
        target = obj.data.sha;
      }
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/tags/${req.tag}`, sha: target });
    } catch (err) {
      throw forgeFailure(this.words, 'tag', `create tag ${req.tag} at ${req.sha.slice(0, 12)}`, err);
    }
    return { tag: req.tag, sha: req.sha };
  }

  async createRelease(req: ReleaseRequest): Promise<CreatedRelease> {
    try {
      const { data } = await this.octokit.rest.repos.createRelease({
        owner: this.owner,
        repo: this.repo,
        tag_name: req.tag,
        name: req.name,
        body: req.notes,
        prerelease: req.prerelease ?? false,
        ...(req.ref && { target_commitish: req.ref }),
      });
      return { tag: req.tag, url: data.html_url };
    } catch (err) {
      throw forgeFailure(this.words, 'release', `create release ${req.tag}`, err);
    }
  }

  /**
   * POST /repos/{owner}/{repo}/deployments (auto_merge off, required_contexts empty so failing commit checks do not
   * block the record), then POST …/deployments/{id}/statuses with the run's page as log_url. Needs
   * `permissions: deployments: write`.
   */
  async recordDeployment(r: DeploymentRecord): Promise<RecordedDeployment> {
    checkRecord(r);
    const { octokit, owner, repo } = this;
    let id: number;
    try {
      const { data } = await octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref: r.ref,
        environment: r.environment,
        description: r.description,
        auto_merge: false,
        required_contexts: [],
        transient_environment: false,
        production_environment: /^prod/i.test(r.environment),
        payload: { version: r.version, ...(r.sha && { sha: r.sha }) },
      });
      // 202 is GitHub's answer when it merged the default branch into ref first, which auto_merge: false rules out.
      if (!('id' in data))
        throw new ExternalError(
          `GitHub did not create a deployment of ${r.ref}: ${data.message ?? 'no deployment in the answer'}`,
        );
      id = data.id;
    } catch (err) {
      if (err instanceof ExternalError) throw err;
      throw forgeFailure(this.words, 'deployment', `create a deployment of ${r.ref} to ${r.environment}`, err);
    }
    const logUrl = this.job.runUrl;
    try {
      await octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: id,
        state: r.state,
        environment: r.environment,
        description: clip(r.description, STATUS_DESCRIPTION_MAX),
        ...(logUrl && { log_url: logUrl }),
      });
    } catch (err) {
      throw forgeFailure(
        this.words,
        'deployment',
        `set the status of deployment ${id} (${r.ref} to ${r.environment}) to ${r.state}`,
        err,
      );
    }
    return {
      where: `GitHub deployment ${id} of ${r.ref} to ${r.environment}, status ${r.state}`,
      url: `${this.job.serverUrl ?? 'https://github.com'}/${owner}/${repo}/deployments/${encodeURIComponent(r.environment)}`,
    };
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
