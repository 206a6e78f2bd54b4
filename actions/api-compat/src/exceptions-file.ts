// Reading and checking the exceptions file (see exceptions.ts for what an entry does). Every problem is reported at
// once with its line.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as YAML from 'yaml';
import { ConfigError, configError, type Problem } from '../../../shared/src/errors.js';
import { globToRegExp } from '../../../shared/src/graph/glob.js';
import { closest } from '../../../shared/src/text.js';
import { yamlLocator } from '../../../shared/src/yaml/locate.js';
import type { ExceptionEntry, ExceptionsFile } from './exceptions.js';

const FIELDS = ['rule', 'method', 'path', 'reason', 'expires'];
const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE', '*']);

/** Reads and checks the file; every problem is reported at once with its line (exit 2), odd but usable entries as warnings. */
export function loadExceptions(
  input: string,
  cwd: string,
  knownRules: readonly string[],
): { exceptions: ExceptionsFile; warnings: Problem[] } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, input), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `Input 'exceptions' is '${input}': ${code === 'ENOENT' ? 'no such file. Create it or leave the input empty.' : `cannot read it (${code}).`}`,
    );
  }
  return parseExceptions(text, input, knownRules);
}

export function parseExceptions(
  text: string,
  file: string,
  knownRules: readonly string[],
): { exceptions: ExceptionsFile; warnings: Problem[] } {
  const lc = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    throw configError(
      doc.errors.map((e) => ({
        message: `YAML syntax error: ${e.message.split('\n')[0]}`,
        file,
        line: lc.linePos(e.pos[0]).line,
        column: lc.linePos(e.pos[0]).col,
      })),
    );
  }
  const root = doc.toJS() as unknown;
  const lineOf = yamlLocator(text, YAML);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const list = Array.isArray(root)
    ? root
    : isMap(root) && Array.isArray(root.exceptions)
      ? root.exceptions
      : root == null
        ? []
        : undefined;
  const prefix = Array.isArray(root) ? [] : ['exceptions'];
  if (!list) {
    throw configError([
      {
        message:
          "Expected a list of entries under 'exceptions:' (each with rule, reason, and optionally method, path, expires).",
        file,
        line: 1,
      },
    ]);
  }
  const entries: ExceptionEntry[] = [];
  list.forEach((raw: unknown, i: number) => {
    const line = lineOf([...prefix, i]);
    const at = (key: string | undefined, message: string): Problem => ({
      message: `Exception ${i + 1}: ${message}`,
      file,
      line: key ? lineOf([...prefix, i, key]) : line,
    });
    if (!isMap(raw))
      return void problems.push(at(undefined, 'must be a map with rule, reason and optionally method, path, expires.'));
    for (const key of Object.keys(raw)) {
      if (!FIELDS.includes(key)) {
        const near = closest(key, FIELDS);
        warnings.push(at(key, `unknown field '${key}' is ignored.${near ? ` Did you mean '${near}'?` : ''}`));
      }
    }
    const { rule, method, path, reason, expires } = raw;
    const before = problems.length;
    if (typeof rule !== 'string' || !rule.trim())
      problems.push(at('rule', "'rule' is required: a rule id such as api-operation-removed, or * for any."));
    else if (rule !== '*' && knownRules.length && !knownRules.includes(rule)) {
      const near = closest(rule, knownRules);
      warnings.push(
        at(
          'rule',
          `rule '${rule}' is not a known rule id, so it matches nothing.${near ? ` Did you mean '${near}'?` : ''}`,
        ),
      );
    }
    if (typeof reason !== 'string' || !reason.trim())
      problems.push(at('reason', "'reason' is required: say why the change is accepted."));
    if (method !== undefined && (typeof method !== 'string' || !METHODS.has(method.toUpperCase()))) {
      problems.push(
        at('method', `'method' is '${String(method)}'. Expected an HTTP method such as GET or DELETE, or *.`),
      );
    }
    if (path !== undefined && (typeof path !== 'string' || !path.trim()))
      problems.push(at('path', "'path' must be a path or glob such as /users/** ."));
    let until: number | undefined;
    if (expires !== undefined) {
      until = expiryOf(String(expires));
      if (until === undefined)
        problems.push(at('expires', `'expires' is '${String(expires)}'. Expected a date such as 2026-03-31.`));
    }
    if (problems.length > before) return;
    const m = method === undefined || method === '*' ? undefined : String(method).toUpperCase();
    const p = path === undefined ? undefined : String(path).trim();
    const re = p === undefined ? undefined : pathGlob(p);
    entries.push({
      rule: String(rule),
      method: m,
      path: p,
      reason: String(reason).trim(),
      expires: expires === undefined ? undefined : String(expires),
      until,
      line,
      match: (f) =>
        (rule === '*' || f.rule === rule) &&
        (m === undefined || f.method?.toUpperCase() === m) &&
        (re === undefined || (f.path !== undefined && re.test(templateForm(f.path)))),
    });
  });
  // A misspelt field often explains a missing one: list the warnings with the problems.
  if (problems.length) throw configError([...problems, ...warnings]);
  return { exceptions: { file, entries }, warnings };
}

/** A date is valid through its whole day (UTC); a date-time until that moment. */
function expiryOf(text: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const t = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(t) ? undefined : t + 24 * 3600 * 1000;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * The shared glob, with two differences paths need: `{id}` is a path parameter, not an alternative (both sides are
 * rewritten to `:id`), and a pattern matches the path itself, not everything below it (that is what `/**` is for).
 */
function pathGlob(pattern: string): RegExp {
  const re = globToRegExp(templateForm(pattern));
  // RegExp.source writes '/' as '\/'.
  return new RegExp(re.source.replace(/\(\?:\\?\/\.\*\)\?\$$/, '$'));
}

function templateForm(path: string): string {
  return path.replace(/\{([^{},]*)\}/g, ':$1');
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
