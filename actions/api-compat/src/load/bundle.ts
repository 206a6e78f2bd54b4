// Bundles `$ref`s into other files into the root document: each referenced file is read once, placed under
// `#/x-shipgate-external/<n>`, and every ref to it (and every local ref inside it) is rewritten to point there.
// Nothing is inlined, so circular references across files stay as finite as they were.
import { ConfigError } from '../../../../shared/src/errors.js';
import type { Format } from './parse.js';
import { isObject, pointerSegments, resolvePointer } from './pointer.js';
import { walkObjects } from './walk.js';
import { outsideReason } from './contain.js';
import { locationKey, resolveLocation, type Location } from './source.js';

/** One parsed file: the root document or a file a `$ref` points to. */
export interface LoadedFile {
  loc: Location;
  /** How messages and reports name it. */
  name: string;
  text: string;
  format: Format;
  value: unknown;
}

export const EXTERNAL = 'x-shipgate-external';

export interface BundleOptions {
  /** Follow `$ref`s wherever they lead (the `allow-external-refs` input); else see contain.ts. */
  allowRemote: boolean;
  /** Directories local refs may reach without allowRemote (localRoots). */
  roots: string[];
  /** Reads and parses a referenced file; throws ConfigError naming what went wrong. */
  read(loc: Location): Promise<LoadedFile>;
}

interface Pending {
  holder: Record<string, unknown>;
  ref: string;
  target: string;
  fragment: string;
}

/** Cheap test on the raw text: most documents have no ref that does not start with '#', and skip the walk. */
export function mayHaveExternalRefs(text: string): boolean {
  return /["']?\$ref["']?\s*:\s*(?!\s*["']?#)\S/.test(text);
}

/**
 * Rewrites external refs of `root` in place and returns the bundled files in index order.
 * The root's own value gets `x-shipgate-external` with their values.
 */
export async function bundle(root: LoadedFile, opts: BundleOptions): Promise<LoadedFile[]> {
  const index = new Map<string, number>([[locationKey(root.loc), -1]]);
  const files: LoadedFile[] = [];
  const queue: { file: LoadedFile; n: number }[] = [{ file: root, n: -1 }];
  while (queue.length) {
    const { file, n } = queue.shift()!;
    if (n >= 0 || mayHaveExternalRefs(file.text)) {
      for (const p of collect(file.value, n)) {
        const loc = resolveLocation(file.loc, p.target);
        const outside = opts.allowRemote ? undefined : outsideReason(file.loc, loc, opts.roots);
        if (outside) {
          throw new ConfigError(
            `${file.name}: $ref '${p.ref}' ${outside}. Set the input 'allow-external-refs' to true to follow it, or bundle it into the document.`,
          );
        }
        const key = locationKey(loc);
        let target = index.get(key);
        if (target === undefined) {
          let loaded: LoadedFile;
          try {
            loaded = await opts.read(loc);
            // A redirect may lead elsewhere too: where the text really came from is held to the same rule.
            const moved = opts.allowRemote ? undefined : outsideReason(file.loc, loaded.loc, opts.roots);
            if (moved)
              throw new ConfigError(
                `redirected: it ${moved}. Set the input 'allow-external-refs' to true to follow it.`,
              );
          } catch (err) {
            if (err instanceof ConfigError)
              throw new ConfigError(`${file.name}: $ref '${p.ref}': ${err.message}`, err.problems);
            throw err;
          }
          target = files.length;
          files.push(loaded);
          index.set(key, target);
          queue.push({ file: loaded, n: target });
        }
        const value = target === -1 ? root.value : files[target].value;
        if (resolvePointer(value, pointerSegments(p.fragment)) === undefined) {
          throw new ConfigError(
            `${file.name}: $ref '${p.ref}' points to nothing: ${p.target} has no ${p.fragment || '#'}.`,
          );
        }
        p.holder.$ref = target === -1 ? p.fragment || '#' : `#/${EXTERNAL}/${target}${p.fragment.slice(1)}`;
      }
    }
  }
  if (files.length && isObject(root.value)) root.value[EXTERNAL] = files.map((f) => f.value);
  return files;
}

/**
 * Finds the refs of one file. In a bundled file (n >= 0) local refs are rewritten at once to its place in the root;
 * refs to other files are returned for loading.
 */
function collect(value: unknown, n: number): Pending[] {
  const out: Pending[] = [];
  walkObjects(value, (obj) => {
    const ref = obj.$ref;
    if (typeof ref !== 'string') return;
    if (ref.startsWith('#')) {
      if (n >= 0) obj.$ref = `#/${EXTERNAL}/${n}${ref.slice(1)}`;
      return;
    }
    const hash = ref.indexOf('#');
    const target = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash);
    if (target) out.push({ holder: obj, ref, target, fragment: fragment === '#' ? '' : fragment });
  });
  return out;
}
