// The previous good version from git: the highest release tag below the newest one (the newest is what is being
// rolled back). Tags are read as version-tag writes them: `<prefix>X.Y.Z`, pre-releases left out.
import { ConfigError } from '../../../shared/src/errors.js';
import { isShallow, repoRoot } from '../../../shared/src/git/git.js';
import { readTags, releases, shallowFix, type Release } from '../../../shared/src/git/tags.js';
import type { Platform } from '../../../shared/src/platform/index.js';

/** The newest release and the one before it, from the tags of the repository that holds `cwd`. */
export async function previousRelease(
  cwd: string,
  prefix: string,
  platform: Platform,
): Promise<{ newest: Release; previous: Release }> {
  const root = await repoRoot(cwd);
  const found = releases(await readTags(root), prefix);
  if (found.length >= 2) return { newest: found[0], previous: found[1] };
  const have = found.length ? `only one release tag (${found[0].tag})` : 'no release tag';
  const shallow = (await isShallow(root))
    ? ` The clone is shallow, so tags may be missing: ${shallowFix(platform)}`
    : '';
  throw new ConfigError(
    `Nothing to roll back to: input 'to' is empty and 'image-name' is set, so the rollback goes to the release before the newest, but the repository has ${have} with prefix '${prefix}' (input 'prefix'). Set 'to' to the version to return to, e.g. ${prefix}1.4.2.${shallow}`,
  );
}
