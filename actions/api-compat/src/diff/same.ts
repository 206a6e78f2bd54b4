// Fast proof that two schemas are identical, refs included: the same text, and every `$ref` names a component whose
// own closure is identical on both sides. Most of a large document does not change between versions; proving it
// once per component lets the comparison skip whole subtrees.
import type { Doc } from './doc.js';

export class Sameness {
  private readonly known = new Map<string, boolean>();
  private readonly pending = new Set<string>();
  /** Object pairs already compared (YAML aliases share objects: a DAG is proven equal in time linear in its size). */
  private readonly pairs = new WeakMap<object, WeakMap<object, boolean>>();
  /** Set when a result leaned on a ref still being checked (a cycle): such "same" results are not cached. */
  private leaned = false;

  constructor(
    private readonly base: Doc,
    private readonly head: Doc,
  ) {}

  nodes(b: unknown, h: unknown): boolean {
    const outer = this.leaned;
    this.leaned = false;
    const result = this.equal(b, h);
    this.leaned ||= outer;
    return result;
  }

  private ref(ref: string): boolean {
    const cached = this.known.get(ref);
    if (cached !== undefined) return cached;
    if (this.pending.has(ref)) {
      this.leaned = true;
      return true;
    }
    const b = this.base.resolve(ref);
    const h = this.head.resolve(ref);
    if (b === undefined || h === undefined) return false;
    this.pending.add(ref);
    const outer = this.leaned;
    this.leaned = false;
    const result = this.equal(b, h);
    this.pending.delete(ref);
    if (!result || !this.leaned) this.known.set(ref, result);
    this.leaned ||= outer;
    return result;
  }

  private equal(a: unknown, b: unknown, depth = 0): boolean {
    // One object shared by both documents may still hold refs that resolve differently in each.
    if (a === b && (typeof a !== 'object' || a === null)) return true;
    // Very deep documents are not proven equal here; the bounded walk then compares them.
    if (depth > 200) return false;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    const known = this.pairs.get(a)?.get(b);
    if (known !== undefined) return known;
    const outer = this.leaned;
    this.leaned = false;
    const result = this.structural(a, b, depth);
    // A "same" that leaned on a ref still being checked holds only inside that check.
    if (!result || !this.leaned) {
      let row = this.pairs.get(a);
      if (!row) this.pairs.set(a, (row = new WeakMap()));
      row.set(b, result);
    }
    this.leaned ||= outer;
    return result;
  }

  private structural(a: object, b: object, depth: number): boolean {
    if (Array.isArray(a)) {
      if (!Array.isArray(b) || a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!this.equal(a[i], b[i], depth + 1)) return false;
      return true;
    }
    if (Array.isArray(b)) return false;
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    if (typeof ra.$ref === 'string' || typeof rb.$ref === 'string') {
      if (ra.$ref !== rb.$ref) return false;
    }
    const ka = Object.keys(ra);
    if (ka.length !== Object.keys(rb).length) return false;
    for (const k of ka) {
      if (!(k in rb)) return false;
      // Prose differs often and never matters (a property *named* description is an object, so it is compared).
      if ((k === 'description' || k === 'summary') && typeof ra[k] === 'string' && typeof rb[k] === 'string') continue;
      if (!this.equal(ra[k], rb[k], depth + 1)) return false;
    }
    if (typeof ra.$ref === 'string') return this.ref(ra.$ref);
    return true;
  }
}
