// Swagger 2.0 → the OpenAPI 3.0 shape, so the comparison handles one shape. Only what changes meaning is converted:
// body/formData parameters → requestBody, produces/consumes → media types, definitions/parameters/responses →
// components, securityDefinitions → securitySchemes, host/basePath/schemes → servers, 2.0 schema quirks
// (`type: file`, `x-nullable`, string discriminator).
import { isObject, pointerSegments, resolvePointer } from './pointer.js';
import { walkObjects } from './walk.js';
import { EXTERNAL } from './bundle.js';

type Obj = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'default',
  'enum',
  'maximum',
  'exclusiveMaximum',
  'minimum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
];
const FORM_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded'];

const pick = (o: Obj, keys: string[]): Obj =>
  Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
const extensions = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([k]) => k.startsWith('x-')));
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/** Converts a parsed Swagger 2.0 document (already bundled) into a new OpenAPI 3.0-shaped root. */
export function convertSwagger2(src: Obj): Obj {
  const consumes = strings(src.consumes) ?? ['application/json'];
  const produces = strings(src.produces) ?? ['application/json'];
  const globalParams = isObject(src.parameters) ? src.parameters : {};
  const bodyNames = new Set(
    Object.entries(globalParams)
      .filter(([, p]) => isObject(p) && p.in === 'body')
      .map(([n]) => n),
  );
  const resolve = (v: unknown): Obj | undefined => {
    if (!isObject(v)) return undefined;
    if (typeof v.$ref !== 'string' || !v.$ref.startsWith('#')) return v;
    const target = resolvePointer(src, pointerSegments(v.$ref));
    return isObject(target) ? target : undefined;
  };

  const out: Obj = { openapi: '3.0.3' };
  for (const [k, v] of Object.entries(src)) {
    if (k === 'info' || k === 'tags' || k === 'externalDocs' || k === 'security' || k.startsWith('x-')) out[k] = v;
  }
  const servers = serversOf(src);
  if (servers) out.servers = servers;

  const paths: Obj = {};
  for (const [path, item] of Object.entries(isObject(src.paths) ? src.paths : {})) {
    if (!isObject(item)) {
      paths[path] = item;
      continue;
    }
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    const converted: Obj = {};
    for (const [k, v] of Object.entries(item)) {
      if (METHODS.includes(k) && isObject(v))
        converted[k] = convertOperation(v, shared, { consumes, produces, resolve, bodyNames });
      else if (k === 'parameters') {
        const own = shared.filter((p) => !isBodyOrForm(resolve(p)));
        if (own.length) converted.parameters = own.map((p) => convertParameterOrRef(inlineExternal(p, resolve)));
      } else converted[k] = v;
    }
    paths[path] = converted;
  }
  out.paths = paths;

  const components: Obj = {};
  if (isObject(src.definitions)) components.schemas = src.definitions;
  const params: Obj = {};
  const bodies: Obj = {};
  for (const [name, p] of Object.entries(globalParams)) {
    if (!isObject(p)) continue;
    if (p.in === 'body') bodies[name] = bodyOf(p, consumes);
    else if (p.in !== 'formData') params[name] = convertParameter(p);
  }
  if (Object.keys(params).length) components.parameters = params;
  if (Object.keys(bodies).length) components.requestBodies = bodies;
  if (isObject(src.responses)) {
    components.responses = Object.fromEntries(
      Object.entries(src.responses).map(([k, r]) => [k, convertResponse(r, produces)]),
    );
  }
  if (isObject(src.securityDefinitions)) {
    components.securitySchemes = Object.fromEntries(
      Object.entries(src.securityDefinitions).map(([k, s]) => [k, convertSecurity(s)]),
    );
  }
  if (Object.keys(components).length) out.components = components;
  fixSchemasAndRefs(out, bodyNames);
  return out;
}

interface OpContext {
  consumes: string[];
  produces: string[];
  resolve: (v: unknown) => Obj | undefined;
  bodyNames: Set<string>;
}

function isBodyOrForm(p: Obj | undefined): boolean {
  return p?.in === 'body' || p?.in === 'formData';
}

function convertOperation(op: Obj, shared: unknown[], ctx: OpContext): Obj {
  const consumes = strings(op.consumes) ?? ctx.consumes;
  const produces = strings(op.produces) ?? ctx.produces;
  const own = Array.isArray(op.parameters) ? op.parameters : [];
  // Operation parameters override path-level ones with the same name and location.
  const key = (p: unknown) => {
    const r = ctx.resolve(p);
    return r ? `${r.in}:${r.name}` : '';
  };
  const ownKeys = new Set(own.map(key));
  const all = [...shared.filter((p) => !ownKeys.has(key(p))), ...own];

  const out: Obj = {};
  for (const [k, v] of Object.entries(op)) {
    if (k === 'parameters' || k === 'consumes' || k === 'produces' || k === 'schemes' || k === 'responses') continue;
    out[k] = v;
  }
  const parameters = own
    .filter((p) => !isBodyOrForm(ctx.resolve(p)))
    .map((p) => convertParameterOrRef(inlineExternal(p, ctx.resolve)));
  if (parameters.length) out.parameters = parameters;

  const body = all.find((p) => ctx.resolve(p)?.in === 'body');
  const form = all.map((p) => ctx.resolve(p)).filter((p): p is Obj => p?.in === 'formData');
  if (body) {
    const ref = isObject(body) && typeof body.$ref === 'string' ? body.$ref : undefined;
    const name = ref?.startsWith('#/parameters/') ? ref.slice('#/parameters/'.length) : undefined;
    // A body parameter component becomes a requestBody component, unless the operation's own media types differ.
    out.requestBody =
      name && !op.consumes ? { $ref: `#/components/requestBodies/${name}` } : bodyOf(ctx.resolve(body)!, consumes);
  } else if (form.length) out.requestBody = formBody(form, consumes);
  if (op.responses !== undefined) {
    out.responses = isObject(op.responses)
      ? Object.fromEntries(
          Object.entries(op.responses).map(([k, r]) => [k, convertResponse(inlineExternal(r, ctx.resolve), produces)]),
        )
      : op.responses;
  }
  return out;
}

/**
 * A parameter or response in another file is still in the 2.0 shape (only the root's sections are converted as
 * components): it is converted where it is used instead.
 */
function inlineExternal(v: unknown, resolve: (v: unknown) => Obj | undefined): unknown {
  return isObject(v) && typeof v.$ref === 'string' && v.$ref.startsWith(`#/${EXTERNAL}/`) ? (resolve(v) ?? v) : v;
}

function convertParameterOrRef(p: unknown): unknown {
  // Refs are rewritten with all the others at the end.
  return isObject(p) && typeof p.$ref !== 'string' ? convertParameter(p) : p;
}

function convertParameter(p: Obj): Obj {
  const out: Obj = { ...extensions(p) };
  for (const k of ['name', 'in', 'description', 'required', 'allowEmptyValue', 'deprecated'])
    if (p[k] !== undefined) out[k] = p[k];
  out.schema = paramSchema(p);
  if (p.type === 'array') {
    const fmt = typeof p.collectionFormat === 'string' ? p.collectionFormat : 'csv';
    if (fmt === 'multi') Object.assign(out, { style: 'form', explode: true });
    else if (fmt === 'ssv') Object.assign(out, { style: 'spaceDelimited', explode: false });
    else if (fmt === 'pipes') Object.assign(out, { style: 'pipeDelimited', explode: false });
    else if (fmt === 'tsv') out['x-collection-format'] = 'tsv';
    else if (p.in === 'query' || p.in === 'formData') Object.assign(out, { style: 'form', explode: false });
    else Object.assign(out, { style: 'simple', explode: false });
  }
  return out;
}

/** The schema of a non-body parameter or header: its JSON-schema keywords, items converted the same way. */
function paramSchema(p: Obj): Obj {
  const schema = pick(p, SCHEMA_KEYS);
  if (isObject(schema.items)) schema.items = paramSchema(schema.items);
  if (schema.type === 'file') Object.assign(schema, { type: 'string', format: 'binary' });
  return schema;
}

function bodyOf(p: Obj, consumes: string[]): Obj {
  const out: Obj = { ...extensions(p) };
  if (p.description !== undefined) out.description = p.description;
  out.content = Object.fromEntries(consumes.map((mt) => [mt, p.schema === undefined ? {} : { schema: p.schema }]));
  if (p.required === true) out.required = true;
  return out;
}

function formBody(params: Obj[], consumes: string[]): Obj {
  const properties: Obj = {};
  const required: string[] = [];
  for (const p of params) {
    if (typeof p.name !== 'string') continue;
    properties[p.name] = { ...paramSchema(p), ...(p.description !== undefined ? { description: p.description } : {}) };
    if (p.required === true) required.push(p.name);
  }
  const schema: Obj = { type: 'object', properties, ...(required.length ? { required } : {}) };
  let types = consumes.filter((c) => FORM_TYPES.includes(c));
  if (!types.length)
    types = [params.some((p) => p.type === 'file') ? 'multipart/form-data' : 'application/x-www-form-urlencoded'];
  return {
    content: Object.fromEntries(types.map((mt) => [mt, { schema }])),
    ...(required.length ? { required: true } : {}),
  };
}

function convertResponse(r: unknown, produces: string[]): unknown {
  if (!isObject(r) || typeof r.$ref === 'string') return r;
  const out: Obj = { ...extensions(r), description: r.description ?? '' };
  if (isObject(r.headers)) {
    out.headers = Object.fromEntries(
      Object.entries(r.headers).map(([name, h]) => [
        name,
        isObject(h)
          ? {
              ...extensions(h),
              ...(h.description !== undefined ? { description: h.description } : {}),
              schema: paramSchema(h),
            }
          : h,
      ]),
    );
  }
  if (r.schema !== undefined) out.content = Object.fromEntries(produces.map((mt) => [mt, { schema: r.schema }]));
  return out;
}

const FLOWS: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
};

function convertSecurity(s: unknown): unknown {
  if (!isObject(s)) return s;
  const base: Obj = { ...extensions(s), ...(s.description !== undefined ? { description: s.description } : {}) };
  if (s.type === 'basic') return { ...base, type: 'http', scheme: 'basic' };
  if (s.type === 'apiKey') return { ...base, type: 'apiKey', name: s.name, in: s.in };
  if (s.type === 'oauth2') {
    const flow = FLOWS[String(s.flow)] ?? String(s.flow);
    return { ...base, type: 'oauth2', flows: { [flow]: pick(s, ['authorizationUrl', 'tokenUrl', 'scopes']) } };
  }
  return s;
}

function serversOf(src: Obj): Obj[] | undefined {
  const host = typeof src.host === 'string' ? src.host : '';
  const basePath = typeof src.basePath === 'string' ? src.basePath : '';
  if (!host) return basePath ? [{ url: basePath }] : undefined;
  const schemes = strings(src.schemes) ?? ['https'];
  return schemes.map((s) => ({ url: `${s}://${host}${basePath}` }));
}

/** One walk over the converted tree: 2.0 schema quirks and `$ref`s to the 2.0 sections. */
function fixSchemasAndRefs(root: Obj, bodyNames: Set<string>): void {
  walkObjects(root, (o) => {
    if (typeof o.$ref === 'string') o.$ref = rewriteRef(o.$ref, bodyNames);
    if (o.type === 'file') Object.assign(o, { type: 'string', format: 'binary' });
    if (o['x-nullable'] === true) {
      o.nullable = true;
      delete o['x-nullable'];
    }
    if (typeof o.discriminator === 'string') o.discriminator = { propertyName: o.discriminator };
  });
}

function rewriteRef(ref: string, bodyNames: Set<string>): string {
  if (ref.startsWith('#/definitions/')) return '#/components/schemas/' + ref.slice(14);
  if (ref.startsWith('#/responses/')) return '#/components/responses/' + ref.slice(12);
  if (ref.startsWith('#/parameters/')) {
    const name = ref.slice(13);
    return (bodyNames.has(name.split('/')[0]) ? '#/components/requestBodies/' : '#/components/parameters/') + name;
  }
  return ref;
}
