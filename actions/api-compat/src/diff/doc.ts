// A document being compared: its root, $ref resolution, and a cache of normalised schema views by pointer.
import type { OpenApiDoc } from '../model.js';
import { at, isObject } from './pointer.js';
import type { SchemaView, Side } from './shapes.js';

export class Doc {
  readonly root: Record<string, unknown>;
  readonly views = new Map<string, SchemaView>();
  /** Pointers whose view is being built, to stop allOf cycles. */
  readonly building = new Set<string>();

  constructor(
    readonly side: Side,
    readonly source: OpenApiDoc,
  ) {
    this.root = source.root;
  }

  private readonly targets = new Map<string, unknown>();

  /** The node a local ref names (cached: the same few hundred components are named thousands of times). */
  resolve(ref: string): unknown {
    if (this.targets.has(ref)) return this.targets.get(ref);
    const target = at(this.root, ref);
    this.targets.set(ref, target);
    return target;
  }

  /**
   * Follows `$ref` chains from `node` (at pointer `ptr`) to the object they name. Returns the final node and its
   * pointer, or an empty object when a ref does not resolve (the loader reports broken refs; the diff stays calm).
   */
  deref(node: unknown, ptr: string): { node: unknown; ptr: string; viaRef: boolean } {
    let viaRef = false;
    for (let hops = 0; hops < 32 && isObject(node) && typeof node.$ref === 'string'; hops++) {
      const ref = node.$ref;
      const target = this.resolve(ref);
      if (target === undefined) return { node: {}, ptr, viaRef };
      node = target;
      ptr = ref;
      viaRef = true;
    }
    return { node, ptr, viaRef };
  }
}
