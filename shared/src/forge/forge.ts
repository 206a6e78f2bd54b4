// Which forge a job runs on, and an authenticated client for it. Capabilities (PR/MR comments, tags and releases,
// deployments) live in their own modules beside this one and take a Forge.
import { readFileSync } from 'node:fs';
import type { getOctokit } from '@actions/github';
import type { Gitlab } from '@gitbeaker/rest';
import { errorMessage, type HintTarget } from '../errors.js';
import type { Platform } from '../platform/platform.js';

export type Octokit = ReturnType<typeof getOctokit>;
export type GitlabApi = InstanceType<typeof Gitlab>;

export interface GitHubForge {
  kind: 'github';
  octokit: Octokit;
  /** API base, e.g. https://api.github.com or http://127.0.0.1:PORT in tests. */
  apiUrl: string;
  owner: string;
  repo: string;
  /** The pull request of this run, when the event has one. */
  pullNumber?: number;
  /** Commit of this run (GITHUB_SHA). */
  sha?: string;
}

export interface GitLabForge {
  kind: 'gitlab';
  api: GitlabApi;
  /** Server URL without /api/v4. */
  host: string;
  projectId: string;
  /** The merge request of this pipeline, when it is a merge-request pipeline. */
  mergeRequestIid?: number;
  sha?: string;
  /** True when the token is CI_JOB_TOKEN, which many endpoints refuse (notes, releases need a project or personal token). */
  jobToken: boolean;
}

export type Forge = GitHubForge | GitLabForge;

/** The PR number of a GitHub run: from the event payload, else from refs/pull/N/merge. */
function githubPullNumber(platform: Platform): number | undefined {
  const eventPath = platform.env('GITHUB_EVENT_PATH');
  if (eventPath) {
    try {
      const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: { number?: number }; number?: number };
      if (event.pull_request?.number) return event.pull_request.number;
    } catch {
      // A missing or unreadable event file only means no PR is known.
    }
  }
  const ref = /^refs\/pull\/(\d+)\//.exec(platform.env('GITHUB_REF') ?? '');
  return ref ? Number(ref[1]) : undefined;
}

/**
 * The forge this job can talk to, or undefined when no token is present (a local run, or a job without one).
 * Tokens are read through platform.secret, so they are masked before anything is logged.
 */
async function gitlabClient(host: string, token: string | undefined, jobToken: string): Promise<GitlabApi> {
  const { Gitlab } = await import('@gitbeaker/rest');
  return token ? new Gitlab({ host, token }) : new Gitlab({ host, jobToken });
}

export async function detectForge(platform: Platform): Promise<Forge | undefined> {
  if (platform.name === 'github' || platform.env('GITHUB_REPOSITORY')) {
    const token = platform.secret('GITHUB_TOKEN');
    const [owner, repo] = (platform.env('GITHUB_REPOSITORY') ?? '').split('/');
    if (!token || !owner || !repo) return undefined;
    const apiUrl = (platform.env('GITHUB_API_URL') || 'https://api.github.com').replace(/\/+$/, '');
    return {
      kind: 'github',
      // The clients are loaded only when a job talks to a forge: most runs never do, and they cost ~0.3 s at start-up.
      octokit: (await import('@actions/github')).getOctokit(token, { baseUrl: apiUrl }),
      apiUrl,
      owner,
      repo,
      pullNumber: githubPullNumber(platform),
      sha: platform.env('GITHUB_SHA'),
    };
  }
  if (platform.name === 'gitlab' || platform.env('GITLAB_CI')) {
    const token = platform.secret('GITLAB_TOKEN');
    const jobToken = token ? undefined : platform.secret('CI_JOB_TOKEN');
    const projectId = platform.env('CI_PROJECT_ID');
    const api = (platform.env('CI_API_V4_URL') ?? '').replace(/\/+$/, '');
    const host = api ? api.replace(/\/api\/v4$/, '') : (platform.env('CI_SERVER_URL') ?? '').replace(/\/+$/, '');
    if (!(token || jobToken) || !projectId || !host) return undefined;
    const iid = platform.env('CI_MERGE_REQUEST_IID');
    return {
      kind: 'gitlab',
      api: await gitlabClient(host, token, jobToken!),
      host,
      projectId,
      mergeRequestIid: iid ? Number(iid) : undefined,
      sha: platform.env('CI_COMMIT_SHA'),
      jobToken: !token,
    };
  }
  return undefined;
}

/** Status and message of an Octokit RequestError or a Gitbeaker request error. */
export function apiError(err: unknown): { status?: number; message: string } {
  const e = err as { status?: number; response?: { data?: { message?: string; errors?: { code?: string; message?: string }[] } }; cause?: { response?: { status?: number }; description?: string } };
  if (typeof e?.status === 'number') {
    const data = e.response?.data;
    const details = data?.errors?.map((x) => x.message ?? x.code).filter(Boolean).join('; ');
    return { status: e.status, message: [data?.message ?? errorMessage(err), details].filter(Boolean).join(': ') };
  }
  if (typeof e?.cause?.response?.status === 'number') return { status: e.cause.response.status, message: e.cause.description || errorMessage(err) };
  return { message: errorMessage(err) };
}

/**
 * Why detectForge found no forge, in the words of the platform the job runs on: the variables it lacks there
 * (a GitHub job names GITHUB_TOKEN, a GitLab job GITLAB_TOKEN or CI_JOB_TOKEN, a terminal both).
 */
export function forgeNeeds(platform: Platform): string {
  const missing = (names: string[]) => names.filter((n) => !platform.env(n));
  if (platform.name === 'github' || platform.env('GITHUB_REPOSITORY')) {
    const lacks = missing(['GITHUB_TOKEN', 'GITHUB_REPOSITORY']);
    return `${lacks.join(' and ') || 'GITHUB_TOKEN'} ${lacks.length > 1 ? 'are' : 'is'} not in the environment (on GitHub Actions: env: GITHUB_TOKEN: \${{ github.token }})`;
  }
  if (platform.name === 'gitlab' || platform.env('GITLAB_CI')) {
    const token = platform.env('GITLAB_TOKEN') || platform.env('CI_JOB_TOKEN');
    const lacks = [...(token ? [] : ['GITLAB_TOKEN (or CI_JOB_TOKEN)']), ...missing(['CI_PROJECT_ID']), ...(platform.env('CI_API_V4_URL') || platform.env('CI_SERVER_URL') ? [] : ['CI_SERVER_URL'])];
    return `${lacks.join(' and ') || 'GITLAB_TOKEN'} ${lacks.length > 1 ? 'are' : 'is'} not in the environment (GitLab sets CI_JOB_TOKEN in every job; GITLAB_TOKEN is a project access token with the api scope)`;
  }
  return 'no forge token is in the environment: GITHUB_TOKEN with GITHUB_REPOSITORY for GitHub, or GITLAB_TOKEN with CI_PROJECT_ID and CI_SERVER_URL for GitLab';
}

/** The variable that says where the forge's API is, for the hint on an unreachable API. */
export function forgeApiTarget(forge: Forge): HintTarget {
  return forge.kind === 'github' ? { input: 'GITHUB_API_URL', value: forge.apiUrl, kind: 'url' } : { input: 'CI_API_V4_URL (or CI_SERVER_URL)', value: forge.host, kind: 'url' };
}
