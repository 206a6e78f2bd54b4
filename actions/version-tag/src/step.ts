import { ConfigError } from '../../../shared/src/errors.js';
import { detectForge, type Forge } from '../../../shared/src/forge/forge.js';
import { repoRoot } from '../../../shared/src/git/git.js';
import { defineStep, type StepContext } from '../../../shared/src/step.js';
import { plural } from '../../../shared/src/text.js';
import { decideBump } from './bump.js';
import { changelog } from './changelog.js';
import { checkPath, checkPrefix, ensureFullHistory, hasOrigin, headSha, readHistory, readTags, tagCommit } from './history.js';
import { checkImagesExist, checkTemplates, imageTags, parseImages, registryClient, sourceTagOf, type ImagePlan } from './images.js';
import { publish, tagsThroughApi, type Done } from './publish.js';
import { schema } from './schema.js';
import { renderSummary } from './summary.js';
import { nextVersion, parseInitialVersion, parsePrerelease } from './version.js';

type Ctx = StepContext<typeof schema.inputs>;

export const versionTag = defineStep({
  schema,
  async run(ctx) {
    const { inputs, platform, summary } = ctx;
    const dry = inputs['dry-run'];
    // Empty is meaningful here (bare `1.2.3` tags) and differs from "not given": runners pass the default when the
    // user sets nothing, so a given empty value is a deliberate choice.
    const prefix = platform.input('prefix')?.trim() === '' ? '' : inputs.prefix;
    const path = inputs.path.trim();
    const initialVersion = parseInitialVersion(inputs['initial-version']);
    const prerelease = parsePrerelease(inputs.prerelease);
    const images = parseImages(inputs.images);
    checkTemplates(inputs['image-tags']);
    if (inputs.release && !inputs.push) {
      throw new ConfigError("Input 'release' is 'true' but 'push' is 'false': a release needs its tag. Set push: true, or release: false.");
    }

    const cwd = await repoRoot(process.cwd());
    const [sha] = await Promise.all([headSha(cwd), checkPrefix(cwd, prefix)]);
    if (path) await checkPath(cwd, path);
    const sourceTag = sourceTagOf(inputs['source-tag'], sha);
    const forge = dry ? undefined : await detectForge(platform);
    if (!dry) await checkCanPublish(ctx, cwd, forge);
    await ensureFullHistory(cwd, platform, !dry);

    const tags = await readTags(cwd);
    const { previous, commits } = await readHistory(cwd, tags, prefix, path, sha);
    const decision = decideBump(commits);
    const api = inputs['api-breaking'];
    const forced = api && decision.level !== 'major' && inputs['api-breaking-policy'] === 'force-major';
    const next = nextVersion({
      previous: previous?.version,
      level: forced ? 'major' : decision.level,
      initialVersion,
      preMajor: inputs['pre-major'],
      prerelease,
      prefix,
      tags,
    });
    const tag = next.version ? `${prefix}${next.version}` : '';
    const notes = changelog(decision.commits, forced ? ['The API changed incompatibly (found by api-compat).'] : []);
    const plans: ImagePlan[] = next.version
      ? images.map((ref, i) => ({ ref, name: inputs.images[i], sourceTag, tags: imageTags(inputs['image-tags'], next.version) }))
      : [];
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
    const report = { previous, next, tag, sha, prefix, path, decision, notes, forced, dry, plans, done: [] as Done[] };

    let failure: string | undefined;
    if (api && decision.level !== 'major' && inputs['api-breaking-policy'] === 'fail') {
      failure = `The API has a breaking change (api-breaking: true), but no commit since ${previous?.tag ?? 'the start'} declares it (a '!' before the colon or a BREAKING CHANGE footer). Add one, or set api-breaking-policy: force-major.`;
    } else if (tag) {
      const at = tags.includes(tag) ? await tagCommit(cwd, tag) : undefined;
      if (at) failure = `Tag ${tag} already exists at ${at.slice(0, 7)}, which is not in HEAD's history (a tag on another branch). Merge that branch, or delete the tag, then run again.`;
    }
    if (failure || !tag || dry) {
      renderSummary(summary, report);
      return { outputs, failure };
    }

    const registry = plans.length ? registryClient(platform, { home: plans[0].ref.registry, insecureRealm: inputs['insecure-token-realm'] }) : undefined;
    try {
      if (registry) await platform.group(`Checking ${plural(plans.length, 'image')} under ${sourceTag}`, () => checkImagesExist(registry, plans));
      const result = await platform.group(`Publishing ${tag}`, () =>
        publish({ tag, sha, notes, prerelease: Boolean(prerelease), push: inputs.push, release: inputs.release, images: plans }, { forge, cwd, platform, registry }),
      );
      report.done = result.done;
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
    return { outputs };
  },
});

/** Before anything is read or written: a token or an origin to tag through, and a token for a release. */
async function checkCanPublish({ inputs, platform }: Ctx, cwd: string, forge: Forge | undefined): Promise<void> {
  const token = platform.name === 'gitlab' ? 'GITLAB_TOKEN (or CI_JOB_TOKEN)' : 'GITHUB_TOKEN';
  if (inputs.release && !forge) {
    throw new ConfigError(`Input 'release' is 'true', but no ${token} is in the environment, so no release can be created. Pass the token in env, or set release: false.`);
  }
  if (inputs.push && !tagsThroughApi(forge) && !(await hasOrigin(cwd))) {
    throw new ConfigError(`Input 'push' is 'true', but there is no ${token} to tag through the API and no git remote 'origin' to push to. Pass the token, add origin, or set push: false.`);
  }
}
