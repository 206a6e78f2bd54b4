// Loads one side of the comparison: reads the source, parses it once, checks it is OpenAPI, bundles refs into other
// files, converts Swagger 2.0, and keeps what is needed to turn a pointer back into a file and line.
import { ConfigError } from '../../../../shared/src/errors.js';
import { redactUrl } from '../../../../shared/src/http/url-secrets.js';
import type { OpenApiDoc } from '../model.js';
import { bundle, type LoadedFile } from './bundle.js';
import { localRoots } from './contain.js';
import { DocumentLocator } from './locate.js';
import { isObject } from './pointer.js';
import { displayName, parseLocation, readLocation, type Location } from './source.js';
import { convertSwagger2 } from './swagger2.js';

export type { SourceLocation } from './locate.js';
export { DocumentLocator };

export interface LoadOptions {
  /** Where relative paths and git run. */
  cwd: string;
  /** Follow `$ref`s outside the document's own place (another origin, outside the workspace or git tree). */
  allowExternalRefs: boolean;
  /** Time limit of one HTTP request. */
  timeoutMs?: number;
}

/** A loaded document with the means to locate findings in its files. */
export interface LoadedDocument {
  doc: OpenApiDoc;
  locator: DocumentLocator;
  /** The root file first, then every file its refs brought in. */
  files: LoadedFile[];
  location: Location;
}

/**
 * Loads the document an input names. Every problem is a ConfigError that starts with the input and its value, so
 * the user knows which side to fix: a missing file, an unreachable URL, an unknown git ref, a syntax error (with
 * line:column), a document that is not OpenAPI, a remote ref that is not allowed.
 */
export async function loadDocument(input: string, spec: string, opts: LoadOptions): Promise<LoadedDocument> {
  const fail = (err: unknown): never => {
    if (err instanceof ConfigError)
      throw new ConfigError(`Input '${input}' is '${spec}': ${err.message}`, err.problems);
    throw err;
  };
  const location = parseLocation(spec, opts.cwd);
  if (typeof location === 'string') return fail(new ConfigError(location));
  try {
    const read = (loc: Location) => readFile(loc, opts);
    const root = await read(location);
    const version = detectVersion(root.value, root.name);
    const externals = await bundle(root, {
      allowRemote: opts.allowExternalRefs,
      roots: localRoots(root.loc, opts.cwd),
      read,
    });
    const value = root.value as Record<string, unknown>;
    const converted = version === '2.0' ? convertSwagger2(value) : value;
    return {
      // The source is what reports and comments show: never the credentials a URL may carry.
      doc: { version, root: converted, source: redactUrl(spec) },
      // The yaml package (positions) is a chunk of its own in the bundle: read only when a file needs it.
      locator: new DocumentLocator(
        root,
        externals,
        version === '2.0',
        [root, ...externals].some((f) => f.format === 'yaml')
          ? (await import('../../../../shared/src/yaml/package.js')).yamlPackage
          : undefined,
      ),
      files: [root, ...externals],
      location,
    };
  } catch (err) {
    return fail(err);
  }
}

async function readFile(at: Location, opts: LoadOptions): Promise<LoadedFile> {
  const { text, loc } = await readLocation(at, { cwd: opts.cwd, timeoutMs: opts.timeoutMs });
  const name = displayName(loc, opts.cwd);
  // js-yaml is a chunk of its own in the bundle, so starting the step (or --help) does not read it.
  const { parseText, SyntaxProblem } = await import('./parse.js');
  try {
    const { value, format } = parseText(text, name);
    return { loc, name, text, format, value };
  } catch (err) {
    if (!(err instanceof SyntaxProblem)) throw err;
    const p = err.problem;
    const at = p.line ? `${name}:${p.line}${p.column ? `:${p.column}` : ''}` : name;
    throw new ConfigError(`${at}: ${p.message}`, [p]);
  }
}

/** '2.0', '3.0' or '3.1' from the version field, or a ConfigError saying which field is missing or unsupported. */
export function detectVersion(value: unknown, name: string): OpenApiDoc['version'] {
  if (!isObject(value)) {
    const what = Array.isArray(value)
      ? 'a list'
      : value === null || value === undefined
        ? 'nothing'
        : `a ${typeof value}`;
    throw new ConfigError(
      `${name} is not an OpenAPI document: it holds ${what}, not a map with an 'openapi' (or 'swagger') field.`,
    );
  }
  if (value.openapi !== undefined) {
    const v = String(value.openapi);
    if (/^3\.0(\.\d+)?(-.*)?$/.test(v)) return '3.0';
    // 3.2 only adds to 3.1, so it is read as 3.1.
    if (/^3\.[12](\.\d+)?(-.*)?$/.test(v)) return '3.1';
    throw new ConfigError(
      `${name}: the 'openapi' field is '${v}', which is not supported. Shipgate reads OpenAPI 3.0.x and 3.1.x, and Swagger 2.0.`,
    );
  }
  if (value.swagger !== undefined) {
    if (String(value.swagger) === '2.0' || value.swagger === 2) return '2.0';
    throw new ConfigError(
      `${name}: the 'swagger' field is '${String(value.swagger)}', which is not supported: the only Swagger version is '2.0'.`,
    );
  }
  throw new ConfigError(
    `${name} is not an OpenAPI document: it has no 'openapi' field (OpenAPI 3.x, e.g. openapi: 3.0.3) and no 'swagger' field (Swagger 2.0).`,
  );
}
