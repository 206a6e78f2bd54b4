// The schema rules, one table per direction, because the same change (say, maxLength lowered) is checked in several
// places: request parameters, request bodies, response bodies and response headers. Each row is a rule per subject
// (`request-property-max-length-decreased`); rules.ts joins these to the structure rules and says how severities
// were chosen.

/** error = breaking, warning = may break some clients, info = compatible change. */
export type Severity = 'error' | 'warning' | 'info';

/** What the catalog says of one rule (also feeds SARIF rule metadata and the README list). */
export interface CatalogEntry<Id extends string> {
  id: Id;
  severity: Severity;
  /** Short title, e.g. "Required request parameter added". */
  title: string;
  /** True when the change adds something to the API (drives suggested-bump `minor`). */
  addition?: boolean;
}

/** Where a schema sits: the prefix of the schema rules reported for it. */
export type Subject = 'request-parameter' | 'request-property' | 'response-property' | 'response-header';

interface SchemaKind {
  kind: string;
  severity: Severity;
  title: string;
  addition?: boolean;
  /** Also reported for a parameter (request) or a response header (response), not only for bodies. */
  scalar?: boolean;
}

// A body property deprecated (both directions), judged against the deprecation policy like operations.
const PROPERTY_DEPRECATION = [
  { kind: 'deprecated', severity: 'info', title: 'property deprecated' },
  {
    kind: 'deprecated-sunset-missing',
    severity: 'error',
    title: 'property deprecated without an x-sunset date while the policy asks for days of notice',
  },
  {
    kind: 'deprecated-sunset-invalid',
    severity: 'error',
    title: 'property deprecated with an x-sunset date that cannot be read',
  },
  {
    kind: 'sunset-date-too-small',
    severity: 'error',
    title: 'property deprecated with a sunset date closer than the policy allows (or already past)',
  },
] as const satisfies readonly SchemaKind[];

// Request direction: narrowing what a client may send breaks it; widening is an addition.
const REQUEST_KINDS = [
  {
    kind: 'type-changed',
    severity: 'error',
    title: 'type changed to one that rejects values clients send',
    scalar: true,
  },
  { kind: 'type-widened', severity: 'info', title: 'type widened (accepts more values)', addition: true, scalar: true },
  { kind: 'format-changed', severity: 'error', title: 'format added or changed', scalar: true },
  { kind: 'format-widened', severity: 'info', title: 'format removed or widened', addition: true, scalar: true },
  { kind: 'became-not-nullable', severity: 'error', title: 'no longer accepts null', scalar: true },
  { kind: 'became-nullable', severity: 'info', title: 'now accepts null', addition: true, scalar: true },
  { kind: 'enum-value-removed', severity: 'error', title: 'enum value removed', scalar: true },
  { kind: 'enum-value-added', severity: 'info', title: 'enum value added', addition: true, scalar: true },
  { kind: 'became-enum', severity: 'error', title: 'restricted to an enum (or const)', scalar: true },
  { kind: 'max-length-decreased', severity: 'error', title: 'maxLength added or lowered', scalar: true },
  { kind: 'min-length-increased', severity: 'error', title: 'minLength added or raised', scalar: true },
  { kind: 'max-decreased', severity: 'error', title: 'maximum added or lowered', scalar: true },
  { kind: 'min-increased', severity: 'error', title: 'minimum added or raised', scalar: true },
  { kind: 'max-items-decreased', severity: 'error', title: 'maxItems added or lowered', scalar: true },
  { kind: 'min-items-increased', severity: 'error', title: 'minItems added or raised', scalar: true },
  { kind: 'max-properties-decreased', severity: 'error', title: 'maxProperties added or lowered' },
  { kind: 'min-properties-increased', severity: 'error', title: 'minProperties added or raised' },
  { kind: 'pattern-added', severity: 'error', title: 'pattern added', scalar: true },
  { kind: 'pattern-changed', severity: 'warning', title: 'pattern changed (cannot tell if narrower)', scalar: true },
  { kind: 'multiple-of-changed', severity: 'error', title: 'multipleOf added or changed incompatibly', scalar: true },
  { kind: 'unique-items-added', severity: 'error', title: 'uniqueItems required', scalar: true },
  {
    kind: 'constraint-relaxed',
    severity: 'info',
    title: 'constraint relaxed (accepts more values)',
    addition: true,
    scalar: true,
  },
  { kind: 'additional-properties-closed', severity: 'error', title: 'additionalProperties closed or restricted' },
  {
    kind: 'property-removed',
    severity: 'warning',
    title: 'property removed (clients still sending it may be rejected)',
  },
  { kind: 'new-required-property', severity: 'error', title: 'new required property' },
  { kind: 'new-optional-property', severity: 'info', title: 'new optional property', addition: true },
  { kind: 'became-required', severity: 'error', title: 'property became required' },
  { kind: 'became-optional', severity: 'info', title: 'property became optional', addition: true },
  { kind: 'one-of-branch-removed', severity: 'error', title: 'oneOf alternative removed' },
  { kind: 'one-of-branch-added', severity: 'info', title: 'oneOf alternative added', addition: true },
  { kind: 'any-of-branch-removed', severity: 'error', title: 'anyOf alternative removed' },
  { kind: 'any-of-branch-added', severity: 'info', title: 'anyOf alternative added', addition: true },
  { kind: 'discriminator-changed', severity: 'warning', title: 'discriminator property or mapping changed' },
  {
    kind: 'keyword-added',
    severity: 'error',
    title: 'validation keyword added (not, if/then/else, contains, dependentRequired, propertyNames, …)',
  },
  {
    kind: 'keyword-changed',
    severity: 'warning',
    title: 'validation keyword changed (not, if/then/else, contains, …): cannot tell if narrower',
  },
  { kind: 'content-type-changed', severity: 'error', title: 'contentMediaType or contentEncoding changed' },
  { kind: 'prefix-items-removed', severity: 'error', title: 'tuple position (prefixItems) removed' },
  { kind: 'prefix-items-added', severity: 'info', title: 'tuple position (prefixItems) added' },
  { kind: 'min-contains-increased', severity: 'error', title: 'minContains raised (more matching items required)' },
  { kind: 'max-contains-decreased', severity: 'error', title: 'maxContains lowered (fewer matching items allowed)' },
  { kind: 'dependent-required-changed', severity: 'error', title: 'dependentRequired entry changed' },
  { kind: 'became-not-read-only', severity: 'info', title: 'property no longer readOnly (clients may send it)' },
  ...PROPERTY_DEPRECATION,
] as const satisfies readonly SchemaKind[];

// Response direction: widening what a server may return breaks clients; narrowing is safe.
const RESPONSE_KINDS = [
  { kind: 'type-changed', severity: 'error', title: 'type changed or widened', scalar: true },
  { kind: 'type-narrowed', severity: 'info', title: 'type narrowed (returns a subset)', scalar: true },
  { kind: 'format-changed', severity: 'error', title: 'format removed or changed', scalar: true },
  { kind: 'format-narrowed', severity: 'info', title: 'format added or narrowed', scalar: true },
  { kind: 'became-nullable', severity: 'error', title: 'may now be null', scalar: true },
  { kind: 'became-not-nullable', severity: 'info', title: 'no longer null', scalar: true },
  {
    kind: 'enum-value-added',
    severity: 'warning',
    title: 'enum value added (or enum removed): clients may get values they do not handle',
    scalar: true,
  },
  { kind: 'enum-value-removed', severity: 'info', title: 'enum value removed', scalar: true },
  { kind: 'max-length-increased', severity: 'error', title: 'maxLength raised or removed', scalar: true },
  { kind: 'min-length-decreased', severity: 'error', title: 'minLength lowered or removed', scalar: true },
  { kind: 'max-increased', severity: 'error', title: 'maximum raised or removed', scalar: true },
  { kind: 'min-decreased', severity: 'error', title: 'minimum lowered or removed', scalar: true },
  { kind: 'max-items-increased', severity: 'error', title: 'maxItems raised or removed' },
  { kind: 'min-items-decreased', severity: 'error', title: 'minItems lowered or removed' },
  { kind: 'max-properties-increased', severity: 'error', title: 'maxProperties raised or removed' },
  { kind: 'min-properties-decreased', severity: 'error', title: 'minProperties lowered or removed' },
  {
    kind: 'pattern-removed',
    severity: 'info',
    title: 'pattern removed (values are not validated against one)',
    scalar: true,
  },
  { kind: 'pattern-changed', severity: 'info', title: 'pattern changed', scalar: true },
  { kind: 'multiple-of-changed', severity: 'error', title: 'multipleOf removed or changed incompatibly', scalar: true },
  { kind: 'unique-items-removed', severity: 'error', title: 'uniqueItems no longer guaranteed' },
  { kind: 'constraint-tightened', severity: 'info', title: 'constraint tightened (returns a subset)', scalar: true },
  { kind: 'required-property-removed', severity: 'error', title: 'required property removed' },
  { kind: 'optional-property-removed', severity: 'warning', title: 'optional property removed' },
  { kind: 'became-optional', severity: 'error', title: 'property became optional (may be missing)' },
  { kind: 'became-required', severity: 'info', title: 'property became required' },
  { kind: 'property-added', severity: 'info', title: 'property added', addition: true },
  {
    kind: 'one-of-branch-added',
    severity: 'error',
    title: 'oneOf alternative added: clients may get a shape they do not handle',
  },
  { kind: 'one-of-branch-removed', severity: 'info', title: 'oneOf alternative removed' },
  {
    kind: 'any-of-branch-added',
    severity: 'info',
    title: 'anyOf alternative added (every earlier shape still matches)',
  },
  { kind: 'any-of-branch-removed', severity: 'info', title: 'anyOf alternative removed' },
  { kind: 'discriminator-changed', severity: 'warning', title: 'discriminator property or mapping changed' },
  {
    kind: 'keyword-removed',
    severity: 'error',
    title: 'validation keyword removed (not, if/then/else, contains, dependentRequired, propertyNames, …)',
  },
  {
    kind: 'keyword-changed',
    severity: 'warning',
    title: 'validation keyword changed (not, if/then/else, contains, …): cannot tell if wider',
  },
  { kind: 'content-type-changed', severity: 'error', title: 'contentMediaType or contentEncoding changed' },
  { kind: 'const-changed', severity: 'error', title: 'const removed or changed (clients rely on the fixed value)' },
  {
    kind: 'prefix-items-added',
    severity: 'error',
    title: 'tuple position (prefixItems) added: readers get a new shape',
  },
  { kind: 'prefix-items-removed', severity: 'info', title: 'tuple position (prefixItems) removed' },
  { kind: 'min-contains-decreased', severity: 'error', title: 'minContains lowered (fewer matching items guaranteed)' },
  { kind: 'max-contains-increased', severity: 'error', title: 'maxContains raised (more matching items possible)' },
  { kind: 'dependent-required-changed', severity: 'error', title: 'dependentRequired entry changed' },
  ...PROPERTY_DEPRECATION,
] as const satisfies readonly SchemaKind[];

const SUBJECT_TITLE: Record<Subject, string> = {
  'request-parameter': 'Request parameter',
  'request-property': 'Request body',
  'response-property': 'Response body',
  'response-header': 'Response header',
};

function schemaRules(
  subject: Subject,
  kinds: readonly SchemaKind[],
  scalarOnly: boolean,
): CatalogEntry<SchemaRuleId>[] {
  return kinds
    .filter((k) => !scalarOnly || k.scalar)
    .map((k) => ({
      // The same concatenation as the SchemaRuleId type spells out.
      id: `${subject}-${k.kind}` as SchemaRuleId,
      severity: k.severity,
      title: `${SUBJECT_TITLE[subject]}: ${k.title}`,
      ...(k.addition ? { addition: true } : {}),
    }));
}

type KindOf<T extends readonly SchemaKind[]> = T[number]['kind'];
type ScalarKindOf<T extends readonly SchemaKind[]> = Extract<T[number], { scalar: true }>['kind'];

/** The kind of a schema change (`SchemaChange.kind`): the part of a schema rule id after its subject. */
export type SchemaChangeKind = KindOf<typeof REQUEST_KINDS> | KindOf<typeof RESPONSE_KINDS>;

/** The ids schemaRules() makes: parameters and headers have the scalar kinds only. */
export type SchemaRuleId =
  | `request-parameter-${ScalarKindOf<typeof REQUEST_KINDS>}`
  | `request-property-${KindOf<typeof REQUEST_KINDS>}`
  | `response-property-${KindOf<typeof RESPONSE_KINDS>}`
  | `response-header-${ScalarKindOf<typeof RESPONSE_KINDS>}`;

/** Every schema rule, for each subject. */
export const SCHEMA_RULES: readonly CatalogEntry<SchemaRuleId>[] = [
  ...schemaRules('request-parameter', REQUEST_KINDS, true),
  ...schemaRules('request-property', REQUEST_KINDS, false),
  ...schemaRules('response-property', RESPONSE_KINDS, false),
  ...schemaRules('response-header', RESPONSE_KINDS, true),
];
