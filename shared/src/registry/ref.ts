// Image references with Docker's defaulting rules (distribution/reference normalize.go): no registry means Docker Hub,
// and a one-segment Docker Hub name lives under library/.
import { ConfigError } from '../errors.js';

/** A parsed image reference; `registry` and `repository` are always filled in, tag and digest only when given. */
export interface ImageRef {
  /** Host with optional port as written (`ghcr.io`, `localhost:5000`, `[::1]:5000`); Docker Hub is `docker.io`. */
  registry: string;
  /** Path inside the registry, e.g. `library/nginx`, `acme/shop/user-service`. */
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` (or another algorithm's digest). */
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST_LABEL = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6 = /^\[[a-fA-F0-9:.]+\]$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z][a-z0-9]*(?:[-_+.][a-z][a-z0-9]*)*:[a-fA-F0-9]{32,}$/i;

/**
 * Parses `[registry/]repository[:tag][@digest]`. `what` names the input in error messages (e.g. `images`).
 * Throws ConfigError saying what is wrong with the reference and how to write it.
 */
export function parseImageRef(text: string, what = 'image'): ImageRef {
  const raw = text.trim();
  const bad = (why: string) =>
    new ConfigError(
      `${what} '${text}' is not a valid image reference: ${why}. Expected [registry/]name[:tag][@sha256:digest], e.g. ghcr.io/acme/shop:1.2.3.`,
    );
  if (!raw) throw bad('it is empty');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) throw bad('drop the URL scheme, a reference has none');
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(`'${digest}' is not a digest (algorithm:hex, e.g. sha256: and 64 hex digits)`);
    if (digest.startsWith('sha256:') && digest.length !== 71) throw bad('a sha256 digest has exactly 64 hex digits');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag))
      throw bad(
        `tag '${tag}' may contain only letters, digits, '_', '.' and '-', must not start with '.' or '-', and has at most 128 characters`,
      );
  }
  const { registry, path } = splitRegistry(rest);
  if (registry !== DOCKER_HUB) checkHost(registry, bad);
  if (!path) throw bad('the repository name is missing');
  for (const part of path.split('/')) {
    if (!part) throw bad('it has an empty path segment');
    if (!COMPONENT.test(part)) {
      const why =
        part !== part.toLowerCase()
          ? 'repository names must be lowercase'
          : `segment '${part}' may contain only a-z, 0-9 and separators '.', '_', '__', '-' between them`;
      throw bad(why);
    }
  }
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  if (registry.length + 1 + repository.length > 255) throw bad('the name is longer than 255 characters');
  return { registry, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** The first segment is a registry only when it looks like a host: a dot, a port, `localhost`, or upper case. */
function splitRegistry(name: string): { registry: string; path: string } {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (
    slash < 0 ||
    (!/[.:]/.test(first) && first !== 'localhost' && first === first.toLowerCase() && !first.startsWith('['))
  ) {
    return { registry: DOCKER_HUB, path: name };
  }
  const registry = first === 'index.docker.io' || first === 'registry-1.docker.io' ? DOCKER_HUB : first;
  return { registry, path: name.slice(slash + 1) };
}

function checkHost(registry: string, bad: (why: string) => Error): void {
  const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(registry);
  const host = m?.[1] ?? '';
  const port = m?.[2];
  const ok = m && (IPV6.test(host) || (host.split('.').every((l) => HOST_LABEL.test(l)) && host.length > 0));
  if (!ok) throw bad(`'${registry}' is not a registry host[:port]`);
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw bad(`port ${port} is out of range`);
}

/** The canonical text of a reference: `registry/repository[:tag][@digest]`, with `docker.io/library/` spelled out. */
export function formatImageRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The same image under another tag (any digest dropped). */
export function withTag(ref: ImageRef, tag: string): ImageRef {
  return { registry: ref.registry, repository: ref.repository, tag };
}

/** Whether a tag is valid by the distribution spec's rule, for callers validating tags before any side effect. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}

/** The host that serves the registry API: Docker Hub's API is not on docker.io itself. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** Loopback registries are spoken to over plain HTTP, as Docker does for them. */
export function isLoopback(registry: string): boolean {
  const host = registry
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}
