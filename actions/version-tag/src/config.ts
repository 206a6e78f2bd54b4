// Every input of version-tag parsed and checked before git or the network is touched, into one typed settings object.
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ConfigError } from '../../../shared/src/errors.js';
import { repoRoot } from '../../../shared/src/git/git.js';
import type { ImageRef } from '../../../shared/src/registry/index.js';
import type { StepContext } from '../../../shared/src/step.js';
import { checkTemplates, parseImages } from './images.js';
import type { schema } from './schema.js';
import { parseInitialVersion, parsePrerelease } from './version.js';

export type Ctx = StepContext<typeof schema.inputs>;

/** version-tag as the inputs describe it. */
export interface VersionTagConfig {
  /** Top of the work tree; git runs here. */
  cwd: string;
  prefix: string;
  /** Relative to the repository root; empty for the whole repository. */
  path: string;
  dry: boolean;
  /** Why a run that was not asked to be a dry run is one (a terminal outside CI). */
  preview?: string;
  initialVersion?: string;
  prerelease?: string;
  images: ImageRef[];
  /** Absolute path of the changelog to prepend the release notes to. */
  changelogFile?: { name: string; path: string };
  versionFiles: { name: string; path: string }[];
  commitFiles: boolean;
}

const given = (ctx: Ctx, name: string) => (ctx.platform.input(name) ?? '').trim() !== '';

/**
 * A terminal outside CI previews unless asked to publish (`--push`, `--release` or `--dry-run false`), as
 * semantic-release does: a laptop run of a release tool must not tag by surprise. CI is a CI platform, or CI=true.
 */
function previewReason(ctx: Ctx): string | undefined {
  const { platform } = ctx;
  if (platform.name !== 'local' || /^(true|1)$/i.test(platform.env('CI') ?? '')) return undefined;
  if (['dry-run', 'push', 'release'].some((n) => given(ctx, n))) return undefined;
  return 'Not running in CI, so this is a preview: nothing is tagged, released or written. Pass --push (or --dry-run false) to publish.';
}

/** An input path relative to the working directory the platform gives, as git sees it from the repository root. */
function inRepo(ctx: Ctx, root: string, input: string, text: string): string {
  const full = resolve(ctx.platform.cwd, text);
  // realpath: a temp dir or a checkout reached through a symlink must still compare equal to git's top level
  const real = existsSync(full) ? realpathSync(full) : full;
  const rel = relative(realpathSync(root), real);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new ConfigError(
      `Input '${input}' is '${text}', which is outside the repository at ${root} (resolved from ${ctx.platform.cwd}). Give a path inside it, relative to the working directory.`,
    );
  }
  return rel.split(sep).join('/');
}

export async function loadConfig(ctx: Ctx): Promise<VersionTagConfig> {
  const { inputs, platform } = ctx;
  // Empty is meaningful here (bare `1.2.3` tags) and differs from "not given": runners pass the default when the
  // user sets nothing, so a given empty value is a deliberate choice.
  const prefix = platform.input('prefix')?.trim() === '' ? '' : inputs.prefix;
  const initialVersion = parseInitialVersion(inputs['initial-version']);
  const prerelease = parsePrerelease(inputs.prerelease);
  const images = parseImages(inputs.images);
  checkTemplates(inputs['image-tags']);
  if (inputs.release && !inputs.push) {
    throw new ConfigError(
      "Input 'release' is 'true' but 'push' is 'false': a release needs its tag. Set push: true, or release: false.",
    );
  }
  const changelog = inputs['changelog-file'].trim();
  if (inputs['commit-files'] && !changelog && !inputs['version-files'].length) {
    throw new ConfigError(
      "Input 'commit-files' is 'true', but 'changelog-file' and 'version-files' are empty: there is nothing to commit. Set one of them, or commit-files: false.",
    );
  }
  const cwd = await repoRoot(platform.cwd);
  const path = inputs.path.trim() ? inRepo(ctx, cwd, 'path', inputs.path.trim()) : '';
  const file = (name: string, input: string) => ({ name, path: resolve(cwd, inRepo(ctx, cwd, input, name)) });
  const preview = inputs['dry-run'] ? undefined : previewReason(ctx);
  return {
    cwd,
    prefix,
    path,
    dry: inputs['dry-run'] || Boolean(preview),
    preview,
    initialVersion,
    prerelease,
    images,
    changelogFile: changelog ? file(changelog, 'changelog-file') : undefined,
    versionFiles: inputs['version-files'].map((name) => file(name, 'version-files')),
    commitFiles: inputs['commit-files'],
  };
}
