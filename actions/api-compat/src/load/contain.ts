// Where a document's `$ref`s may lead without `allow-external-refs`. The documents are untrusted (a pull request
// writes them): a local document stays inside the workspace (symlinks resolved), a git blob inside its tree, and a
// document fetched over http(s) on its own origin — so a spec cannot make the job read the runner's files or call
// other hosts. The user's own inputs (base, head) are trusted and may point anywhere.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { redactUrl } from '../../../../shared/src/http/url-secrets.js';
import type { Location } from './source.js';

/** The directories local refs may reach: the workspace, and the root document's own directory when it is elsewhere. */
export function localRoots(root: Location, workspace: string): string[] {
  const roots = [real(workspace)];
  if (root.kind === 'file' && !inside(real(root.path), roots)) roots.push(dirname(real(root.path)));
  return roots;
}

/** Why the document at `from` may not read `to` without allow-external-refs; undefined when it may. */
export function outsideReason(from: Location, to: Location, roots: string[]): string | undefined {
  switch (from.kind) {
    case 'url': {
      const origin = new URL(from.url).origin;
      if (to.kind === 'url' && new URL(to.url).origin === origin) return undefined;
      return `leads to ${where(to)}, but a document fetched from ${origin} may only reference that origin`;
    }
    case 'git':
      if (to.kind === 'git' && to.ref === from.ref && !to.path.startsWith('../') && to.path !== '..') return undefined;
      return `leads to ${where(to)}, outside the git tree of ${from.ref}`;
    case 'file':
      if (to.kind === 'file' && inside(real(to.path), roots)) return undefined;
      return to.kind === 'file' ? `leads to ${to.path}, outside the workspace ${roots[0]}` : 'points to another server';
  }
}

function where(loc: Location): string {
  return loc.kind === 'url' ? redactUrl(loc.url) : loc.kind === 'git' ? `git:${loc.ref}:${loc.path}` : loc.path;
}

/** The path with symlinks resolved; a missing file resolves through its nearest existing directory. */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : resolve(real(parent), relative(parent, path));
  }
}

function inside(path: string, roots: string[]): boolean {
  return roots.some((root) => {
    const rel = relative(root, path);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}
