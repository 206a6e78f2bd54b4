import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../shared/src/errors.js';
import { detectForge, type Forge } from '../../../shared/src/forge/index.js';
import { git } from '../../../shared/src/git/git.js';
import { defineStep } from '../../../shared/src/step.js';
import { plural } from '../../../shared/src/text.js';
import { decideBump } from './bump.js';
import { changelog, prependRelease } from './changelog.js';
import { loadConfig, type Ctx, type VersionTagConfig } from './config.js';
import {
  checkPath,
  checkPrefix,
  ensureFullHistory,
  hasOrigin,
  headSha,
  readHistory,
  readTags,
  tagCommit,
} from './history.js';
import { checkImagesExist, imageTags, registryClient, sourceTagOf, type ImagePlan } from './images.js';
import { publish, tagsThroughApi, type Done, type PublishPlan } from './publish.js';
import { schema } from './schema.js';
import { renderSummary, type VersionReport } from './summary.js';
import { nextVersion } from './version.js';
import { bumpedText, readVersionFiles } from './version-files.js';

/** version-tag's inputs with what the repository and the forge say: all checked before anything is fetched or written. */
interface Checked {
  cfg: VersionTagConfig;
  sha: string;
  versionFiles: ReturnType<typeof readVersionFiles>;
  sourceTag: string;
  forge?: Forge;
  /** Where a release commit is pushed (commit-files with push). */
  branch?: string;
}

/** The release this run makes, decided from the history; `failure` when the verdict stops it. */
interface Decided {
  tag: string;
  notes: string;
  plans: ImagePlan[];
  files: ReturnType<typeof fileChanges>;
  outputs: Record<string, string>;
  report: VersionReport;
  failure?: string;
}

export const versionTag = defineStep({
  schema,
  async loadConfig(ctx): Promise<Checked> {
    const { inputs, platform } = ctx;
    const cfg = await loadConfig(ctx);
    if (cfg.preview) platform.warning(cfg.preview);
    const { cwd, prefix, path, dry } = cfg;
    const [sha] = await Promise.all([headSha(cwd), checkPrefix(cwd, prefix)]);
    if (path) await checkPath(cwd, path);
    // read (and refused when unreadable) before anything is written, also on a dry run
    const versionFiles = readVersionFiles(cfg.versionFiles);
    const sourceTag = sourceTagOf(inputs['source-tag'], sha);
    const forge = dry ? undefined : await detectForge(platform);
    const branch = dry ? undefined : await checkCanPublish(ctx, cfg, forge);
    return { cfg, sha, versionFiles, sourceTag, forge, branch };
  },
  async run(ctx, checked) {
    const { cfg } = checked;
    await ensureFullHistory(cfg.cwd, ctx.platform, !cfg.dry);
    const decided = await decide(ctx, checked);
    if (decided.failure || !decided.tag || cfg.dry) {
      renderSummary(ctx.summary, decided.report);
      return { outputs: decided.outputs, failure: decided.failure };
    }
    await publishRelease(ctx, checked, decided);
    return { outputs: decided.outputs };
  },
});

/** The next version, its notes, images and files from the commits since the last tag; nothing is written here. */
async function decide({ inputs }: Ctx, { cfg, sha, versionFiles, sourceTag }: Checked): Promise<Decided> {
  const { cwd, prefix, path, dry } = cfg;
  const tags = await readTags(cwd);
  const { previous, commits } = await readHistory(cwd, tags, prefix, path, sha);
  const decision = decideBump(commits);
  const api = inputs['api-breaking'];
  const forced = api && decision.level !== 'major' && inputs['api-breaking-policy'] === 'force-major';
  const next = nextVersion({
    previous: previous?.version,
    level: forced ? 'major' : decision.level,
    initialVersion: cfg.initialVersion,
    preMajor: inputs['pre-major'],
    prerelease: cfg.prerelease,
    prefix,
    tags,
  });
  const tag = next.version ? `${prefix}${next.version}` : '';
  const notes = changelog(decision.commits, forced ? ['The API changed incompatibly (found by api-compat).'] : []);
  const plans: ImagePlan[] = next.version
    ? cfg.images.map((ref, i) => ({
        ref,
        name: inputs.images[i],
        sourceTag,
        tags: imageTags(inputs['image-tags'], next.version),
      }))
    : [];
  const files = tag ? fileChanges(cfg, versionFiles, tag, next.version, notes) : [];
  const outputs: Record<string, string> = {
    'previous-version': previous?.version ?? '',
    'previous-tag': previous?.tag ?? '',
    version: next.version,
    tag,
    bump: next.bump,
    changelog: notes,
    released: 'false',
    digest: '',
    digests: '{}',
  };
  const report = {
    previous,
    next,
    tag,
    sha,
    prefix,
    path,
    decision,
    notes,
    forced,
    dry,
    plans,
    files: files.map((f) => f.change),
    done: [] as Done[],
  };

  let failure: string | undefined;
  if (api && decision.level !== 'major' && inputs['api-breaking-policy'] === 'fail') {
    failure = `The API has a breaking change (api-breaking: true), but no commit since ${previous?.tag ?? 'the start'} declares it (a '!' before the colon or a BREAKING CHANGE footer). Add one, or set api-breaking-policy: force-major.`;
  } else if (tag) {
    const at = tags.includes(tag) ? await tagCommit(cwd, tag) : undefined;
    if (at)
      failure = `Tag ${tag} already exists at ${at.slice(0, 7)}, which is not in HEAD's history (a tag on another branch). Merge that branch, or delete the tag, then run again.`;
  }
  return { tag, notes, plans, files, outputs, report, failure };
}

/** Checks the images, then tags, releases and re-tags; the outputs and the summary say what was done, also on an error. */
async function publishRelease(
  { inputs, platform, summary }: Ctx,
  { cfg, sha, sourceTag, forge, branch }: Checked,
  decided: Decided,
): Promise<void> {
  const { tag, notes, plans, files, outputs, report } = decided;
  const plan: PublishPlan = {
    tag,
    sha,
    notes,
    prerelease: Boolean(cfg.prerelease),
    push: inputs.push,
    release: inputs.release,
    images: plans,
    files,
    commit: cfg.commitFiles ? { message: `chore(release): ${tag}`, branch } : undefined,
  };
  const registry = plans.length
    ? registryClient(platform, { home: plans[0].ref.registry, insecureRealm: inputs['insecure-token-realm'] })
    : undefined;
  try {
    if (registry)
      await platform.group(`Checking ${plural(plans.length, 'image')} under ${sourceTag}`, () =>
        checkImagesExist(registry, plans),
      );
    const result = await platform.group(`Publishing ${tag}`, () =>
      publish(plan, { forge, cwd: cfg.cwd, platform, registry }),
    );
    report.done = result.done;
    report.sha = plan.sha;
    for (const d of result.done) platform.info(`done: ${d.what} → ${d.where}${d.detail ? ` (${d.detail})` : ''}`);
    outputs.released = String(inputs.push);
    outputs.digests = JSON.stringify(Object.fromEntries(result.digests));
    outputs.digest = result.digests.get(plans[0]?.name) ?? '';
  } catch (err) {
    report.done = (err as { done?: Done[] }).done ?? [];
    throw err;
  } finally {
    renderSummary(summary, report);
  }
}

/** The changelog with this release on top and each version file bumped, as full texts; nothing is written here. */
function fileChanges(
  cfg: VersionTagConfig,
  versionFiles: ReturnType<typeof readVersionFiles>,
  tag: string,
  version: string,
  notes: string,
) {
  const out: (PublishPlan['files'][number] & { change: string })[] = [];
  if (cfg.changelogFile) {
    const { name, path } = cfg.changelogFile;
    let existing: string | undefined;
    try {
      existing = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT')
        throw new ConfigError(`Input 'changelog-file' is '${name}', which cannot be read: ${(err as Error).message}.`);
    }
    const text = prependRelease(existing, tag, new Date().toISOString().slice(0, 10), notes);
    if (text !== existing) out.push({ name, path, text, change: `${name}: the ${tag} notes on top` });
  }
  for (const f of versionFiles)
    out.push({
      name: f.name,
      path: f.path,
      text: bumpedText(f, version),
      change: `${f.name}: ${f.current} → ${version}`,
    });
  return out;
}

/**
 * Before anything is read or written: a token or an origin to tag through, a token for a release, and for a release
 * commit a branch to push it to. Returns that branch.
 */
async function checkCanPublish(
  { inputs, platform }: Ctx,
  cfg: VersionTagConfig,
  forge: Forge | undefined,
): Promise<string | undefined> {
  const { cwd } = cfg;
  if (inputs.release && !forge) {
    throw new ConfigError(
      `Input 'release' is 'true', but ${platform.forgeNeeds()}, so no release can be created. Pass it in env, or set release: false.`,
    );
  }
  const origin = await hasOrigin(cwd);
  if (inputs.push && !tagsThroughApi(forge) && !origin) {
    throw new ConfigError(
      `Input 'push' is 'true', but ${platform.forgeNeeds()} to tag through the API, and there is no git remote 'origin' to push to. Pass it, add origin, or set push: false.`,
    );
  }
  if (!cfg.commitFiles || !inputs.push) return undefined;
  if (!origin)
    throw new ConfigError(
      "Input 'commit-files' is 'true' with push, but there is no git remote 'origin' to push the release commit to. Add origin, or set commit-files: false.",
    );
  const branch =
    (await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd }).catch(() => '')).trim() ||
    platform.job.branch ||
    '';
  if (!branch) {
    throw new ConfigError(
      `Input 'commit-files' is 'true', but HEAD is detached and ${platform.vocabulary.branch} names no branch to push the release commit to. Run on a branch pipeline, or set commit-files: false.`,
    );
  }
  await git(['check-ref-format', '--branch', branch], { cwd }).catch(() => {
    throw new ConfigError(`The branch '${branch}' to push the release commit to is not a valid branch name.`);
  });
  return branch;
}
