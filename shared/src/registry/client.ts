// Manifests through the OCI distribution API: check, read, write and re-tag without a Docker daemon. A re-tag PUTs the
// exact bytes it read, so the digest (of an image or a whole multi-arch index) stays the same under every new tag.
import { createHash } from 'node:crypto';
import { ConfigError, ExternalError } from '../errors.js';
import type { HttpResponse } from '../http/request.js';
import { credentialHint } from './credentials.js';
import { formatImageRef, isValidTag, withTag, type ImageRef } from './ref.js';
import { registryMessage, RegistrySession, type RegistryOptions, type Target } from './session.js';

/** The manifest kinds a re-tag understands: OCI and Docker v2, single image and multi-arch. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

const ACCEPT = MANIFEST_TYPES.join(', ');

/** A manifest as stored: the exact bytes, their media type and digest. */
export interface Manifest {
  mediaType: string;
  body: Buffer;
  /** `sha256:<hex>` of `body`. */
  digest: string;
}

/** What retag did: the digest now under every new tag, and the full references it wrote. */
export interface RetagResult {
  digest: string;
  tagged: string[];
}

/** The image (tag or digest) is not in its registry: a 404 on the manifest. */
export class ImageNotFoundError extends ExternalError {
  constructor(readonly ref: ImageRef) {
    super(
      `Image ${formatImageRef(ref)} does not exist in registry ${ref.registry} (manifest ${ref.digest ?? ref.tag ?? 'latest'} not found). Check the name and that the image was pushed under that tag.`,
    );
    this.name = 'ImageNotFoundError';
  }
}

export class RegistryClient {
  private readonly session: RegistrySession;

  constructor(opts: RegistryOptions = {}) {
    this.session = new RegistrySession(opts);
  }

  /** The digest the reference points to, or undefined when the registry has no such manifest. */
  async manifestExists(ref: ImageRef): Promise<string | undefined> {
    const res = await this.session.send(target(ref, false), 'HEAD', manifestPath(ref), { accept: ACCEPT });
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw this.failure(ref, res, 'HEAD', 'check');
    const digest = res.headers['docker-content-digest'];
    if (digest) return digest;
    // Docker-Content-Digest is optional in the spec; the bytes decide then
    return (await this.getManifest(ref)).digest;
  }

  /** The manifest's exact bytes; ImageNotFoundError when it is missing, ExternalError when it is not one we can copy. */
  async getManifest(ref: ImageRef): Promise<Manifest> {
    const res = await this.session.send(target(ref, false), 'GET', manifestPath(ref), { accept: ACCEPT });
    if (res.status === 404) throw new ImageNotFoundError(ref);
    if (res.status !== 200) throw this.failure(ref, res, 'GET', 'read');
    const digest = sha256(res.body);
    if (ref.digest && ref.digest !== digest) {
      throw new ExternalError(
        `Registry ${ref.registry} returned a manifest for ${formatImageRef(ref)} whose bytes hash to ${digest}, not the requested digest.`,
      );
    }
    return { mediaType: mediaTypeOf(ref, res), body: res.body, digest };
  }

  /** Stores `manifest` under `tag` in the repository of `ref`; resolves the digest the registry reports. */
  async putManifest(ref: ImageRef, tag: string, manifest: Manifest): Promise<string> {
    checkTags([tag]);
    const dest = withTag(ref, tag);
    const res = await this.session.send(
      target(ref, true),
      'PUT',
      manifestPath(dest),
      { 'content-type': manifest.mediaType },
      manifest.body,
    );
    if (res.status !== 201 && res.status !== 200) throw this.failure(dest, res, 'PUT', 'push');
    const digest = res.headers['docker-content-digest'] ?? manifest.digest;
    if (digest !== manifest.digest) {
      throw new ExternalError(
        `Registry ${ref.registry} stored ${formatImageRef(dest)} as ${digest}, not ${manifest.digest}: it rewrote the manifest.`,
      );
    }
    return digest;
  }

  /**
   * Puts the manifest (or index) of `sourceTag` under each of `newTags` in the same repository, byte for byte.
   * When a later tag fails, the error says which tags were already written.
   */
  async retag(ref: ImageRef, sourceTag: string, newTags: string[]): Promise<RetagResult> {
    checkTags([sourceTag, ...newTags]);
    const manifest = await this.getManifest(withTag(ref, sourceTag));
    const tagged: string[] = [];
    for (const tag of newTags) {
      try {
        await this.putManifest(ref, tag, manifest);
      } catch (err) {
        if (!(err instanceof ExternalError) || tagged.length === 0) throw err;
        throw new ExternalError(`${err.message} Already tagged before this failure: ${tagged.join(', ')}.`, {
          cause: err,
        });
      }
      tagged.push(formatImageRef(withTag(ref, tag)));
    }
    return { digest: manifest.digest, tagged };
  }

  private failure(ref: ImageRef, res: HttpResponse, method: string, action: 'check' | 'read' | 'push'): ExternalError {
    const name = formatImageRef(ref);
    const detail = `HTTP ${res.status}${registryMessage(res)}`;
    if (res.status === 401 || res.status === 403) {
      const creds = this.session.auth(ref.registry);
      const who = creds ? `with the credentials from ${creds.source}` : 'without credentials';
      const need = action === 'push' ? 'push (write) access to' : 'pull access to';
      // Docker Hub and GHCR answer a missing repository like a private one, so the name is a suspect too
      const missing =
        action === 'push'
          ? ''
          : ' If the credentials are right, check the image name: some registries answer 401 for a repository that does not exist.';
      return new ExternalError(
        `Registry ${ref.registry} refused to ${action} ${name} ${who} (${detail}). The job needs ${need} ${ref.repository}: ${credentialHint(ref.registry)}.${missing}`,
      );
    }
    return new ExternalError(`Registry ${ref.registry} answered ${method} ${name} with ${detail}.`);
  }
}

/** Tags come from user input (templates like `{major}.{minor}`); a bad one must stop us before anything is written. */
function checkTags(tags: string[]): void {
  const bad = tags.filter((t) => !isValidTag(t));
  if (bad.length) {
    throw new ConfigError(
      `Image tag${bad.length > 1 ? 's' : ''} ${bad.map((t) => `'${t}'`).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not valid: a tag has 1-128 characters from letters, digits, '_', '.' and '-', and does not start with '.' or '-'.`,
    );
  }
}

function target(ref: ImageRef, push: boolean): Target {
  return { registry: ref.registry, repository: ref.repository, push };
}

function manifestPath(ref: ImageRef): string {
  return `/v2/${ref.repository}/manifests/${ref.digest ?? ref.tag ?? 'latest'}`;
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Content-Type, or the manifest's own mediaType field when a registry answers with plain JSON. */
function mediaTypeOf(ref: ImageRef, res: HttpResponse): string {
  const header = (res.headers['content-type'] ?? '').split(';')[0].trim();
  if ((MANIFEST_TYPES as readonly string[]).includes(header)) return header;
  let field: unknown;
  try {
    field = (JSON.parse(res.body.toString('utf8')) as { mediaType?: unknown }).mediaType;
  } catch {
    // not JSON: reported below
  }
  if (typeof field === 'string' && (MANIFEST_TYPES as readonly string[]).includes(field)) return field;
  throw new ExternalError(
    `Registry ${ref.registry} returned ${formatImageRef(ref)} as '${header || 'no content type'}', which is not an OCI or Docker v2 manifest (expected one of ${MANIFEST_TYPES.join(', ')}).`,
  );
}
