// oneOf/anyOf compared as sets of alternatives: alternatives are paired (same $ref, same content, then the most
// similar), paired ones are compared recursively, the rest are added or removed. In a request an added alternative is
// compatible and a removed one breaks; in a response it is the reverse.
import type { Doc } from './doc.js';
import type { Subject } from './rules.js';
import { isObject } from './pointer.js';
import { sameValue } from './values.js';
import type { SchemaChange, Slot } from './shapes.js';
import { viewOf } from './view.js';

export type VariantKeyword = 'oneOf' | 'anyOf';

/** What pairing and recursion need of the schema comparer (declared here so this module does not import compare.ts). */
export interface VariantWalker {
  readonly base: Doc;
  readonly head: Doc;
  walk(b: Slot, h: Slot, subject: Subject, path: string[], out: SchemaChange[], depth: number): void;
}

export function compareVariants(
  cmp: VariantWalker,
  kw: VariantKeyword,
  bList: Slot[],
  hList: Slot[],
  subject: Subject,
  path: string[],
  out: SchemaChange[],
  depth: number,
): void {
  const pairs = pairUp(cmp, bList, hList);
  const kind = kw === 'oneOf' ? 'one-of' : 'any-of';
  const pairedHead = new Set(pairs.map(([, h]) => h));
  pairs.forEach(([bi, hi]) => {
    const segment = bList.length > 1 || hList.length > 1 ? [`${kw}[${hi}]`] : [];
    cmp.walk(bList[bi], hList[hi], subject, [...path, ...segment], out, depth + 1);
  });
  const pairedBase = new Set(pairs.map(([b]) => b));
  bList.forEach((slot, i) => {
    if (!pairedBase.has(i))
      out.push({
        kind: `${kind}-branch-removed`,
        path,
        detail: `${kw} alternative ${label(slot, i)} removed`,
        location: slot.ptr,
        document: 'base',
      });
  });
  hList.forEach((slot, i) => {
    if (!pairedHead.has(i))
      out.push({
        kind: `${kind}-branch-added`,
        path,
        detail: `${kw} alternative ${label(slot, i)} added`,
        location: slot.ptr,
        document: 'head',
      });
  });
}

function label(slot: Slot, i: number): string {
  if (isObject(slot.node) && typeof slot.node.$ref === 'string') return `'${slot.node.$ref.split('/').pop()}'`;
  if (isObject(slot.node) && typeof slot.node.title === 'string') return `'${slot.node.title}'`;
  return `#${i + 1}`;
}

const refOf = (slot: Slot) => (isObject(slot.node) && typeof slot.node.$ref === 'string' ? slot.node.$ref : undefined);

/** Index pairs [base, head] of alternatives that are the same alternative, possibly changed. */
function pairUp(cmp: VariantWalker, bList: Slot[], hList: Slot[]): [number, number][] {
  const pairs: [number, number][] = [];
  const freeB = new Set(bList.keys());
  const freeH = new Set(hList.keys());
  const take = (bi: number, hi: number) => {
    pairs.push([bi, hi]);
    freeB.delete(bi);
    freeH.delete(hi);
  };
  const pass = (same: (b: Slot, h: Slot) => boolean) => {
    for (const bi of [...freeB]) {
      for (const hi of freeH) {
        if (same(bList[bi], hList[hi])) {
          take(bi, hi);
          break;
        }
      }
    }
  };
  pass((b, h) => refOf(b) !== undefined && refOf(b) === refOf(h));
  pass((b, h) => sameValue(b.node, h.node));
  pass((b, h) => {
    const bt = isObject(b.node) ? b.node.title : undefined;
    return typeof bt === 'string' && isObject(h.node) && h.node.title === bt;
  });
  // What is left: pair the most similar alternatives (same type, most shared property names).
  const score = (b: Slot, h: Slot): number => {
    const bv = viewOf(cmp.base, b);
    const hv = viewOf(cmp.head, h);
    const bt = [...(bv.types ?? [])].sort().join();
    const ht = [...(hv.types ?? [])].sort().join();
    if (bt !== ht) return 0;
    const names = new Set([...bv.properties.keys(), ...hv.properties.keys()]);
    if (!names.size) return refOf(b) || refOf(h) ? 0.6 : 0.5;
    let shared = 0;
    for (const n of names) if (bv.properties.has(n) && hv.properties.has(n)) shared++;
    return shared / names.size;
  };
  while (freeB.size && freeH.size) {
    let best: [number, number, number] | undefined;
    for (const bi of freeB)
      for (const hi of freeH) {
        const s = score(bList[bi], hList[hi]);
        // Two different named components are the same alternative only when they look nearly alike (a rename).
        const needed = refOf(bList[bi]) && refOf(hList[hi]) ? 0.8 : 0.5;
        if (s >= needed && (!best || s > best[2])) best = [bi, hi, s];
      }
    if (!best) break;
    take(best[0], best[1]);
  }
  return pairs;
}
