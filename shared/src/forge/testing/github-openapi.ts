// GitHub's published OpenAPI description (@octokit/openapi) and a small checker the in-process GitHub routes are held to.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, where node_modules holds the published OpenAPI description. */
const ROOT = new URL('../../../..', import.meta.url).pathname;

/** GitHub's published OpenAPI description, as @octokit/openapi ships it. */
export function githubSpec(): GitHubSpec {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules/@octokit/openapi/generated/api.github.com.json'), 'utf8'));
}

export type GitHubSpec = {
  paths: Record<string, Record<string, any>>;
  components: Record<string, Record<string, any>>;
};
type Schema = {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  nullable?: boolean;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};

/** Where `value` breaks `schema` of `spec`: missing required properties, properties GitHub does not have, wrong types. */
export function schemaProblems(spec: GitHubSpec, value: unknown, schema: Schema, at: string): string[] {
  const s: Schema = schema.$ref
    ? schema.$ref
        .split('/')
        .slice(1)
        .reduce((o: any, k) => o[k], spec)
    : schema;
  if (s.$ref) return schemaProblems(spec, value, s, at);
  if (value === null) return s.nullable || s.type === 'null' ? [] : [`${at} is null`];
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives)
    return alternatives.some((alt) => schemaProblems(spec, value, alt, at).length === 0)
      ? []
      : [`${at} matches none of the alternatives`];
  if (s.allOf) return s.allOf.flatMap((part) => schemaProblems(spec, value, part, at));
  if (s.type === 'object' || s.properties) {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${at} is not an object`];
    const obj = value as Record<string, unknown>;
    return [
      ...(s.required ?? []).filter((k) => !(k in obj)).map((k) => `${at}.${k} is missing`),
      ...Object.entries(obj).flatMap(([k, v]) =>
        s.properties?.[k]
          ? schemaProblems(spec, v, s.properties[k], `${at}.${k}`)
          : s.properties
            ? [`${at}.${k} is not in the schema`]
            : [],
      ),
    ];
  }
  if (s.type === 'array')
    return Array.isArray(value)
      ? value.flatMap((v, i) => schemaProblems(spec, v, s.items ?? {}, `${at}[${i}]`))
      : [`${at} is not an array`];
  const js = s.type === 'integer' ? 'number' : s.type;
  return js && typeof value !== js ? [`${at} is ${typeof value}, not ${s.type}`] : [];
}
