// The rule catalog: every rule id a finding can carry, with its severity and title: the structure rules below and
// the schema rules, generated from one table per direction (schema-rules.ts).
//
// Severities follow the reference classification (the leading Go checker's rule levels): narrowing a request or
// widening a response is an error, an undecidable change a warning; held-out pairs labelled from its documentation
// are scored by bench/api-compat-corpus.ts. Deliberate deviations, and the rule id to list in an exceptions file
// where this step is stricter (an exception downgrades the finding to info, which is the reference's verdict):
//
// | change                                        | here    | there | why                                  | rule id here           |
// |-----------------------------------------------|---------|-------|--------------------------------------|------------------------|
// | security requirement added to an open         | error   | info  | clients without credentials are      | security-requirement-  |
// |   operation, or a new global requirement      |         |       | refused                              |   added                |
// | OAuth/OpenID scope added                      | error   | info  | tokens without the scope are refused | security-scope-added   |
// | security alternative removed                  | error   | info  | clients using it are refused         | security-requirement-  |
// |                                               |         |       |                                      |   removed              |
// | security scheme in use removed, or its type / | error   | info  | an API key sent to a bearer scheme   | security-scheme-removed|
// |   location / name changed                     |         |       | is refused                           | security-scheme-type-  |
// |                                               |         |       |                                      |   changed              |
// | request maxLength/maximum/minimum/minItems    | error   | warn  | it rejects values that were valid    | request-*-max-length-  |
// |   set where none was                          |         |       |                                      |   decreased, -max-…    |
// | path-level parameter constraint changed       | error   | -     | applies to every operation of the    | request-parameter-*    |
// |                                               |         |       | path; the reference skips it         |                        |
// | request body wrapped into a oneOf whose       | info    | error | every old body is still valid        | (none: stricter there) |
// |   alternatives include the old schema         |         |       |                                      |                        |
// | request allOf part that only adds optional    | info    | error | judged by what the merged schema     | (none: stricter there) |
// |   properties                                  |         |       | accepts: optional properties reject  |                        |
// |                                               |         |       | nothing                              |                        |
// | response media type `type/*` → a concrete one | info    | error | a concrete type is a subset of the   | (none: stricter there) |
// |                                               |         |       | wildcard clients accepted            |                        |
// | request media type renamed to a suffixed one  | error   | -     | a server that only takes the new     | request-body-media-    |
// |   (application/json → application/x+json)     |         |       | name answers 415 to the old one      |   type-removed         |
// | server URL or base path changed               | warning | info  | a moved base path deserves a look    | server-base-path-      |
// |                                               |         |       |                                      |   changed, server-     |
// |                                               |         |       |                                      |   removed              |
// | operationId changed or removed                | warning | info  | generated clients change names       | api-operation-id-      |
// |                                               |         |       |                                      |   changed              |
// | discriminator property or mapping changed     | warning | info  | clients dispatching on it may break  | *-discriminator-changed|
// | x-stability-level that cannot be read         | error   | error | reported when head sets or changes   | api-invalid-stability- |
// |                                               | once    | each  | it, not on every later run           |   level                |
// |                                               |         | run   |                                      |                        |
// | sunset announced by x-sunset-date,            | read    | -     | the same announcement in other       | (the same rules)       |
// |   x-api-sunset, sunset or a Sunset header     |         |       | spellings (RFC 8594 for the header)  |                        |
//
// The deprecation policy follows the reference's rule ids (api-deprecated-sunset-parse, api-deprecated-sunset-missing,
// api-sunset-date-too-small, api-sunset-date-changed-too-small, sunset-deleted, api-invalid-stability-level and their
// request-parameter-* counterparts); days of notice per level are inputs, 0 by default as there (see deprecation.ts).
import { type CatalogEntry, SCHEMA_RULES, type SchemaRuleId, type Severity, type Subject } from './schema-rules.js';

export type { CatalogEntry, SchemaChangeKind, Severity, Subject } from './schema-rules.js';

/** What the catalog says of each rule. */
export type RuleInfo = CatalogEntry<RuleId>;

// `const Id` keeps each id's literal type, so the list below is also the type of the structure rule ids.
const r = <const Id extends string>(id: Id, severity: Severity, title: string, addition = false): CatalogEntry<Id> =>
  addition ? { id, severity, title, addition } : { id, severity, title };

const STRUCTURE_RULES = [
  // Paths and operations
  r('api-path-removed', 'error', 'Path removed (every operation under it)'),
  r('api-operation-removed', 'error', 'Operation removed'),
  r('api-removed-after-deprecation', 'warning', 'Path or operation removed after it was deprecated'),
  r('api-removed-before-sunset', 'error', 'Path or operation removed before its announced sunset date'),
  r('api-removed-after-sunset', 'info', 'Path or operation removed after its sunset date (allowed)'),
  r('api-operation-added', 'info', 'Operation added', true),
  r('api-operation-id-changed', 'warning', 'operationId changed or removed (breaks generated clients)'),
  r('api-operation-deprecated', 'info', 'Operation deprecated'),
  r('api-deprecated-sunset-parse', 'error', 'Operation deprecated with an x-sunset date that cannot be read'),
  r(
    'api-deprecated-sunset-missing',
    'error',
    'Operation deprecated without an x-sunset date while the policy asks for days of notice',
  ),
  r(
    'api-sunset-date-too-small',
    'error',
    'Operation deprecated with a sunset date closer than the policy allows (or already past)',
  ),
  r(
    'api-sunset-date-changed-too-small',
    'error',
    'Sunset date of a deprecated operation moved earlier than the policy allows',
  ),
  r('sunset-deleted', 'error', 'Sunset date removed from an operation that is still deprecated'),
  r('api-invalid-stability-level', 'error', 'x-stability-level is not one of draft, alpha, beta, stable'),
  r('api-stability-decreased', 'error', 'x-stability-level lowered (e.g. stable → beta): the operation promises less'),
  r('api-removed-while-unstable', 'info', 'Draft or alpha operation removed (x-stability-level: it promised nothing)'),
  r('api-unstable-operation-changed', 'info', 'Breaking change in a draft or alpha operation (reported, not gated)'),
  // Webhooks (OpenAPI 3.1): requests the API sends to its clients
  r('webhook-removed', 'error', 'Webhook removed: receivers relying on it get nothing'),
  r('webhook-added', 'info', 'Webhook added', true),
  // Parameters
  r('request-parameter-added-required', 'error', 'New required request parameter'),
  r('request-parameter-added-optional', 'info', 'New optional request parameter', true),
  r('request-parameter-removed', 'warning', 'Request parameter removed (clients still sending it may be rejected)'),
  r('request-parameter-removed-after-deprecation', 'info', 'Deprecated request parameter removed'),
  r(
    'request-parameter-removed-before-sunset',
    'error',
    'Deprecated request parameter removed before its sunset date (or with one that cannot be read)',
  ),
  r('request-parameter-became-required', 'error', 'Optional request parameter became required'),
  r('request-parameter-became-optional', 'info', 'Required request parameter became optional', true),
  r(
    'request-parameter-location-changed',
    'error',
    'Request parameter moved to another location (query, header, path, cookie)',
  ),
  r('request-parameter-style-changed', 'error', 'Request parameter serialisation (style or explode) changed'),
  r('request-parameter-default-changed', 'error', 'Default of an optional request parameter added, changed or removed'),
  r('request-parameter-deprecated', 'info', 'Request parameter deprecated'),
  r(
    'request-parameter-sunset-parse',
    'error',
    'Request parameter deprecated with an x-sunset date that cannot be read',
  ),
  r(
    'request-parameter-deprecated-sunset-missing',
    'error',
    'Request parameter deprecated without an x-sunset date while the policy asks for days of notice',
  ),
  r(
    'request-parameter-sunset-date-too-small',
    'error',
    'Request parameter deprecated with a sunset date closer than the policy allows (or already past)',
  ),
  r(
    'request-parameter-sunset-date-changed-too-small',
    'error',
    'Sunset date of a deprecated request parameter moved earlier than the policy allows',
  ),
  r(
    'request-parameter-sunset-deleted',
    'error',
    'Sunset date removed from a request parameter that is still deprecated',
  ),
  // Request body
  r('request-body-added-required', 'error', 'Required request body added'),
  r('request-body-added-optional', 'info', 'Optional request body added', true),
  r('request-body-removed', 'error', 'Request body removed'),
  r('request-body-became-required', 'error', 'Request body became required'),
  r('request-body-became-optional', 'info', 'Request body became optional', true),
  r('request-body-media-type-removed', 'error', 'Request media type removed'),
  r('request-body-media-type-added', 'info', 'Request media type added', true),
  // Responses
  r('response-success-status-removed', 'error', 'Success (2xx) response status removed'),
  r('response-status-removed', 'info', 'Non-success response status removed'),
  r('response-status-added', 'info', 'Response status added', true),
  r('response-media-type-removed', 'error', 'Response media type removed'),
  r('response-media-type-added', 'info', 'Response media type added', true),
  r(
    'response-media-type-name-specialized',
    'info',
    'Response media type renamed to a more specific one (application/json → application/problem+json)',
  ),
  r('response-header-removed', 'error', 'Required response header removed'),
  r('response-optional-header-removed', 'warning', 'Optional response header removed'),
  r('response-header-became-optional', 'error', 'Response header became optional'),
  r('response-header-added', 'info', 'Response header added', true),
  // Security
  r(
    'security-requirement-added',
    'error',
    'New security requirement (operation or global): clients must now authenticate differently',
  ),
  r('security-requirement-removed', 'error', 'Security alternative removed: clients using it are refused'),
  r('security-removed', 'info', 'Security removed: the operation no longer requires authentication'),
  r('security-scope-added', 'error', 'OAuth/OpenID scope added to a security requirement'),
  r('security-scope-removed', 'info', 'Scope removed from a security requirement'),
  r('security-scheme-removed', 'error', 'Security scheme used by the API removed from components'),
  r('security-scheme-type-changed', 'error', 'Security scheme type, location, name or HTTP scheme changed'),
  r('security-scheme-flow-changed', 'warning', 'OAuth flow removed or its URLs changed'),
  // Servers: a warning, because clients usually configure the base URL themselves; it still deserves a look.
  r('server-removed', 'warning', 'Server removed (warning: clients usually configure the base URL)'),
  r(
    'server-base-path-changed',
    'warning',
    'Server base path changed (warning: clients usually configure the base URL)',
  ),
  r('server-added', 'info', 'Server added'),
];

/** Every rule id in the catalog: a misspelt id in code does not compile; ids read from files are checked with isRuleId. */
export type RuleId = (typeof STRUCTURE_RULES)[number]['id'] | SchemaRuleId;

export const RULES: readonly RuleInfo[] = [...STRUCTURE_RULES, ...SCHEMA_RULES];

export const RULE_BY_ID: ReadonlyMap<RuleId, RuleInfo> = new Map(RULES.map((rule) => [rule.id, rule]));

/** Whether a string read from outside the code (an exceptions file, a test fixture) is a rule id of the catalog. */
export function isRuleId(id: string): id is RuleId {
  return RULE_BY_ID.has(id as RuleId);
}

/** The rule id for a schema change: parameters and headers fall back to the body rule for nested object kinds. */
export function schemaRuleId(subject: Subject, kind: string): RuleId {
  const id = `${subject}-${kind}`;
  if (isRuleId(id)) return id;
  const fallback = subject.startsWith('request') ? `request-property-${kind}` : `response-property-${kind}`;
  if (isRuleId(fallback)) return fallback;
  throw new Error(`no rule for schema change ${kind} in ${subject}`);
}
