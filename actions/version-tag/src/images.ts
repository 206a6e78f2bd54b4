// Which images get which tags. Everything here is checked before the first side effect; the registry calls are in
// publish.ts.
import semver from 'semver';
import { ConfigError, ExternalError } from '../../../shared/src/errors.js';
import {
  formatImageRef,
  isValidTag,
  parseImageRef,
  withTag,
  type ImageRef,
  type RegistryClient,
} from '../../../shared/src/registry/index.js';

export { registryClient } from '../../../shared/src/registry/job.js';

const PLACEHOLDER = /\{([^{}]*)\}/g;
const KNOWN = new Set(['version', 'major', 'minor', 'patch']);

/** An image to re-tag: where it is, the tag it was built with, and the tags it gets. */
export interface ImagePlan {
  ref: ImageRef;
  /** As the user wrote it, for messages. */
  name: string;
  sourceTag: string;
  tags: string[];
}

/** `images` as references: names only, since `source-tag` says which tag to copy. */
export function parseImages(lines: string[]): ImageRef[] {
  const refs = lines.map((line) => {
    const ref = parseImageRef(line, "Input 'images': image");
    if (ref.tag || ref.digest) {
      const name = line.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
      throw new ConfigError(
        `Input 'images' has '${line}' with a tag or digest. Give the name only ('${name}'); 'source-tag' says which tag to re-tag.`,
      );
    }
    return ref;
  });
  const seen = new Set<string>();
  for (const r of refs) {
    const key = formatImageRef(r);
    if (seen.has(key)) throw new ConfigError(`Input 'images' names ${key} twice. List each image once.`);
    seen.add(key);
  }
  return refs;
}

/** `source-tag`, or `sha-<7 hex>` of HEAD (docker/metadata-action's `type=sha` default). */
export function sourceTagOf(input: string, sha: string): string {
  const tag = input.trim() || `sha-${sha.slice(0, 7)}`;
  if (!isValidTag(tag))
    throw new ConfigError(
      `Input 'source-tag' is '${input}'. Expected an image tag: letters, digits, '_', '.', '-', not starting with '.' or '-', at most 128 characters.`,
    );
  return tag;
}

/** Checks `image-tags` once against a sample version, so a bad template stops the job before anything is written. */
export function checkTemplates(templates: string[]): void {
  for (const t of templates) {
    for (const [, name] of t.matchAll(PLACEHOLDER)) {
      if (!KNOWN.has(name))
        throw new ConfigError(
          `Input 'image-tags' has '${t}' with '{${name}}'. Expected only {version}, {major}, {minor} and {patch}.`,
        );
    }
    for (const sample of ['10.20.30', '10.20.30-rc.4']) {
      const tag = render(t, sample);
      if (tag && !isValidTag(tag))
        throw new ConfigError(
          `Input 'image-tags' has '${t}', which gives '${tag}' for ${sample}: not a valid image tag (letters, digits, '_', '.', '-'; at most 128 characters).`,
        );
    }
  }
}

function render(template: string, version: string): string {
  const v = semver.parse(version)!;
  const values: Record<string, string> = {
    version,
    major: String(v.major),
    minor: String(v.minor),
    patch: String(v.patch),
  };
  return template.replace(PLACEHOLDER, (_m, name: string) => values[name]);
}

/**
 * The image tags of a version. A pre-release gets only tags with `{version}` in them: a floating `1.3`, `1` or `latest`
 * must not point at a release candidate.
 */
export function imageTags(templates: string[], version: string): string[] {
  const pre = semver.prerelease(version) !== null;
  const wanted = pre ? templates.filter((t) => t.includes('{version}')) : templates;
  return [...new Set(wanted.map((t) => render(t, version)))];
}

/**
 * Checks that every image exists under its source tag, before anything is tagged. All missing images are named
 * together; a refused request (401/403) is the client's own ExternalError naming the variables to set.
 */
export async function checkImagesExist(client: RegistryClient, plans: ImagePlan[]): Promise<void> {
  const missing: string[] = [];
  for (const p of plans) {
    const source = withTag(p.ref, p.sourceTag);
    if (!(await client.manifestExists(source))) missing.push(formatImageRef(source));
  }
  if (missing.length) {
    throw new ExternalError(
      `Image ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist in the registry, so nothing was tagged. Build and push the image under its source tag first, or set 'source-tag' to the tag it was pushed with.`,
    );
  }
}
