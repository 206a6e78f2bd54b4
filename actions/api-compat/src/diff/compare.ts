// Compares two schemas in one direction. Request schemas break clients when they narrow (fewer values accepted);
// response schemas break clients when they widen (values clients never saw before). Comparisons of two referenced
// schemas are memoised by (subject, base target, head target) and replayed under each place that uses them, so a
// large document with heavily shared components is compared in time linear in its size, and recursive schemas stop.
import type { Doc, Side } from './doc.js';
import type { Subject } from './rules.js';
import { isObject } from './pointer.js';
import { type Bound, LENGTH_KEYWORDS, type LengthKeyword, type SchemaView, type Slot, sameValue, tighter, viewOf } from './view.js';
import { Sameness } from './same.js';
import { compareVariants, type VariantKeyword } from './variants.js';

/** One difference inside a schema, relative to the schema compared. */
export interface SchemaChange {
  kind: string;
  /** Property path below the compared schema: names, `[]` for array items, `*` for map values. */
  path: string[];
  detail: string;
  location: string;
  document: Side;
}

const MAX_DEPTH = 48;
const TRIVIAL_PATTERNS = new Set(['.*', '^.*$', '^.*', '.*$', '[\\s\\S]*', '^[\\s\\S]*$']);
/** Format pairs where the second accepts every value of the first. */
const WIDER_FORMAT: Record<string, string[]> = { int32: ['int64'], float: ['double'], int8: ['int16', 'int32', 'int64'], int16: ['int32', 'int64'] };

type Emit = (kind: string, detail: string, location: string, document?: Side) => void;

export class SchemaComparer {
  private readonly memo = new Map<string, SchemaChange[]>();
  private readonly active = new Set<string>();
  private readonly same: Sameness;

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
    return out;
  }

  walk(b: Slot, h: Slot, subject: Subject, path: string[], out: SchemaChange[], depth: number): void {
    if (depth > MAX_DEPTH) return;
    // Unchanged subtrees (the bulk of a large document) need no walk. Inline nodes are checked where a walk starts.
    if ((depth === 0 || isRef(b.node)) && this.same.nodes(b.node, h.node)) return;
    const bv = viewOf(this.base, b);
    const hv = viewOf(this.head, h);
    if (!isRef(b.node) || !isRef(h.node) || bv.synthetic || hv.synthetic) {
      this.body(b, bv, h, hv, subject, path, out, depth);
      return;
    }
    const key = `${subject}\u0000${bv.ptr}\u0000${hv.ptr}`;
    let changes = this.memo.get(key);
    if (!changes) {
      if (this.active.has(key)) return; // a recursive schema met itself: everything below was or will be reported
      this.active.add(key);
      changes = [];
      this.body(b, bv, h, hv, subject, [], changes, depth);
      this.active.delete(key);
      this.memo.set(key, changes);
    }
    for (const c of changes) out.push(path.length ? { ...c, path: [...path, ...c.path] } : c);
  }

  private body(b: Slot, bv: SchemaView, h: Slot, hv: SchemaView, subject: Subject, path: string[], out: SchemaChange[], depth: number): void {
    const request = subject.startsWith('request');
    const emit: Emit = (kind, detail, location, document = 'head') => out.push({ kind, path, detail, location, document });
    const where = (kw: string) => hv.origin.get(kw) ?? bv.origin.get(kw) ?? hv.ptr;
    const whereHead = (kw: string) => hv.origin.get(kw) ?? hv.ptr;

    compareNullable(bv, hv, request, emit, where);
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
      if (request && hv.uniqueItems) emit('unique-items-added', 'uniqueItems: items must now be unique', whereHead('uniqueItems'));
      else if (!request && !hv.uniqueItems) emit('unique-items-removed', 'uniqueItems removed: items may repeat', hv.ptr);
      else emit(request ? 'constraint-relaxed' : 'constraint-tightened', `uniqueItems ${bv.uniqueItems} → ${hv.uniqueItems}`, hv.ptr);
    }
    compareDiscriminator(bv, hv, emit, whereHead);
    this.properties(bv, hv, subject, request, path, out, depth, emit);
    this.additional(bv, hv, subject, request, path, out, depth, emit);
    if (bv.items || hv.items) {
      this.walk(bv.items ?? anySlot(bv.ptr), hv.items ?? anySlot(hv.ptr), subject, [...path, '[]'], out, depth + 1);
    }
    for (const kw of ['oneOf', 'anyOf'] as const) {
      if (bv[kw] && hv[kw]) compareVariants(this, kw, bv[kw], hv[kw], subject, path, out, depth);
    }
  }

  private properties(bv: SchemaView, hv: SchemaView, subject: Subject, request: boolean, path: string[], out: SchemaChange[], depth: number, emit: Emit): void {
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
        out.push({ kind, path: child(name), detail: hReq ? 'optional → required' : 'required → optional', location: requiredPtr(hv, hs), document: 'head' });
      }
      this.walk(bs, hs, subject, child(name), out, depth + 1);
    }
    for (const [name, hs] of hv.properties) {
      if (bv.properties.has(name) && visible(this.base, bv.properties.get(name)!)) continue;
      if (!visible(this.head, hs)) continue;
      const required = hv.required.has(name);
      const kind = !request ? 'property-added' : required ? 'new-required-property' : 'new-optional-property';
      out.push({ kind, path: child(name), detail: required ? 'added (required)' : 'added', location: hs.ptr, document: 'head' });
    }
    void emit;
  }

  private additional(bv: SchemaView, hv: SchemaView, subject: Subject, request: boolean, path: string[], out: SchemaChange[], depth: number, emit: Emit): void {
    const b = bv.additional;
    const h = hv.additional;
    if (b === h) return;
    const loc = hv.origin.get('additionalProperties') ?? hv.ptr;
    if (h === false) {
      if (request) emit('additional-properties-closed', 'additionalProperties closed: unknown properties are now rejected', loc);
      return;
    }
    if (b === false) {
      emit(request ? 'constraint-relaxed' : 'property-added', 'additionalProperties opened: extra properties allowed', loc);
      return;
    }
    this.walk(b ?? anySlot(bv.ptr), h ?? anySlot(hv.ptr), subject, [...path, '*'], out, depth + 1);
  }
}

export function isRef(node: unknown): boolean {
  return isObject(node) && typeof node.$ref === 'string';
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

const typeText = (t?: Set<string>) => (t ? [...t].sort().join('|') : 'any');

function covers(outer: Set<string> | undefined, inner: Set<string> | undefined): boolean {
  if (!outer) return true;
  if (!inner) return false;
  for (const t of inner) if (!outer.has(t) && !(t === 'integer' && outer.has('number'))) return false;
  return true;
}

/** Reports a type change; false when the types no longer overlap (comparing further would only add noise). */
function compareTypes(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: (kw: string) => string): boolean {
  const bt = bv.types;
  const ht = hv.types;
  if (covers(bt, ht) && covers(ht, bt)) return true;
  const detail = `type ${typeText(bt)} → ${typeText(ht)}`;
  if (request) emit(covers(ht, bt) ? 'type-widened' : 'type-changed', detail, where('type'));
  else emit(covers(bt, ht) ? 'type-narrowed' : 'type-changed', detail, where('type'));
  // Disjoint types (string → object): what lies below cannot be compared meaningfully.
  return !bt || !ht || [...ht].some((t) => covers(bt, new Set([t]))) || [...bt].some((t) => covers(ht, new Set([t])));
}

function compareFormat(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: (kw: string) => string): void {
  const b = bv.format;
  const h = hv.format;
  if (b === h) return;
  const detail = `format ${b ?? 'none'} → ${h ?? 'none'}`;
  const widens = h === undefined || (b !== undefined && (WIDER_FORMAT[b] ?? []).includes(h));
  const narrows = b === undefined || (h !== undefined && (WIDER_FORMAT[h] ?? []).includes(b));
  if (request) emit(widens ? 'format-widened' : 'format-changed', detail, where('format'));
  else emit(narrows ? 'format-narrowed' : 'format-changed', detail, where('format'));
}

function compareNullable(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: (kw: string) => string): void {
  if (bv.nullable === hv.nullable) return;
  const kw = hv.origin.has('nullable') ? 'nullable' : 'type';
  emit(hv.nullable ? 'became-nullable' : 'became-not-nullable', hv.nullable ? 'now nullable' : 'no longer nullable', where(kw));
  void request;
}

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};
const list = (values: unknown[]) => (values.length > 5 ? `${values.slice(0, 5).map(show).join(', ')} and ${values.length - 5} more` : values.map(show).join(', '));

function compareEnum(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: (kw: string) => string): void {
  const b = bv.enum;
  const h = hv.enum;
  if (!b && !h) return;
  const loc = where(hv.origin.has('enum') ? 'enum' : 'const');
  if (b && h) {
    const removed = b.filter((v) => !h.some((w) => sameValue(v, w)));
    const added = h.filter((v) => !b.some((w) => sameValue(v, w)));
    if (removed.length) emit('enum-value-removed', `enum value${removed.length > 1 ? 's' : ''} ${list(removed)} removed`, loc);
    if (added.length) emit('enum-value-added', `enum value${added.length > 1 ? 's' : ''} ${list(added)} added`, loc);
  } else if (h) {
    emit(request ? 'became-enum' : 'constraint-tightened', `now restricted to ${list(h)}`, loc);
  } else if (b) {
    emit(request ? 'constraint-relaxed' : 'enum-value-added', `enum ${list(b)} removed: any value allowed`, hv.ptr);
  }
}

const boundText = (b?: Bound) => (b ? `${b.exclusive ? '(exclusive) ' : ''}${b.value}` : 'none');

function compareBounds(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: (kw: string) => string): void {
  for (const side of ['max', 'min'] as const) {
    const b = bv[side];
    const h = hv[side];
    if (!b && !h) continue;
    const tightened = !!h && (!b || tighter(h, b, side));
    const loosened = !!b && (!h || tighter(b, h, side));
    if (!tightened && !loosened) continue;
    const name = side === 'max' ? 'maximum' : 'minimum';
    const detail = `${name} ${boundText(b)} → ${boundText(h)}`;
    const loc = where(hv.origin.has(name) ? name : side === 'max' ? 'exclusiveMaximum' : 'exclusiveMinimum');
    emitBound(side === 'max' ? 'max' : 'min', side, tightened, request, detail, loc, emit);
  }
  for (const kw of LENGTH_KEYWORDS) {
    const b = bv.lengths[kw];
    const h = hv.lengths[kw];
    if (b === h) continue;
    const side = kw.startsWith('max') ? 'max' : 'min';
    const tightened = h !== undefined && (b === undefined || (side === 'max' ? h < b : h > b));
    emitBound(KEBAB[kw], side, tightened, request, `${kw} ${b ?? 'none'} → ${h ?? 'none'}`, where(kw), emit);
  }
}

const KEBAB: Record<LengthKeyword, string> = {
  maxLength: 'max-length',
  minLength: 'min-length',
  maxItems: 'max-items',
  minItems: 'min-items',
  maxProperties: 'max-properties',
  minProperties: 'min-properties',
};

function emitBound(name: string, side: 'max' | 'min', tightened: boolean, request: boolean, detail: string, loc: string, emit: Emit): void {
  if (request) {
    if (tightened) emit(`${name}-${side === 'max' ? 'decreased' : 'increased'}`, detail, loc);
    else emit('constraint-relaxed', detail, loc);
  } else if (!tightened) emit(`${name}-${side === 'max' ? 'increased' : 'decreased'}`, detail, loc);
  else emit('constraint-tightened', detail, loc);
}

function comparePattern(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: (kw: string) => string): void {
  const b = bv.pattern && !TRIVIAL_PATTERNS.has(bv.pattern) ? bv.pattern : undefined;
  const h = hv.pattern && !TRIVIAL_PATTERNS.has(hv.pattern) ? hv.pattern : undefined;
  if (b === h) return;
  const detail = `pattern ${b ? show(b) : 'none'} → ${h ? show(h) : 'none'}`;
  const loc = where('pattern');
  if (!b) emit(request ? 'pattern-added' : 'constraint-tightened', detail, loc);
  else if (!h) emit(request ? 'constraint-relaxed' : 'pattern-removed', detail, loc);
  else emit('pattern-changed', detail, loc);
}

const divides = (small: number, big: number) => {
  const q = big / small;
  return Math.abs(q - Math.round(q)) < 1e-9;
};

function compareMultipleOf(bv: SchemaView, hv: SchemaView, request: boolean, emit: Emit, where: (kw: string) => string): void {
  const b = bv.multipleOf;
  const h = hv.multipleOf;
  if (b === h) return;
  const detail = `multipleOf ${b ?? 'none'} → ${h ?? 'none'}`;
  // Values valid before stay valid when the new step divides the old one.
  const widens = h === undefined || (b !== undefined && divides(h, b));
  const narrows = b === undefined || (h !== undefined && divides(b, h));
  if (request) emit(widens ? 'constraint-relaxed' : 'multiple-of-changed', detail, where('multipleOf'));
  else emit(narrows ? 'constraint-tightened' : 'multiple-of-changed', detail, where('multipleOf'));
}

function compareDiscriminator(bv: SchemaView, hv: SchemaView, emit: Emit, where: (kw: string) => string): void {
  const b = bv.discriminator;
  const h = hv.discriminator;
  if (!b || !h) return;
  if (b.propertyName !== h.propertyName) {
    emit('discriminator-changed', `discriminator property ${show(b.propertyName)} → ${show(h.propertyName)}`, where('discriminator'));
    return;
  }
  const lost = Object.keys(b.mapping).filter((k) => h.mapping[k] !== undefined && h.mapping[k] !== b.mapping[k]);
  const gone = Object.keys(b.mapping).filter((k) => h.mapping[k] === undefined);
  if (lost.length || gone.length) {
    emit('discriminator-changed', `discriminator mapping ${[...gone.map((k) => `${k} removed`), ...lost.map((k) => `${k} retargeted`)].join(', ')}`, where('discriminator'));
  }
}
