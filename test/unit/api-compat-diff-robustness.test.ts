// "No crash on any document that parses": the engine fed odd but parseable documents, hand-picked ones and a few
// hundred seeded random mutations of the rule corpus. Every run must return findings of a valid shape, never throw.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { seededRandom } from '../../shared/src/random.js';
import { describe, expect, it } from 'vitest';
import { RULE_BY_ID, diffDocuments } from '../../actions/api-compat/src/diff/index.js';
import type { Finding, OpenApiDoc } from '../../actions/api-compat/src/model.js';

type Json = Record<string, any>;
const CORPUS = join(import.meta.dirname, '../fixtures/api-compat');

const doc = (root: unknown, version: OpenApiDoc['version'] = '3.0'): OpenApiDoc => ({
  version,
  root: root as Json,
  source: 'fuzz',
});

function checkShape(findings: Finding[]): void {
  expect(Array.isArray(findings)).toBe(true);
  for (const f of findings) {
    const rule = RULE_BY_ID.get(f.rule);
    expect(rule, f.rule).toBeDefined();
    expect(f.severity).toBe(rule!.severity);
    expect(f.location.startsWith('#')).toBe(true);
    expect(['base', 'head']).toContain(f.document);
    expect(typeof f.message).toBe('string');
    if (f.method !== undefined) expect(f.method).toMatch(/^[A-Z]+$/);
    if (f.path !== undefined) expect(typeof f.path).toBe('string');
  }
}

function diffBothWays(a: unknown, b: unknown, version: OpenApiDoc['version'] = '3.0'): Finding[] {
  const forward = diffDocuments(doc(a, version), doc(b, version));
  checkShape(forward);
  checkShape(diffDocuments(doc(b, version), doc(a, version)));
  return forward;
}

const info = { title: 't', version: '1' };
const ok = { '200': { description: 'ok' } };
const schemaDoc = (schema: unknown, version = '3.0.3') => ({
  openapi: version,
  info,
  paths: {
    '/x': {
      post: {
        parameters: [{ name: 'q', in: 'query', schema }],
        requestBody: { content: { 'application/json': { schema } } },
        responses: {
          '200': { description: 'ok', headers: { 'X-H': { schema } }, content: { 'application/json': { schema } } },
        },
      },
    },
  },
  components: { schemas: { S: schema } },
});

// Odd shapes a real parser accepts; each is diffed against a plain document and against itself changed a little.
const ODD_SCHEMAS: unknown[] = [
  null,
  true,
  false,
  42,
  'string',
  [],
  { $ref: '#/components/schemas/Missing' },
  { $ref: '#/paths' },
  { $ref: '#/info/title' },
  { $ref: 'other.yaml#/X' },
  { $ref: 42 },
  { $ref: '#/components/schemas/S' },
  { items: [{ type: 'string' }, { type: 'integer' }] },
  { type: 'array', items: true },
  { type: 'array', items: false },
  { type: 'hyperstring' },
  { type: ['string', 7, null] },
  { type: 7 },
  { enum: Array.from({ length: 5000 }, (_, i) => `v${i}`) },
  { enum: 'x' },
  { enum: [null] },
  { enum: [{ a: 1 }, [1, 2], null] },
  { const: { nested: [1, 2] } },
  { type: 'object', additionalProperties: {} },
  { type: 'object', additionalProperties: true },
  { type: 'object', additionalProperties: false },
  { type: 'object', additionalProperties: 'yes' },
  { type: 'object', required: 'x', properties: { x: { type: 'string' } } },
  { type: 'object', required: [1, null, { a: 1 }], properties: { 1: { type: 'string' } } },
  { type: 'object', properties: null },
  { type: 'object', properties: [] },
  { type: 'object', properties: { a: null, b: true, c: 'x', 0: { type: 'string' } } },
  { allOf: null },
  { allOf: [null, true, { $ref: '#/nowhere' }] },
  { allOf: { a: 1 } },
  { oneOf: [] },
  { oneOf: [null, false, 3] },
  { anyOf: [{ type: 'null' }] },
  { anyOf: 'x' },
  { not: { type: 'string' } },
  { not: true },
  { prefixItems: [{ type: 'string' }, true], items: false },
  { prefixItems: 'x' },
  { minimum: 'a', maximum: null, exclusiveMinimum: true, exclusiveMaximum: 'b', multipleOf: 0 },
  { minLength: -1, maxLength: 1e308, minItems: Number.NaN, pattern: 7 },
  { pattern: '(' },
  { discriminator: 'kind' },
  { discriminator: { propertyName: 3, mapping: [] } },
  { discriminator: { propertyName: 'kind', mapping: { a: 1 } } },
  { readOnly: 'yes', writeOnly: 1, nullable: 'true' },
  { format: 12 },
  { 'x-extensible-enum': 'x' },
  { 'x-extensible-enum': [1, null] },
  { if: { type: 'string' }, then: null, else: 3 },
  { dependentRequired: { a: 'b' }, dependentSchemas: null, patternProperties: { '(': {} }, propertyNames: false },
  { contains: null, minContains: 'a', maxContains: -1 },
  { default: { deep: [1] } },
];

const ODD_DOCUMENTS: unknown[] = [
  { openapi: '3.0.0', info },
  { openapi: '3.0.0', info, paths: null },
  { openapi: '3.0.0', info, paths: [] },
  { openapi: '3.0.0', info, paths: 'x' },
  {
    openapi: '3.0.0',
    info,
    paths: { '/a': null, '/b': 3, '/c': [], '/d': { get: null, put: 'x', post: [], delete: 5 } },
  },
  {
    openapi: '3.0.0',
    info,
    paths: { '/a': { $ref: '#/components/pathItems/A' } },
    components: { pathItems: { A: { get: { responses: ok } } } },
  },
  { openapi: '3.0.0', info, paths: { '/a': { $ref: '#/nowhere' } } },
  { openapi: '3.0.0', info, paths: { '/a': { $ref: '#/paths/~1a' } } },
  {
    openapi: '3.0.0',
    info,
    paths: { '/a': { get: { parameters: null, requestBody: null, responses: null, security: null } } },
  },
  {
    openapi: '3.0.0',
    info,
    paths: { '/a': { get: { parameters: 'x', requestBody: 'x', responses: 'x', security: 'x', servers: 'x' } } },
  },
  {
    openapi: '3.0.0',
    info,
    paths: {
      '/a': {
        get: {
          parameters: [null, 1, 'x', [], { name: 'n' }, { in: 'query' }, { name: 3, in: 4 }, { $ref: '#/nope' }],
          responses: ok,
        },
      },
    },
  },
  {
    openapi: '3.0.0',
    info,
    paths: {
      '/a/{id}': {
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'q', in: 'query', schema: { type: 'string' } },
        ],
        get: { parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'integer' } }], responses: ok },
      },
    },
  },
  { openapi: '3.0.0', info, paths: { '/a': { get: { responses: { default: { description: 'x' } } } } } },
  {
    openapi: '3.0.0',
    info,
    paths: {
      '/a': {
        get: {
          responses: {
            200: null,
            201: 'x',
            '2XX': { content: null },
            204: { headers: null, content: 'x' },
            205: {
              headers: { A: null, B: 'x', C: { $ref: '#/nope' } },
              content: { 'a/b': null, 'c/d': 'x', 'e/f': { schema: null } },
            },
          },
        },
      },
    },
  },
  {
    openapi: '3.0.0',
    info,
    paths: { '/a': { post: { requestBody: { content: null, required: 'yes' }, responses: ok } } },
  },
  {
    openapi: '3.0.0',
    info,
    paths: { '/a': { post: { requestBody: { $ref: '#/components/requestBodies/Missing' }, responses: ok } } },
  },
  {
    openapi: '3.0.0',
    info,
    security: null,
    paths: { '/a': { get: { security: [null, 'x', { a: null }, { b: 'x' }, { c: [1, null] }], responses: ok } } },
  },
  {
    openapi: '3.0.0',
    info,
    security: [{ key: [] }],
    components: { securitySchemes: null },
    paths: { '/a': { get: { responses: ok } } },
  },
  {
    openapi: '3.0.0',
    info,
    components: {
      securitySchemes: {
        key: null,
        o: { type: 'oauth2', flows: null },
        p: { type: 'oauth2', flows: { implicit: null } },
      },
    },
    paths: {},
  },
  { openapi: '3.0.0', info, servers: null, paths: {} },
  {
    openapi: '3.0.0',
    info,
    servers: [
      null,
      'x',
      { url: 3 },
      { url: '{a}', variables: null },
      { url: '{a}', variables: { a: null, b: { default: null } } },
    ],
    paths: {},
  },
  {
    openapi: '3.0.0',
    info,
    paths: {
      '/a': {
        get: {
          deprecated: true,
          'x-sunset': 'not a date',
          responses: { 200: { headers: { Sunset: { schema: null } } } },
        },
      },
    },
  },
  { openapi: '3.0.0', info, paths: { '/a': { get: { 'x-sunset': { a: 1 }, responses: ok } } } },
  {
    openapi: '3.1.0',
    info,
    webhooks: { ping: { post: { requestBody: { content: { 'application/json': { schema: true } } }, responses: ok } } },
  },
  { openapi: '3.1.0', info, webhooks: null },
  { openapi: '3.1.0', info, webhooks: { a: null, b: 'x', c: { post: null }, d: { $ref: '#/nope' } } },
  {
    openapi: '3.0.0',
    info,
    paths: { 0: { get: { responses: { 0: { description: 'x' } } } } },
    components: { schemas: { 0: { type: 'string' } } },
  },
  {
    openapi: '3.0.0',
    info,
    paths: {
      '/a': { get: { callbacks: { c: { '{$request.body#/u}': { post: { responses: ok } } } }, responses: ok } },
    },
  },
  { openapi: '3.0.0', info, paths: { '/a': { get: { operationId: 3, deprecated: 'yes', responses: ok } } } },
];

const plainDoc = {
  openapi: '3.0.0',
  info,
  paths: { '/a': { get: { parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }], responses: ok } } },
};

describe('odd but parseable documents', () => {
  it.each(ODD_DOCUMENTS.map((d, i) => [i, d]))('document #%i against a plain one and itself', (_, odd) => {
    diffBothWays(odd, plainDoc);
    expect(diffBothWays(odd, structuredClone(odd))).toBeDefined();
  });

  it.each(ODD_SCHEMAS.map((s, i) => [i, s]))('schema #%i in every place a schema goes (3.0 and 3.1)', (_, schema) => {
    const plain = { type: 'object', properties: { a: { type: 'string' } } };
    for (const version of ['3.0.3', '3.1.0']) {
      const v = version.startsWith('3.1') ? '3.1' : '3.0';
      diffBothWays(schemaDoc(schema, version), schemaDoc(plain, version), v);
      diffBothWays(schemaDoc(schema, version), schemaDoc({ allOf: [schema, plain] }, version), v);
      diffBothWays(
        schemaDoc({ type: 'object', properties: { p: schema } }, version),
        schemaDoc({ type: 'object', properties: { p: plain } }, version),
        v,
      );
    }
  });

  it('a document that refers to itself in a loop of path items and schemas stops', () => {
    const loop = {
      openapi: '3.1.0',
      info,
      paths: { '/a': { $ref: '#/paths/~1b' }, '/b': { $ref: '#/paths/~1a' } },
      components: { schemas: { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } } },
    };
    diffBothWays(loop, schemaDoc({ $ref: '#/components/schemas/S' }), '3.1');
    diffBothWays(
      schemaDoc({ $ref: '#/components/schemas/S' }),
      schemaDoc({ items: { $ref: '#/components/schemas/S' } }),
    );
  });
});

const REPLACEMENTS: (() => unknown)[] = [
  () => null,
  () => true,
  () => false,
  () => 0,
  () => -1,
  () => 'x',
  () => [],
  () => ({}),
  () => [null, 1, 'a', {}],
  () => ({ $ref: '#/components/schemas/Nowhere' }),
  () => ({ $ref: '#/paths' }),
  () => ({ $ref: '#' }),
  () => ({ type: 'unknown-type' }),
  () => ({ type: ['string', 'null', 'object'] }),
  () => ({ items: [{ type: 'string' }] }),
  () => ({ required: 'id' }),
  () => ({ enum: Array.from({ length: 300 }, (_, i) => i) }),
  () => ({ additionalProperties: false }),
  () => ({ allOf: [{ $ref: '#/components/schemas/Nowhere' }, true] }),
  () => ({ oneOf: [{ type: 'string' }, false] }),
  () => ({ anyOf: [{ type: 'null' }] }),
  () => ({ not: {} }),
  () => ({ prefixItems: [{ type: 'integer' }] }),
  () => ({ 'x-extensible-enum': ['a'] }),
  () => ({ 0: { 1: 2 } }),
];

function nodes(root: unknown): { parent: Json | unknown[]; key: string | number }[] {
  const out: { parent: Json | unknown[]; key: string | number }[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown) => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    const children: [string | number, unknown][] = Array.isArray(node)
      ? node.map((c, i) => [i, c])
      : Object.entries(node);
    for (const [key, child] of children) {
      out.push({ parent: node as Json, key });
      visit(child);
    }
  };
  visit(root);
  return out;
}

function mutate(root: unknown, random: () => number, count: number): unknown {
  const copy = structuredClone(root);
  for (let i = 0; i < count; i++) {
    const all = nodes(copy);
    if (!all.length) break;
    const { parent, key } = all[Math.floor(random() * all.length)];
    const pick = random();
    if (pick < 0.15 && !Array.isArray(parent)) delete (parent as Json)[key as string];
    else if (pick < 0.25 && !Array.isArray(parent))
      (parent as Json)[`${key}${Math.floor(random() * 10)}`] = (parent as Json)[key as string];
    else (parent as Json)[key as string] = REPLACEMENTS[Math.floor(random() * REPLACEMENTS.length)]();
  }
  return copy;
}

function corpusRoots(): unknown[] {
  const roots: unknown[] = [];
  for (const sub of ['rules', 'clean']) {
    for (const dir of readdirSync(join(CORPUS, sub)).sort()) {
      for (const side of ['base.yaml', 'head.yaml'])
        roots.push(YAML.parse(readFileSync(join(CORPUS, sub, dir, side), 'utf8')));
    }
  }
  return roots;
}

describe('seeded random mutations of the corpus', () => {
  it('never throws and always returns well-formed findings (400 mutated pairs)', () => {
    const roots = corpusRoots();
    // seeded: the same mutations on every run, so a failure is reproducible from its index
    const random = seededRandom(20260115);
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const original = roots[Math.floor(random() * roots.length)];
      const mutated = mutate(original, random, 1 + Math.floor(random() * 4));
      const version = String((original as Json).openapi).startsWith('3.1') ? '3.1' : '3.0';
      try {
        diffBothWays(original, mutated, version);
        diffBothWays(mutated, mutate(mutated, random, 2), version);
      } catch (err) {
        throw new Error(`mutation #${i}: ${(err as Error).stack}\n${JSON.stringify(mutated).slice(0, 2000)}`);
      }
      compared += 4;
    }
    expect(compared).toBe(1600);
  });
});
