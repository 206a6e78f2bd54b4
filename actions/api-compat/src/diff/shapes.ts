// The shapes the comparison modules pass to each other (a schema's normalised view, a slot, a change, a side), kept
// apart from the code that builds and walks them so that no two of those modules need to import each other.
import type { SchemaChangeKind, Subject } from './rules.js';
import type { Sunset } from './sunset.js';
import type { Bound, LengthKeyword } from './values.js';

/** Which document a node or change belongs to. */
export type Side = 'base' | 'head';

/** A schema node as written (maybe a `$ref`) and where it is. Synthetic slots are merges view.ts makes, not document nodes. */
export interface Slot {
  node: unknown;
  ptr: string;
  synthetic?: boolean;
}

/** A schema as the comparison sees it (built by view.ts): refs followed, allOf merged, spellings made equal. */
export interface SchemaView {
  /** Pointer of the schema object after following refs. */
  ptr: string;
  synthetic: boolean;
  /** Allowed types without 'null'; undefined = any type. */
  types?: Set<string>;
  nullable: boolean;
  format?: string;
  /** Allowed values (without null); undefined = unrestricted. */
  enum?: unknown[];
  properties: Map<string, Slot>;
  required: Set<string>;
  /** false = closed, a slot = values must match it, undefined = open. */
  additional?: false | Slot;
  items?: Slot;
  max?: Bound;
  min?: Bound;
  lengths: Partial<Record<LengthKeyword, number>>;
  pattern?: string;
  multipleOf?: number;
  uniqueItems: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  oneOf?: Slot[];
  anyOf?: Slot[];
  discriminator?: { propertyName?: string; mapping: Record<string, string> };
  /** The single value of a `const` (wrapped, since the value may be anything), when the schema has one. */
  constValue?: { value: unknown };
  /** `x-extensible-enum` values: documented values that may grow, never shrink. */
  extensible?: unknown[];
  /** 3.1 tuple positions. */
  prefixItems?: Slot[];
  /** Validation keywords compared as a whole (not, if/then/else, contains, dependentRequired, …), by name. */
  applicators: Map<string, { value: unknown; ptr: string }>;
  /** Pointer of the object that defines each keyword, for finding locations. */
  origin: Map<string, string>;
}

/** The kind a comparison gives a property newly deprecated, until settleDeprecations (deprecation.ts) judges it. */
export type PendingDeprecation = 'property-newly-deprecated';

/** One difference inside a schema, relative to the schema compared. */
export interface SchemaChange {
  /** What changed, e.g. `max-length-decreased`: the schema rule id without its subject. */
  kind: SchemaChangeKind | PendingDeprecation;
  /** Property path below the compared schema: names, `[]` for array items, `*` for map values. */
  path: string[];
  detail: string;
  location: string;
  document: Side;
  /** For a property newly deprecated: the sunset it announces, judged against the policy by the caller. */
  sunset?: Sunset;
}

/** What the parts that compare operations ask of the schema comparer (compare.ts implements it). */
export interface SchemaComparison {
  /** All changes between the schema at `b` (base) and at `h` (head), as seen by `subject`. */
  compare(b: Slot, h: Slot, subject: Subject): SchemaChange[];
}
