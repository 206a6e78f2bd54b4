// A schema as the comparison sees it: refs followed, allOf branches merged, and equivalent spellings made equal
// (3.0 `nullable` vs 3.1 `type: [x, 'null']`, `const` vs a one-value `enum`, boolean vs numeric exclusive bounds,
// `anyOf: [X, {type: 'null'}]` vs a nullable X), so that only real differences remain to compare.
import type { Doc } from './doc.js';
import type { SchemaView, Slot } from './shapes.js';
import { isObject, join } from './pointer.js';
import { LENGTH_KEYWORDS, tighter, valuesShared } from './values.js';
import { readOwn } from './view-read.js';

/** Several schemas that all apply at one place (allOf parts, or the same property defined twice); each keeps its location. */
export class MergeNode {
  constructor(readonly slots: Slot[]) {}
}

const ANNOTATIONS = new Set([
  'description',
  'summary',
  'title',
  'example',
  'examples',
  'deprecated',
  '$comment',
  'externalDocs',
  'xml',
  '$id',
  '$schema',
]);
const SHAPE_KEYWORDS = [
  'type',
  'properties',
  'items',
  'additionalProperties',
  'enum',
  'const',
  'allOf',
  'format',
  'required',
];
const MAX_DEPTH = 64;

const emptyView = (ptr: string, synthetic: boolean): SchemaView => ({
  ptr,
  synthetic,
  nullable: false,
  properties: new Map(),
  required: new Set(),
  lengths: {},
  uniqueItems: false,
  readOnly: false,
  writeOnly: false,
  applicators: new Map(),
  origin: new Map(),
});

/** The normalised view of the schema at `slot` in `doc` (cached per pointer for real document nodes). */
export function viewOf(doc: Doc, slot: Slot, depth = 0): SchemaView {
  let node = slot.node;
  let ptr = slot.ptr;
  let synthetic = slot.synthetic === true;
  if (node instanceof MergeNode) {
    const view = emptyView(ptr, true);
    for (const part of node.slots) merge(view, viewOf(doc, part, depth + 1));
    return view;
  }
  if (isObject(node) && typeof node.$ref === 'string' && hasSchemaSiblings(node)) {
    // 3.1 allows keywords next to $ref; they constrain the target like an allOf.
    const { $ref, ...rest } = node;
    const view = build(doc, rest, ptr, true, depth);
    merge(view, viewOf(doc, { node: { $ref }, ptr }, depth + 1));
    return view;
  } else {
    const target = doc.deref(node, ptr);
    if (target.viaRef) synthetic = false;
    node = target.node;
    ptr = target.ptr;
  }
  if (synthetic) return build(doc, node, ptr, true, depth);
  const cached = doc.views.get(ptr);
  if (cached) return cached;
  // An allOf cycle (A allOf B, B allOf A) contributes nothing more the second time round.
  if (doc.building.has(ptr)) return emptyView(ptr, true);
  doc.building.add(ptr);
  const view = build(doc, node, ptr, false, depth);
  doc.building.delete(ptr);
  doc.views.set(ptr, view);
  return view;
}

function hasSchemaSiblings(node: Record<string, unknown>): boolean {
  for (const key of Object.keys(node))
    if (key !== '$ref' && !ANNOTATIONS.has(key) && !key.startsWith('x-')) return true;
  return false;
}

function build(doc: Doc, node: unknown, ptr: string, synthetic: boolean, depth: number): SchemaView {
  const view = emptyView(ptr, synthetic);
  if (node === false) {
    view.enum = [];
    return view;
  }
  if (!isObject(node) || depth > MAX_DEPTH) return view;
  readOwn(view, node, ptr);
  if (Array.isArray(node.allOf)) {
    node.allOf.forEach((branch, i) =>
      merge(view, viewOf(doc, { node: branch, ptr: join(ptr, 'allOf', i), synthetic }, depth + 1)),
    );
  }
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = view[key];
    if (!list) continue;
    const kept = list.filter((s) => !isNullSchema(doc, s));
    if (kept.length !== list.length) view.nullable = true;
    if (kept.length === 1 && !SHAPE_KEYWORDS.some((k) => k in node)) {
      // `anyOf: [X, {type: null}]` is a nullable X.
      view[key] = undefined;
      merge(view, viewOf(doc, kept[0], depth + 1));
    } else view[key] = kept.length ? kept : undefined;
  }
  return view;
}

function isNullSchema(doc: Doc, slot: Slot): boolean {
  const { node } = doc.deref(slot.node, slot.ptr);
  if (!isObject(node)) return false;
  if (node.type === 'null') return true;
  if (Array.isArray(node.type) && node.type.length === 1 && node.type[0] === 'null') return true;
  return Array.isArray(node.enum) && node.enum.length === 1 && node.enum[0] === null && node.type === undefined;
}

function merge(into: SchemaView, from: SchemaView): void {
  if (from.types) {
    if (!into.types) into.types = new Set(from.types);
    else {
      const both = new Set(
        [...into.types].filter((t) => from.types!.has(t) || (t === 'integer' && from.types!.has('number'))),
      );
      for (const t of from.types) if (t === 'integer' && into.types.has('number')) both.add('integer');
      if (both.size) into.types = both;
    }
  }
  into.nullable ||= from.nullable;
  into.format ??= from.format;
  if (from.enum) into.enum = into.enum ? valuesShared(into.enum, from.enum) : [...from.enum];
  for (const [name, slot] of from.properties) {
    const mine = into.properties.get(name);
    into.properties.set(name, mine ? mergedSlot(mine, slot) : slot);
  }
  for (const name of from.required) into.required.add(name);
  if (from.additional === false || into.additional === false) into.additional = false;
  else into.additional ??= from.additional;
  into.items = into.items && from.items ? mergedSlot(into.items, from.items) : (into.items ?? from.items);
  if (from.max && (!into.max || tighter(from.max, into.max, 'max'))) into.max = from.max;
  if (from.min && (!into.min || tighter(from.min, into.min, 'min'))) into.min = from.min;
  for (const kw of LENGTH_KEYWORDS) {
    const v = from.lengths[kw];
    if (v === undefined) continue;
    const mine = into.lengths[kw];
    into.lengths[kw] = mine === undefined ? v : kw.startsWith('max') ? Math.min(mine, v) : Math.max(mine, v);
  }
  into.pattern ??= from.pattern;
  into.multipleOf ??= from.multipleOf;
  into.uniqueItems ||= from.uniqueItems;
  into.readOnly ||= from.readOnly;
  into.writeOnly ||= from.writeOnly;
  into.oneOf ??= from.oneOf;
  into.anyOf ??= from.anyOf;
  into.discriminator ??= from.discriminator;
  into.constValue ??= from.constValue;
  into.extensible ??= from.extensible;
  into.prefixItems ??= from.prefixItems;
  for (const [kw, v] of from.applicators) if (!into.applicators.has(kw)) into.applicators.set(kw, v);
  for (const [kw, where] of from.origin) if (!into.origin.has(kw)) into.origin.set(kw, where);
}

function mergedSlot(a: Slot, b: Slot): Slot {
  const parts = [
    ...(a.node instanceof MergeNode ? a.node.slots : [a]),
    ...(b.node instanceof MergeNode ? b.node.slots : [b]),
  ];
  return { node: new MergeNode(parts), ptr: parts[0].ptr, synthetic: true };
}
