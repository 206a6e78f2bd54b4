// What a step asks of the forge it runs on: one interface, implemented once per forge (github.ts, gitlab.ts) and
// picked by detectForge (index.ts). Steps never switch on which forge it is: what differs lives in the implementation.
import type { getOctokit } from '@actions/github';
import type { Gitlab } from '@gitbeaker/rest';
import { ExternalError, errorMessage, withHint, type HintTarget } from '../errors.js';

export type Octokit = ReturnType<typeof getOctokit>;
export type GitlabApi = InstanceType<typeof Gitlab>;

/** What upsertComment did. */
export interface UpsertResult {
  action: 'created' | 'updated';
  id: number;
  /** Web address of the comment, when the API returned one. */
  url?: string;
}

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
   * lets the job token, which may create releases but not tags, do both in one call.
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

/** Where a deployment was recorded, for the summary: one line, and the environment's page when known. */
export interface RecordedDeployment {
  where: string;
  url?: string;
}

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
 * The forge a job talks to, authenticated with the job's token. Every call that fails is an ExternalError (or a
 * ConfigError when the remedy is the user's) carrying the forge's own message and the fix; tokens are never part of
 * a message.
 */
export interface Forge {
  readonly kind: 'github' | 'gitlab';
  /** `GitHub` or `GitLab`, for messages. */
  readonly title: string;
  /** Where things are created, for messages: `GitHub acme/shop`, `GitLab project 42`. */
  readonly where: string;
  /** What a review and its comment are called here: `pull request` / `PR comment`, `merge request` / `MR note`. */
  readonly review: { name: string; comment: string };
  /** The PR or MR number of this run, or undefined when it is not a PR/MR pipeline. */
  readonly reviewNumber?: number;
  /** Commit of this run. */
  readonly sha?: string;
  /** True when the token is GitLab's job token, which many endpoints refuse (notes, tags need a project token). */
  readonly jobToken: boolean;
  /** Whether createTag can succeed with this token; when not, a git push is the better bet. */
  readonly canTag: boolean;
  /** What to add to a refused comment's warning ('' when nothing helps more than the forge's own message). */
  readonly commentRefusedHint: string;

  /**
   * Creates or updates the comment of this run's PR/MR that contains `marker` (an HTML comment such as
   * `<!-- shipgate:api-compat -->`, invisible when rendered). The body written is the marker, then `body`. Every page
   * of comments is searched, so re-runs never pile up comments.
   */
  upsertComment(marker: string, body: string): Promise<UpsertResult>;
  /** Creates the tag through the forge's API (no git push needed). ExternalError on 403 (permissions) or when it exists. */
  createTag(req: TagRequest): Promise<CreatedTag>;
  /** Creates a release for `req.tag` with the notes as its description. */
  createRelease(req: ReleaseRequest): Promise<CreatedRelease>;
  /**
   * Records what now runs in an environment where the forge shows it (GitHub: a deployment with one status; GitLab: an
   * environment deployment). Throws ExternalError when the forge refuses, with the remedy.
   */
  recordDeployment(record: DeploymentRecord): Promise<RecordedDeployment>;
  /** The pipelines the bridge jobs of pipeline `pipelineId` started in other projects; only forges with bridge jobs. */
  downstreamPipelines?(pipelineId: number): Promise<Downstream[]>;
}

/** Status and message of an Octokit RequestError or a Gitbeaker request error. */
export function apiError(err: unknown): { status?: number; message: string } {
  const e = err as {
    status?: number;
    response?: { data?: { message?: string; errors?: { code?: string; message?: string }[] } };
    cause?: { response?: { status?: number }; description?: string };
  };
  if (typeof e?.status === 'number') {
    const data = e.response?.data;
    const details = data?.errors
      ?.map((x) => x.message ?? x.code)
      .filter(Boolean)
      .join('; ');
    return { status: e.status, message: [data?.message ?? errorMessage(err), details].filter(Boolean).join(': ') };
  }
  if (typeof e?.cause?.response?.status === 'number')
    return { status: e.cause.response.status, message: e.cause.description || errorMessage(err) };
  return { message: errorMessage(err) };
}

/** Every forge needs an environment and a ref; an empty one is a programming error, not the user's. */
export function checkRecord(r: DeploymentRecord): void {
  if (!r.environment.trim() || !r.ref.trim()) throw new Error('recordDeployment needs an environment and a ref');
}

/** What a forge creates through its API. */
export type ForgeObject = 'tag' | 'release' | 'deployment';

/** How one forge words a refusal: where it happened, the variable naming its API, and the fix for a missing permission. */
export interface RefusalWords {
  where: string;
  apiTarget: HintTarget;
  permissionFix(what: ForgeObject): string;
  /** True when this status is a permission refusal in disguise (GitLab once answered a refused job token with 404). */
  hiddenRefusal?(status: number | undefined, what: ForgeObject): boolean;
}

/** An API failure as ExternalError with the remedy for the usual causes: missing permission, existing tag or release. */
export function forgeFailure(words: RefusalWords, what: ForgeObject, action: string, err: unknown): ExternalError {
  const { status, message } = apiError(err);
  const head = `Could not ${action} on ${words.where}: ${status ? `HTTP ${status} ` : ''}${message}.`;
  if (status === 401 || status === 403 || words.hiddenRefusal?.(status, what))
    return new ExternalError(`${head} ${words.permissionFix(what)}`, { cause: err });
  if ((status === 409 || status === 422 || status === 400) && /already[ _]exists/i.test(message)) {
    return new ExternalError(
      `${head} The ${what} already exists: delete it, or push a new commit so the next version is computed past it.`,
      { cause: err },
    );
  }
  return new ExternalError(withHint(head, err, words.apiTarget), { cause: err });
}

/** A refused comment as ExternalError, with the forge's message. */
export function commentFailure(title: string, apiTarget: HintTarget, err: unknown): ExternalError {
  const { status, message } = apiError(err);
  const head = `${title} refused the comment: ${status ? `HTTP ${status}: ` : ''}${message}`;
  return new ExternalError(withHint(head, err, apiTarget), { cause: err });
}
