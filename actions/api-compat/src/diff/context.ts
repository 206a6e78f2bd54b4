// What every part of the comparison shares: both documents, the schema comparer, the findings, the clock.
import type { Collector, OpRef } from './collector.js';
import type { Doc } from './doc.js';
import { isObject, join } from './pointer.js';
import type { SchemaComparison } from './shapes.js';
import type { DeprecationPolicy } from './sunset.js';

export interface DiffContext {
  base: Doc;
  head: Doc;
  cmp: SchemaComparison;
  out: Collector;
  now: Date;
  /** Days of notice a deprecation must give, per stability level. */
  policy: DeprecationPolicy;
}

/** An operation present in both documents, with where each side lives. */
export interface OperationPair {
  op: OpRef;
  /** Path templates as written on each side (they differ when a path parameter was renamed). */
  basePath: string;
  headPath: string;
  bItem: Record<string, unknown>;
  hItem: Record<string, unknown>;
  bOp: Record<string, unknown>;
  hOp: Record<string, unknown>;
  bPtr: string;
  hPtr: string;
}

/** An object-valued member resolved through refs, with its pointer; undefined when absent. */
export function member(
  doc: Doc,
  parent: Record<string, unknown>,
  parentPtr: string,
  key: string,
): { node: Record<string, unknown>; ptr: string; site: string } | undefined {
  if (!(key in parent)) return undefined;
  const site = join(parentPtr, key);
  const { node, ptr } = doc.deref(parent[key], site);
  return isObject(node) ? { node, ptr, site } : undefined;
}

/** `application/json; charset=utf-8` → `application/json`. */
export const mediaKey = (media: string): string => media.split(';')[0].trim().toLowerCase();

/** The entries of an object member, or none. */
export function entries(node: unknown): [string, unknown][] {
  return isObject(node) ? Object.entries(node) : [];
}
