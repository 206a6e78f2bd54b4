// GitLab's published CI/CD JSON schema (gitlab-org/gitlab app/assets/javascripts/editor/schema/ci.json), as the
// gitlab-ci-local package ships it: its bundle embeds the schema as an object literal, which is read from there rather
// than copied into this repository.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { ROOT } from './run-bundle.js';

const MARKER = '{$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml"';

/** The object literal that starts at `start`: braces counted outside string literals. */
function literalAt(text: string, start: number): string {
  let depth = 0;
  let quote = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unterminated schema literal');
}

/** GitLab's CI schema from gitlab-ci-local's bundle. */
export function gitlabCiSchema(): Record<string, unknown> {
  const bundle = readFileSync(join(ROOT, 'node_modules/gitlab-ci-local/dist/index.js'), 'utf8');
  const at = bundle.indexOf(MARKER);
  if (at === -1) throw new Error("gitlab-ci-local no longer embeds GitLab's CI schema in dist/index.js");
  // A plain object literal of strings, numbers, booleans and nested literals: evaluated, not executed code.
  return new Function(`return ${literalAt(bundle, at)};`)() as Record<string, unknown>;
}

/** Where `doc` (a parsed .gitlab-ci.yml) breaks GitLab's CI schema; empty when it follows it. */
let compiled: ReturnType<Ajv['compile']> | undefined;
export function gitlabCiProblems(doc: unknown): string[] {
  // Compiling the schema takes seconds: once per test file.
  const validate = (compiled ??= new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
    gitlabCiSchema(),
  ));
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
