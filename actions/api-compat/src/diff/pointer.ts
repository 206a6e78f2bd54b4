// JSON pointers (`#/paths/~1users/get`) into a parsed document, as the diff builds and follows them: the same
// escaping and decoding as the loader's (../load/pointer.ts), so a ref the loader resolved resolves here too.
import { isObject, pointerSegments, resolvePointer, toPointer } from '../load/pointer.js';

export { isObject };

/** `join('#/paths', '/users', 'get')` → `#/paths/~1users/get`. */
export function join(ptr: string, ...segments: (string | number)[]): string {
  return ptr + toPointer(segments).slice(1);
}

/** The value at a local pointer (`#/…`), or undefined when it does not resolve. */
export function at(root: unknown, ptr: string): unknown {
  return ptr.startsWith('#') ? resolvePointer(root, pointerSegments(ptr)) : undefined;
}
