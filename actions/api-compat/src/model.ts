// The seam between loading documents (load/) and comparing them (diff/): what a loaded document looks like and what
// a comparison finds.

import type { RuleId, Severity } from './diff/rules.js';

export type { RuleId, RuleInfo, Severity } from './diff/rules.js';

/** One difference between base and head that a reviewer should know about. */
export interface Finding {
  /** Stable kebab-case rule id from the catalog (diff/rules.ts), e.g. `request-parameter-became-required`. */
  rule: RuleId;
  /** error = breaking, warning = may break some clients, info = compatible change. */
  severity: Severity;
  /** Upper-case HTTP method of the operation, when the finding is about one. */
  method?: string;
  /** Path template as written in the document (`/users/{id}`), when the finding is about a path or operation. */
  path?: string;
  /** JSON pointer into the head document (or the base document when the thing was removed), e.g. `#/paths/~1users/get/parameters/0`. */
  location: string;
  /** Which document `location` points into. */
  document: 'base' | 'head';
  /** One line a reviewer understands, naming the thing and the old → new value. */
  message: string;
}

/**
 * A parsed OpenAPI document ready to compare. The loader normalises it so the comparison handles one shape:
 * - Swagger 2.0 is converted to the OpenAPI 3.0 shape (body/formData parameters → requestBody, `produces`/`consumes` →
 *   content media types, definitions/parameters/responses → components, securityDefinitions → components.securitySchemes,
 *   host/basePath/schemes → servers); `version` stays '2.0' so messages can say so.
 * - Every `$ref` is local (`#/…`): refs into other files are bundled into the same root under
 *   `#/x-shipgate-external/<n>/…` and rewritten. Refs are NOT inlined, so circular schemas stay finite.
 */
export interface OpenApiDoc {
  /** '2.0', '3.0' or '3.1' (3.0.x → '3.0', 3.1.x → '3.1'). */
  version: '2.0' | '3.0' | '3.1';
  /** The whole normalised document. */
  root: Record<string, unknown>;
  /** Where it came from (file path, URL or git:<ref>:<path>), for messages. */
  source: string;
}
