import { GitHubPlatform } from './github.js';
import { GitLabPlatform } from './gitlab.js';
import { LocalPlatform } from './local.js';
import type { Platform, PlatformContext } from './platform.js';

export * from './platform.js';
export { GitHubPlatform, GitLabPlatform, LocalPlatform };

/** Picks the platform from the environment: GITHUB_ACTIONS, GITLAB_CI, else a terminal. */
export function detectPlatform(ctx: PlatformContext): Platform {
  if (ctx.env.GITHUB_ACTIONS === 'true') return new GitHubPlatform(ctx);
  if (ctx.env.GITLAB_CI === 'true') return new GitLabPlatform(ctx);
  return new LocalPlatform(ctx);
}
