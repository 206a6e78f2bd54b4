// Where a document (or a file one of its `$ref`s points to) lives, and how its text is read: a file, an http(s) URL,
// or a blob of the local git repository (`git:<ref>:<path>`).
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, ExternalError } from '../../../../shared/src/errors.js';
import { git, GitFailure } from '../../../../shared/src/git/git.js';
import { redactUrl, safeDecode } from '../../../../shared/src/http/url-secrets.js';
import { TimeoutError } from '../../../../shared/src/http/get.js';
import { httpRequest, isRedirect, type HttpResponse } from '../../../../shared/src/http/request.js';

/** A place a document is read from. `path` of a file is absolute; of a git blob, relative to the repository root. */
export type Location =
  { kind: 'file'; path: string } | { kind: 'url'; url: string } | { kind: 'git'; ref: string; path: string };

/** How sources are read: the directory relative paths and git run in, and the HTTP time limit. */
export interface ReadOptions {
  cwd: string;
  timeoutMs?: number;
}

/** Parses an input value: `git:<ref>:<path>`, an http(s) URL, or a file path relative to cwd. */
export function parseLocation(spec: string, cwd: string): Location | string {
  const s = spec.trim();
  if (s.startsWith('git:')) {
    // A ref name cannot contain ':' (git check-ref-format), so the first one ends the ref.
    const rest = s.slice(4);
    const colon = rest.indexOf(':');
    if (colon <= 0 || colon === rest.length - 1) return 'Expected git:<ref>:<path>, e.g. git:origin/main:openapi.yaml.';
    // git would read it as an option (`--output=FILE` writes a file); no branch or tag name starts with '-'.
    if (rest.startsWith('-'))
      return `The ref '${rest.slice(0, colon)}' starts with '-', which no branch, tag or commit does. Expected git:<ref>:<path>, e.g. git:origin/main:openapi.yaml.`;
    return { kind: 'git', ref: rest.slice(0, colon), path: rest.slice(colon + 1).replace(/^\.\//, '') };
  }
  if (/^https?:\/\//i.test(s)) return URL.canParse(s) ? { kind: 'url', url: s } : 'It is not a valid URL.';
  if (s.startsWith('file:')) return { kind: 'file', path: fileURLToPath(s) };
  return { kind: 'file', path: resolve(cwd, s) };
}

/** True when a `$ref` target names a remote document itself (not relative to the document that holds it). */
export function isRemote(ref: string): boolean {
  return /^https?:\/\//i.test(ref);
}

/** The location a relative (or absolute) reference points to, seen from the document at `from`. */
export function resolveLocation(from: Location, target: string): Location {
  if (isRemote(target)) return { kind: 'url', url: new URL(target).href };
  if (target.startsWith('file:')) return { kind: 'file', path: fileURLToPath(target) };
  const path = safeDecode(target);
  switch (from.kind) {
    case 'file':
      return { kind: 'file', path: isAbsolute(path) ? path : resolve(dirname(from.path), path) };
    case 'url':
      return { kind: 'url', url: new URL(target, from.url).href };
    case 'git':
      return {
        kind: 'git',
        ref: from.ref,
        path: posix.normalize(posix.join(posix.dirname(from.path), path)).replace(/^\/+/, ''),
      };
  }
}

/** A stable key for caching and cycle detection. */
export function locationKey(loc: Location): string {
  return loc.kind === 'file' ? `file:${loc.path}` : loc.kind === 'url' ? loc.url : `git:${loc.ref}:${loc.path}`;
}

/**
 * How a location is named in messages and reports: files relative to cwd, the rest as the user writes them, less the
 * credentials a URL may carry (findings name their file in reports and comments).
 */
export function displayName(loc: Location, cwd: string): string {
  if (loc.kind === 'file') {
    const rel = relative(cwd, loc.path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : loc.path;
  }
  return loc.kind === 'url' ? redactUrl(loc.url) : `git:${loc.ref}:${loc.path}`;
}

/**
 * Reads the text at a location, and where it was really found (a URL after redirects: relative refs resolve from
 * there). Unreadable sources are the user's to fix (ConfigError), with what was tried.
 */
export async function readLocation(loc: Location, opts: ReadOptions): Promise<{ text: string; loc: Location }> {
  switch (loc.kind) {
    case 'file':
      try {
        return { text: await readFile(loc.path, 'utf8'), loc };
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') throw new ConfigError(`no such file (looked for ${loc.path}).`);
        if (code === 'EISDIR') throw new ConfigError(`${loc.path} is a directory, not a file.`);
        throw new ConfigError(`cannot read ${loc.path} (${code ?? (err as Error).message}).`);
      }
    case 'url': {
      const { text, url } = await fetchText(loc.url, opts.timeoutMs ?? 30_000);
      return { text, loc: { kind: 'url', url } };
    }
    case 'git':
      try {
        return { text: await git(['show', '--end-of-options', `${loc.ref}:${loc.path}`], { cwd: opts.cwd }), loc };
      } catch (err) {
        if (!(err instanceof GitFailure)) throw err;
        const said = err.stderr.trim().split('\n').pop() ?? '';
        throw new ConfigError(
          `git cannot read ${loc.path} at ${loc.ref}: ${said}. Check the ref and the path (relative to the repository root); in CI fetch the ref first (actions/checkout with fetch-depth: 0, or GIT_DEPTH: 0 on GitLab).`,
        );
      }
  }
}

const REDIRECTS = 5;
const HEADERS = {
  accept: 'application/json, application/yaml, text/yaml, */*;q=0.5',
  'user-agent': 'shipgate-api-compat',
};

/** GET with redirects followed; a 4xx or an unreachable host is bad input, a 5xx a failing system. */
async function fetchText(url: string, timeoutMs: number): Promise<{ text: string; url: string }> {
  let res: HttpResponse;
  try {
    res = await httpRequest(url, { timeoutMs, headers: HEADERS, maxRedirects: REDIRECTS });
  } catch (err) {
    if (err instanceof TimeoutError) throw new ConfigError(`${url} did not answer within ${timeoutMs / 1000}s.`);
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(`${url} is unreachable (${code ?? (err as Error).message}).`);
  }
  if (isRedirect(res)) throw new ConfigError(`${url} redirects more than ${REDIRECTS} times.`);
  if (res.status >= 200 && res.status < 300) return { text: res.body.toString('utf8'), url: res.url };
  if (res.status >= 500) throw new ExternalError(`${res.url} answered HTTP ${res.status}.`);
  throw new ConfigError(`${res.url} answered HTTP ${res.status}.`);
}
