// The side effects, in the issue's order: tag, release, re-tag images. Each finished effect is recorded, so a failure
// later says precisely what was already done and what was not.
import { writeFile } from 'node:fs/promises';
import { ExternalError, errorMessage } from '../../../shared/src/errors.js';
import type { Forge } from '../../../shared/src/forge/index.js';
import { git } from '../../../shared/src/git/git.js';
import type { Platform } from '../../../shared/src/platform/index.js';
import { formatImageRef, type RegistryClient } from '../../../shared/src/registry/index.js';
import { shortSha } from './changelog.js';
import type { ImagePlan } from './images.js';

export interface PublishPlan {
  tag: string;
  sha: string;
  /** Annotated tag message and release notes. */
  notes: string;
  prerelease: boolean;
  /** Create the tag (input `push`). */
  push: boolean;
  release: boolean;
  images: ImagePlan[];
  /** Files to write before the tag (the changelog, the version files), their full new text. */
  files: { name: string; path: string; text: string }[];
  /** Commit the files and tag that commit; the branch it is pushed to when `push`. */
  commit?: { message: string; branch?: string };
}

/** One finished side effect, for the summary. */
export interface Done {
  what: string;
  where: string;
  /** Digest of an image, URL of a release. */
  detail?: string;
}

export interface PublishResult {
  done: Done[];
  /** Image name → digest now under its new tags. */
  digests: Map<string, string>;
}

/**
 * Whether the tag goes through the forge's API. GitLab's job token may create releases but not tags; git push
 * with it works where the project allows job-token pushes, so that is the better bet without GITLAB_TOKEN.
 */
export function tagsThroughApi(forge: Forge | undefined): forge is Forge {
  return forge !== undefined && forge.canTag;
}

/** CI machines often have no git identity; a commit or an annotated tag needs one. */
async function identity(cwd: string): Promise<Record<string, string>> {
  if ((await git(['config', '--get', 'user.email'], { cwd }).catch(() => '')).trim()) return {};
  const who = { NAME: 'shipgate', EMAIL: 'shipgate@users.noreply.localhost' };
  return Object.fromEntries(
    ['AUTHOR', 'COMMITTER'].flatMap((role) => Object.entries(who).map(([k, v]) => [`GIT_${role}_${k}`, v])),
  );
}

/** The release commit of the written files; pushed to the branch first, so a tag made through the API finds it. */
async function commitFiles(plan: PublishPlan, cwd: string): Promise<Done> {
  const { message, branch } = plan.commit!;
  const names = plan.files.map((f) => f.path);
  await git(['add', '--', ...names], { cwd });
  await git(['commit', '--quiet', '--no-verify', '--file=-', '--', ...names], {
    cwd,
    input: message + '\n',
    env: await identity(cwd),
  });
  plan.sha = (await git(['rev-parse', 'HEAD'], { cwd })).trim();
  if (plan.push && branch)
    await git(['push', '--quiet', '--end-of-options', 'origin', `HEAD:refs/heads/${branch}`], { cwd });
  return {
    what: `commit ${shortSha(plan.sha)} "${message}"`,
    where: plan.push && branch ? `origin ${branch}` : 'the local branch',
  };
}

/** The tag through the forge when there is a token; else an annotated git tag pushed to origin. */
async function tag(plan: PublishPlan, forge: Forge | undefined, cwd: string, platform: Platform): Promise<Done> {
  const message = `${plan.tag}\n\n${plan.notes}`.trim();
  if (tagsThroughApi(forge)) {
    await forge.createTag({ tag: plan.tag, sha: plan.sha, message });
    return { what: `tag ${plan.tag}`, where: `${forge.where} at ${shortSha(plan.sha)}` };
  }
  await git(['tag', '--annotate', '--file=-', '--end-of-options', plan.tag, plan.sha], {
    cwd,
    input: message + '\n',
    env: await identity(cwd),
  });
  try {
    await git(['push', '--quiet', '--end-of-options', 'origin', `refs/tags/${plan.tag}`], { cwd });
  } catch (err) {
    await git(['tag', '--delete', '--end-of-options', plan.tag], { cwd }).catch(() => undefined);
    throw new ExternalError(
      `git push of tag ${plan.tag} to origin failed: ${errorMessage(err)} ${platform.vocabulary.tagPushFix}`,
      { cause: err },
    );
  }
  const origin = (await git(['remote', 'get-url', 'origin'], { cwd })).trim().replace(/\/\/[^@/]*@/, '//');
  return { what: `tag ${plan.tag}`, where: `${origin} at ${shortSha(plan.sha)} (git push)` };
}

/**
 * Carries out the plan. On a failure, throws an ExternalError that lists what was already done and what was not,
 * so nobody has to guess the state of the release.
 */
export async function publish(
  plan: PublishPlan,
  deps: { forge?: Forge; cwd: string; platform: Platform; registry?: RegistryClient },
): Promise<PublishResult> {
  const done: Done[] = [];
  const digests = new Map<string, string>();
  const steps: { name: string; run: () => Promise<void> }[] = [];
  if (plan.files.length) {
    steps.push({
      name: `writing ${plan.files.map((f) => f.name).join(', ')}`,
      run: async () => {
        for (const f of plan.files) await writeFile(f.path, f.text);
        done.push({ what: `wrote ${plan.files.map((f) => f.name).join(', ')}`, where: 'the work tree' });
      },
    });
  }
  if (plan.commit)
    steps.push({ name: 'the release commit', run: async () => void done.push(await commitFiles(plan, deps.cwd)) });
  if (plan.push)
    steps.push({
      name: `tag ${plan.tag}`,
      run: async () => void done.push(await tag(plan, deps.forge, deps.cwd, deps.platform)),
    });
  if (plan.release) {
    steps.push({
      name: `release ${plan.tag}`,
      run: async () => {
        const r = await deps.forge!.createRelease({
          tag: plan.tag,
          name: plan.tag,
          notes: plan.notes,
          prerelease: plan.prerelease,
        });
        done.push({ what: `release ${plan.tag}`, where: deps.forge!.title, detail: r.url });
      },
    });
  }
  for (const image of plan.images) {
    steps.push({
      name: `re-tag of ${image.name}`,
      run: async () => {
        const r = await deps.registry!.retag(image.ref, image.sourceTag, image.tags);
        digests.set(image.name, r.digest);
        done.push({
          what: `image ${formatImageRef(image.ref)}:${image.sourceTag}`,
          where: image.tags.join(', '),
          detail: r.digest,
        });
      },
    });
  }
  for (let i = 0; i < steps.length; i++) {
    try {
      await steps[i].run();
    } catch (err) {
      const already = done.length
        ? `Already done: ${done.map((d) => `${d.what} → ${d.where}`).join('; ')}.`
        : 'Nothing was changed before this failure.';
      const rest = steps.slice(i + 1).map((s) => s.name);
      const notDone = `Not done: ${[steps[i].name, ...rest].join(', ')}.`;
      throw Object.assign(new ExternalError(`${errorMessage(err)}\n${already}\n${notDone}`, { cause: err }), { done });
    }
  }
  return { done, digests };
}
