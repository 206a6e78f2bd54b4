// The `to` input: a colour, a full image reference, or a tag / version, told apart before anything is contacted.
import semver from 'semver';
import { ConfigError } from '../../../shared/src/errors.js';
import { isValidTag, parseImageRef, type ImageRef } from '../../../shared/src/registry/index.js';

/** `registry/app` of `registry/app:1.4.2@sha256:…`: the repository as written, tag and digest dropped. */
export function repositoryOf(image: string): string {
  return image
    .trim()
    .replace(/@.*$/, '')
    .replace(/:[^/:]*$/, '');
}

/** What `to` asks for. */
export type TargetSpec =
  /** Empty: the previous good version (colour, revision or release tag). */
  | { kind: 'previous' }
  | { kind: 'colour'; colour: string }
  /** A full reference with a tag or digest, and its text as written. */
  | { kind: 'image'; ref: ImageRef; text: string }
  /** An image tag; `release` is the git tag of the version when `to` was a version (`v1.4.2` → tag `1.4.2`). */
  | { kind: 'tag'; tag: string; release?: string };

/**
 * Parses `to`. A version with or without the release prefix (`v1.4.2`, `1.4.2`, `user-service/v1.4.2`) becomes the
 * image tag `1.4.2`, as version-tag tags images; anything else with `/`, `:` or `@` is a full image reference.
 */
export function parseTo(
  text: string,
  o: { provider: 'blue-green' | 'kubernetes'; colors?: readonly string[]; prefix: string },
): TargetSpec {
  const to = text.trim();
  if (!to) return { kind: 'previous' };
  if (o.provider === 'blue-green') {
    if (!o.colors?.includes(to)) {
      throw new ConfigError(
        `Input 'to' is '${to}'. With provider 'blue-green' it names the colour to return to: one of ${o.colors?.join(', ')} (input 'colors'), or empty for the previous colour.`,
      );
    }
    return { kind: 'colour', colour: to };
  }
  const version = versionOf(to, o.prefix);
  if (version) return { kind: 'tag', tag: version, release: `${o.prefix}${version}` };
  if (/[/:@]/.test(to)) {
    const ref = parseImageRef(to, "Input 'to': image");
    if (!ref.tag && !ref.digest) {
      throw new ConfigError(
        `Input 'to' is '${to}': an image reference without a tag or digest would mean 'latest', which says nothing about the version. Add the tag, e.g. ${to}:1.4.2.`,
      );
    }
    return { kind: 'image', ref, text: to };
  }
  if (!isValidTag(to)) {
    throw new ConfigError(
      `Input 'to' is '${to}'. Expected an image reference (registry/app:1.4.2, …@sha256:…), an image tag or a version (1.4.2, ${o.prefix || 'v'}1.4.2): a tag has 1-128 letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`,
    );
  }
  return { kind: 'tag', tag: to };
}

/** `1.4.2` from `1.4.2` or `<prefix>1.4.2` (pre-releases too); undefined when `text` is no version. */
function versionOf(text: string, prefix: string): string | undefined {
  for (const candidate of prefix && text.startsWith(prefix) ? [text.slice(prefix.length), text] : [text]) {
    if (semver.valid(candidate) === candidate && !candidate.includes('+')) return candidate;
  }
  return undefined;
}
