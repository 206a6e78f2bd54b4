// Text → value, once per document. JSON.parse for JSON (the fastest parse there is; GitHub's 11 MB descriptions
// are JSON), js-yaml for YAML. Syntax errors carry the line and column the user has to look at.
import * as jsyaml from 'js-yaml';
import { CORE_SCHEMA, load, YAMLException, type Type } from 'js-yaml';
import type { Problem } from '../../../../shared/src/errors.js';

/**
 * YAML 1.2 core types plus merge keys: dates stay strings (a `2025-01-01` enum value or `x-sunset` must compare as
 * written, not as a Date), `<<: *anchor` still works as most OpenAPI tooling accepts it.
 */
// (@types/js-yaml does not declare the `types` export that js-yaml has.)
const SCHEMA = CORE_SCHEMA.extend({ implicit: [(jsyaml as unknown as { types: { merge: Type } }).types.merge] });

export type Format = 'json' | 'yaml';

/** Raised for text that does not parse; `problem` has the position. */
export class SyntaxProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
  }
}

/** Parses JSON or YAML text. JSON-looking text that JSON.parse rejects gets a YAML try (YAML is a superset). */
export function parseText(text: string, file: string): { value: unknown; format: Format } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/^\s*[{[]/.test(body)) {
    try {
      return { value: JSON.parse(body), format: 'json' };
    } catch (err) {
      try {
        return { value: parseYaml(body, file), format: 'yaml' };
      } catch {
        throw new SyntaxProblem(jsonProblem(body, err as Error, file));
      }
    }
  }
  return { value: parseYaml(body, file), format: 'yaml' };
}

/**
 * How many values a document may hold once its YAML aliases are expanded. js-yaml shares aliased objects rather than
 * copying them, but a value compared as a whole (an enum member, a `not` schema) is read expanded: a few lines of
 * nested aliases ("billion laughs") would be billions of values. The bound is far above what a
 * hand-written or generated description holds, and far below what would exhaust memory.
 */
export const MAX_EXPANDED_VALUES = 5_000_000;

function parseYaml(text: string, file: string): unknown {
  let value: unknown;
  try {
    // json: later duplicate keys win instead of failing, as JSON.parse and most OpenAPI tools behave.
    value = load(text, { schema: SCHEMA, json: true, filename: file });
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    const line = err.mark ? err.mark.line + 1 : undefined;
    const column = err.mark ? err.mark.column + 1 : undefined;
    throw new SyntaxProblem({ message: `YAML syntax error: ${err.reason}`, file, line, column });
  }
  if (text.includes('*') && expandedSize(value, MAX_EXPANDED_VALUES) > MAX_EXPANDED_VALUES) {
    throw new SyntaxProblem({
      message: `YAML aliases expand this document to more than ${MAX_EXPANDED_VALUES.toLocaleString('en')} maps and lists. Share schemas with $ref instead of nesting anchors (*alias) inside each other.`,
      file,
    });
  }
  return value;
}

/** Maps and lists in `root`, a shared one counted once per place it appears; stops counting past `limit`. */
export function expandedSize(root: unknown, limit: number): number {
  const size = new Map<object, number>();
  // Post-order without recursion: a node is sized after its children (a cycle counts once).
  const stack: [object, boolean][] = typeof root === 'object' && root !== null ? [[root, false]] : [];
  while (stack.length) {
    const [node, done] = stack.pop()!;
    const children = Object.values(node).filter((c): c is object => typeof c === 'object' && c !== null);
    if (done) {
      let n = 1;
      for (const c of children) n = Math.min(limit + 1, n + (size.get(c) ?? 1));
      size.set(node, n);
      continue;
    }
    if (size.has(node)) continue;
    size.set(node, 1); // in progress: a cycle back to it counts one
    stack.push([node, true]);
    for (const c of children) if (!size.has(c)) stack.push([c, false]);
  }
  return typeof root === 'object' && root !== null ? (size.get(root) ?? 1) : 1;
}

/** JSON.parse says "at position N" (Node 20) or also "(line L column C)" (Node 22+); report line:column either way. */
function jsonProblem(text: string, err: Error, file: string): Problem {
  const pos = /position (\d+)/.exec(err.message);
  const offset = pos ? Number(pos[1]) : /end of JSON input/i.test(err.message) ? text.length : undefined;
  const reason = err.message.replace(/\s*in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
  if (offset === undefined) return { message: `JSON syntax error: ${reason}`, file };
  const { line, column } = lineColumn(text, offset);
  return { message: `JSON syntax error: ${reason}`, file, line, column };
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
