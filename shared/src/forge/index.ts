// The forge factory: which forge a job talks to, from the platform's job identity and token. The only place that
// tells GitHub from GitLab; everything else holds a Forge.
import type { Platform } from '../platform/platform.js';
import type { Forge } from './forge.js';
import { GitHubForge } from './github.js';
import { GitLabForge } from './gitlab.js';

export * from './forge.js';
export { GitHubForge, GitLabForge };

/**
 * The forge this job can talk to, or undefined when no token is present (a local run, or a job without one).
 * The token comes from platform.forgeToken, so it is masked before anything is logged.
 */
export async function detectForge(platform: Platform): Promise<Forge | undefined> {
  const { job } = platform;
  if (job.forge === 'github') {
    const credential = platform.forgeToken();
    const [owner, repo] = (job.repository ?? '').split('/');
    if (!credential || !owner || !repo) return undefined;
    // The clients are loaded only when a job talks to a forge: most runs never do, and they cost ~0.3 s at start-up.
    const { getOctokit } = await import('@actions/github');
    return new GitHubForge(getOctokit(credential.token, { baseUrl: job.apiUrl }), owner, repo, job);
  }
  if (job.forge === 'gitlab') {
    const credential = platform.forgeToken();
    const host = job.serverUrl;
    if (!credential || !job.projectId || !host) return undefined;
    const { Gitlab } = await import('@gitbeaker/rest');
    const api = credential.jobToken
      ? new Gitlab({ host, jobToken: credential.token })
      : new Gitlab({ host, token: credential.token });
    return new GitLabForge(api, job.projectId, credential.jobToken, job, platform);
  }
  return undefined;
}
