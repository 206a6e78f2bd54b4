// Compares two schemas in one direction. Request schemas break clients when they narrow (fewer values accepted);
// response schemas break clients when they widen (values clients never saw before). Each (base schema, head schema)
// pair is compared once per subject: the result is memoised by the identity of the two resolved schema objects (a
// `$ref` target, or an object a YAML alias shares) and replayed under each place that uses it. A change is kept once
// per place in the schema that changed (its kind and location), so a schema used twice at every level of a deep
// DAG costs one comparison per level, not 2^depth; recursive schemas stop.
import type { Doc } from './doc.js';
import type { Subject } from './rules.js';
import { isObject } from './pointer.js';
import {
  type Emit,
  compareBounds,
  compareDiscriminator,
  compareEnum,
  compareFormat,
  compareMultipleOf,
  compareNullable,
  comparePattern,
  compareTypes,
} from './keywords.js';
import type { SchemaChange, SchemaComparison, SchemaView, Slot } from './shapes.js';
import { viewOf } from './view.js';
import { compareApplicators, compareConst, compareExtensible } from './applicators.js';
import { valueKey } from './values.js';
import { Sameness } from './same.js';
import { compareVariants, type VariantKeyword, type VariantWalker } from './variants.js';
import { DEPRECATED_PROPERTY, newlyDeprecated } from './deprecation.js';

const MAX_DEPTH = 48;

export class SchemaComparer implements SchemaComparison, VariantWalker {
  private readonly memo = new Map<string, SchemaChange[]>();
  private readonly active = new Set<string>();
  private readonly ids = new WeakMap<object, number>();
  private lastId = 0;
  private readonly same: Sameness;
  private truncated = false;

  constructor(
    readonly base: Doc,
    readonly head: Doc,
  ) {
    this.same = new Sameness(base, head);
  }

  /** All changes between the schema at `b` (base) and at `h` (head), as seen by `subject`. */
  compare(b: Slot, h: Slot, subject: Subject): SchemaChange[] {
    const out: SchemaChange[] = [];
    this.walk(b, h, subject, [], out, 0);
    return distinct(out);
  }

  /** A number per object, for memo keys: two places that share one object share one comparison. */
  private id(node: unknown): number | undefined {
    if (typeof node !== 'object' || node === null) return undefined;
    let n = this.ids.get(node);
    if (n === undefined) this.ids.set(node, (n = ++this.lastId));
    return n;
  }

  /** The memo key of a pair of real (not synthetic) schema objects, or undefined when there is none. */
  private keyOf(b: Slot, h: Slot, subject: Subject): string | undefined {
    if (b.synthetic || h.synthetic || hasSiblings(b.node) || hasSiblings(h.node)) return undefined;
    const bn = this.base.deref(b.node, b.ptr).node;
    const hn = this.head.deref(h.node, h.ptr).node;
    const bi = this.id(bn);
    const hi = this.id(hn);
    return bi === undefined || hi === undefined ? undefined : `${subject}\u0000${bi}\u0000${hi}`;
  }

  walk(b: Slot, h: Slot, subject: Subject, path: string[], out: SchemaChange[], depth: number): void {
    if (depth > MAX_DEPTH) {
      this.truncated = true;
      return;
    }
    // Unchanged subtrees (the bulk of a large document) need no walk. Inline nodes are checked where a walk starts.
    if ((depth === 0 || isRef(b.node)) && this.same.nodes(b.node, h.node)) return;
    const key = this.keyOf(b, h, subject);
    let changes = key === undefined ? undefined : this.memo.get(key);
    if (key !== undefined && !changes) {
      if (this.active.has(key)) return; // a recursive schema met itself: everything below was or will be reported
      this.active.add(key);
      const outer = this.truncated;
      this.truncated = false;
      changes = [];
      this.body(b, viewOf(this.base, b), h, viewOf(this.head, h), subject, [], changes, depth);
      changes = distinct(changes);
      this.active.delete(key);
      // A result cut short by the depth bound is valid here but not complete enough to replay elsewhere.
      if (!this.truncated) this.memo.set(key, changes);
      this.truncated ||= outer;
    }
    if (!changes) {
      this.body(b, viewOf(this.base, b), h, viewOf(this.head, h), subject, path, out, depth);
      return;
    }
    for (const c of changes) out.push(path.length ? { ...c, path: [...path, ...c.path] } : c);
  }

  private body(
    b: Slot,
    bv: SchemaView,
    h: Slot,
    hv: SchemaView,
    subject: Subject,
    path: string[],
    out: SchemaChange[],
    depth: number,
  ): void {
    const request = subject.startsWith('request');
    const emit: Emit = (kind, detail, location, document = 'head') =>
      out.push({ kind, path, detail, location, document });
    const where = (kw: string) => hv.origin.get(kw) ?? bv.origin.get(kw) ?? hv.ptr;
    const whereHead = (kw: string) => hv.origin.get(kw) ?? hv.ptr;

    compareNullable(bv, hv, emit, where);
    // A plain schema that became a oneOf/anyOf (or the reverse) is compared as a set of alternatives.
    for (const kw of ['oneOf', 'anyOf'] as const) {
      if (!bv[kw] !== !hv[kw] && (pureVariants(bv, kw) || pureVariants(hv, kw))) {
        const bList = bv[kw] ?? [b];
        const hList = hv[kw] ?? [h];
        compareVariants(this, kw, bList, hList, subject, path, out, depth);
        return;
      }
    }
    if (!compareTypes(bv, hv, request, emit, whereHead)) return;
    compareFormat(bv, hv, request, emit, whereHead);
    compareEnum(bv, hv, request, emit, whereHead);
    compareBounds(bv, hv, request, emit, whereHead);
    comparePattern(bv, hv, request, emit, whereHead);
    compareMultipleOf(bv, hv, request, emit, whereHead);
    if (bv.uniqueItems !== hv.uniqueItems) {
      if (request && hv.uniqueItems)
        emit('unique-items-added', 'uniqueItems: items must now be unique', whereHead('uniqueItems'));
      else if (!request && !hv.uniqueItems)
        emit('unique-items-removed', 'uniqueItems removed: items may repeat', hv.ptr);
      else
        emit(
          request ? 'constraint-relaxed' : 'constraint-tightened',
          `uniqueItems ${bv.uniqueItems} → ${hv.uniqueItems}`,
          hv.ptr,
        );
    }
    compareDiscriminator(bv, hv, emit, whereHead);
    compareApplicators(bv, hv, request, emit, whereHead);
    compareConst(bv, hv, request, emit, whereHead);
    compareExtensible(bv, hv, request, emit, whereHead);
    if (bv.prefixItems || hv.prefixItems) this.tuple(bv, hv, subject, path, out, depth, emit);
    this.properties(bv, hv, subject, request, path, out, depth);
    this.additional(bv, hv, subject, request, path, out, depth, emit);
    if (bv.items || hv.items) {
      this.walk(bv.items ?? anySlot(bv.ptr), hv.items ?? anySlot(hv.ptr), subject, [...path, '[]'], out, depth + 1);
    }
    for (const kw of ['oneOf', 'anyOf'] as const) {
      if (bv[kw] && hv[kw]) compareVariants(this, kw, bv[kw], hv[kw], subject, path, out, depth);
    }
  }

  private properties(
    bv: SchemaView,
    hv: SchemaView,
    subject: Subject,
    request: boolean,
    path: string[],
    out: SchemaChange[],
    depth: number,
  ): void {
    if (!bv.properties.size && !hv.properties.size) return;
    // readOnly properties are never sent, writeOnly ones never returned: they do not exist in that direction.
    const visible = (doc: Doc, slot: Slot) => {
      const v = viewOf(doc, slot);
      return request ? !v.readOnly : !v.writeOnly;
    };
    const child = (name: string) => [...path, name];
    for (const [name, bs] of bv.properties) {
      if (!visible(this.base, bs)) continue;
      const hs = hv.properties.get(name);
      const bReq = bv.required.has(name);
      if (!hs || !visible(this.head, hs)) {
        if (hs) continue; // became readOnly/writeOnly: reported by neither side as a removal
        const kind = request ? 'property-removed' : bReq ? 'required-property-removed' : 'optional-property-removed';
        out.push({ kind, path: child(name), detail: 'removed', location: bs.ptr, document: 'base' });
        continue;
      }
      const hReq = hv.required.has(name);
      if (bReq !== hReq) {
        const kind = hReq ? 'became-required' : 'became-optional';
        out.push({
          kind,
          path: child(name),
          detail: hReq ? 'optional → required' : 'required → optional',
          location: requiredPtr(hv, hs),
          document: 'head',
        });
      }
      const deprecated = newlyDeprecated(this.base, bs, this.head, hs);
      if (deprecated)
        out.push({
          kind: DEPRECATED_PROPERTY,
          path: child(name),
          detail: 'deprecated',
          location: hs.ptr,
          document: 'head',
          sunset: deprecated.sunset,
        });
      this.walk(bs, hs, subject, child(name), out, depth + 1);
    }
    for (const [name, hs] of hv.properties) {
      const bs = bv.properties.get(name);
      if (bs && visible(this.base, bs)) continue;
      if (!visible(this.head, hs)) continue;
      // A readOnly request property that became writable was always in the schema: the reference calls it info.
      if (bs && request) {
        out.push({
          kind: 'became-not-read-only',
          path: child(name),
          detail: 'no longer readOnly',
          location: hs.ptr,
          document: 'head',
        });
        continue;
      }
      const required = hv.required.has(name);
      const kind = !request ? 'property-added' : required ? 'new-required-property' : 'new-optional-property';
      out.push({
        kind,
        path: child(name),
        detail: required ? 'added (required)' : 'added',
        location: hs.ptr,
        document: 'head',
      });
    }
  }

  private additional(
    bv: SchemaView,
    hv: SchemaView,
    subject: Subject,
    request: boolean,
    path: string[],
    out: SchemaChange[],
    depth: number,
    emit: Emit,
  ): void {
    const b = bv.additional;
    const h = hv.additional;
    if (b === h) return;
    const loc = hv.origin.get('additionalProperties') ?? hv.ptr;
    if (h === false) {
      if (request)
        emit('additional-properties-closed', 'additionalProperties closed: unknown properties are now rejected', loc);
      return;
    }
    if (b === false) {
      emit(
        request ? 'constraint-relaxed' : 'property-added',
        'additionalProperties opened: extra properties allowed',
        loc,
      );
      return;
    }
    this.walk(b ?? anySlot(bv.ptr), h ?? anySlot(hv.ptr), subject, [...path, '*'], out, depth + 1);
  }

  /** 3.1 tuples, position by position; an extra position is a new shape for readers, a missing one for writers. */
  private tuple(
    bv: SchemaView,
    hv: SchemaView,
    subject: Subject,
    path: string[],
    out: SchemaChange[],
    depth: number,
    emit: Emit,
  ): void {
    const b = bv.prefixItems ?? [];
    const h = hv.prefixItems ?? [];
    for (let i = 0; i < Math.min(b.length, h.length); i++)
      this.walk(b[i], h[i], subject, [...path, `[${i}]`], out, depth + 1);
    // A position described the same way the other side describes all items is no change (items → prefixItems).
    const sameAsItems = (slot: Slot, items?: Slot) =>
      items !== undefined && valueKey(slot.node) === valueKey(items.node);
    for (let i = b.length; i < h.length; i++) {
      if (!sameAsItems(h[i], bv.items)) emit('prefix-items-added', `tuple position ${i} added`, h[i].ptr);
    }
    for (let i = h.length; i < b.length; i++) {
      if (!sameAsItems(b[i], hv.items)) emit('prefix-items-removed', `tuple position ${i} removed`, b[i].ptr, 'base');
    }
  }
}

export function isRef(node: unknown): boolean {
  return isObject(node) && typeof node.$ref === 'string';
}

/** A `$ref` with keywords beside it (3.1) is a merge made per place, not one shared object. */
function hasSiblings(node: unknown): boolean {
  return isObject(node) && typeof node.$ref === 'string' && Object.keys(node).length > 1;
}

/**
 * Each change once per (kind, document, location), the first path that reached it kept: the same place reached
 * twice is the same change, and findings are told apart by exactly these (plus the operation) in the collector.
 */
function distinct(changes: SchemaChange[]): SchemaChange[] {
  const seen = new Set<string>();
  return changes.filter((c) => {
    const k = `${c.kind}\u0000${c.document}\u0000${c.location}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function anySlot(ptr: string): Slot {
  return { node: {}, ptr, synthetic: true };
}

function pureVariants(v: SchemaView, kw: VariantKeyword): boolean {
  return !!v[kw] && !v.types && !v.properties.size && !v.items && v.enum === undefined;
}

/** Where a property's required-ness is decided in head: the `required` list when there is one, else the property. */
function requiredPtr(hv: SchemaView, hs: Slot): string {
  return hv.origin.get('required') ?? hs.ptr;
}
