// Focused behaviours of the comparison engine that a single rule fixture cannot show: recursion, memoised replay per
// operation, sunset dates against the clock, single findings for moved parameters, ordering.
import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../actions/api-compat/src/diff/index.js';
import type { OpenApiDoc } from '../../actions/api-compat/src/model.js';

type Json = Record<string, any>;
const api = (paths: Json, schemas: Json = {}, extra: Json = {}): OpenApiDoc => ({
  version: '3.0',
  root: { openapi: '3.0.3', info: { title: 't', version: '1' }, paths, components: { schemas }, ...extra },
  source: 'inline',
});
const json = (schema: Json) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const get = (schema: Json) => ({ get: { responses: { '200': { description: 'ok', ...json(schema) } } } });
const rules = (base: OpenApiDoc, head: OpenApiDoc, now?: Date) => diffDocuments(base, head, { now }).map((f) => f.rule);

describe('recursive and deep schemas', () => {
  it('finds a change inside mutually recursive schemas and stops', () => {
    const schemas = (xType: string) => ({
      A: { type: 'object', properties: { b: ref('B') } },
      B: { type: 'object', properties: { a: ref('A'), x: { type: xType } } },
    });
    const findings = diffDocuments(
      api({ '/a': get(ref('A')) }, schemas('integer')),
      api({ '/a': get(ref('A')) }, schemas('string')),
    );
    expect(findings.map((f) => [f.rule, f.location])).toEqual([
      ['response-property-type-changed', '#/components/schemas/B/properties/x/type'],
    ]);
    expect(findings[0].message).toContain("property 'b.x'");
  });

  it('survives allOf cycles and very deep inline nesting', () => {
    const cyclic = { C: { allOf: [ref('D')] }, D: { allOf: [ref('C')], properties: { n: { type: 'string' } } } };
    expect(() =>
      diffDocuments(api({ '/c': get(ref('C')) }, cyclic), api({ '/c': get(ref('C')) }, cyclic)),
    ).not.toThrow();
    const nest = (depth: number, leaf: string) => {
      let s: Json = { type: leaf };
      for (let i = 0; i < depth; i++) s = { type: 'object', properties: { n: s } };
      return s;
    };
    expect(() =>
      diffDocuments(api({ '/d': get(nest(3000, 'string')) }), api({ '/d': get(nest(3000, 'integer')) })),
    ).not.toThrow();
  });
});

describe('shared components', () => {
  it('reports a change in a shared schema once per operation using it, with that operation', () => {
    const user = (extra: Json) => ({
      User: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, ...extra } },
    });
    const paths = { '/users': get({ type: 'array', items: ref('User') }), '/me': get(ref('User')) };
    const findings = diffDocuments(api(paths, user({ name: { type: 'string' } })), api(paths, user({})));
    expect(findings.map((f) => `${f.method} ${f.path} ${f.rule}`)).toEqual([
      'GET /me response-property-optional-property-removed',
      'GET /users response-property-optional-property-removed',
    ]);
    expect(findings.map((f) => f.message)).toEqual([
      "response 200 (application/json) property 'name': removed",
      "response 200 (application/json) property '[].name': removed",
    ]);
  });

  it('compares a property named like a keyword (description) as a property', () => {
    const s = (t: string) => ({ type: 'object', properties: { description: { type: t } } });
    expect(rules(api({ '/x': get(s('string')) }), api({ '/x': get(s('integer')) }))).toEqual([
      'response-property-type-changed',
    ]);
  });
});

describe('operations over time', () => {
  const withSunset = (sunset: string) =>
    api({
      '/old': { get: { deprecated: true, 'x-sunset': sunset, responses: { '200': { description: 'ok' } } } },
      '/new': get({ type: 'string' }),
    });
  const without = api({ '/new': get({ type: 'string' }) });
  it('allows removal once the sunset date has passed, not before', () => {
    expect(rules(withSunset('2025-06-01'), without, new Date('2025-06-02'))).toEqual(['api-removed-after-sunset']);
    expect(rules(withSunset('2025-06-01'), without, new Date('2025-05-01'))).toEqual(['api-removed-before-sunset']);
  });
  it('reads the Sunset response header convention', () => {
    const base = api({
      '/old': {
        get: {
          responses: {
            '200': {
              description: 'ok',
              headers: { Sunset: { schema: { type: 'string', example: 'Sat, 01 Mar 2025 00:00:00 GMT' } } },
            },
          },
        },
      },
    });
    expect(rules(base, api({}), new Date('2025-04-01'))).toEqual(['api-removed-after-sunset']);
  });
});

describe('parameters', () => {
  const withParam = (p: Json) =>
    api({ '/items': { get: { parameters: [p], responses: { '200': { description: 'ok' } } } } });
  it('reports a moved parameter once, not as removed plus added', () => {
    const q = { name: 'tenant', in: 'query', schema: { type: 'string' } };
    expect(rules(withParam(q), withParam({ ...q, in: 'header' }))).toEqual(['request-parameter-location-changed']);
  });
  it('treats header names case-insensitively and path parameter renames as the same parameter', () => {
    const base = api({
      '/u/{id}': {
        get: {
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'X-Req', in: 'header', schema: { type: 'string' } },
          ],
          responses: {},
        },
      },
    });
    const head = api({
      '/u/{uid}': {
        get: {
          parameters: [
            { name: 'uid', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'x-req', in: 'header', schema: { type: 'string' } },
          ],
          responses: {},
        },
      },
    });
    const findings = diffDocuments(base, head);
    expect(findings.map((f) => [f.rule, f.path])).toEqual([['request-parameter-type-changed', '/u/{uid}']]);
  });
});

describe('direction', () => {
  const body = (schema: Json) =>
    api({
      '/x': {
        post: {
          requestBody: { required: true, ...json(schema) },
          responses: { '200': { description: 'ok', ...json(schema) } },
        },
      },
    });
  it('wrapping a schema into oneOf with a new alternative: fine for requests, breaking for responses', () => {
    const plain = { type: 'object', properties: { a: { type: 'string' } } };
    const found = diffDocuments(
      body(plain),
      body({ oneOf: [plain, { type: 'object', properties: { b: { type: 'integer' } } }] }),
    );
    expect(found.map((f) => `${f.severity} ${f.rule}`)).toEqual([
      'error response-property-one-of-branch-added',
      'info request-property-one-of-branch-added',
    ]);
  });
  it('a readOnly property that becomes writable, even a required one, is information (as the reference classifies it)', () => {
    const s = (readOnly: boolean) => ({
      type: 'object',
      required: ['id'],
      properties: { id: { type: 'integer', readOnly } },
    });
    expect(rules(body(s(true)), body(s(false)))).toEqual(['request-property-became-not-read-only']);
  });
});

describe('output', () => {
  it('is sorted by severity and deterministic', () => {
    const base = api({
      '/a': get({ type: 'object', properties: { x: { type: 'string' } } }),
      '/b': get({ type: 'string' }),
    });
    const head = api({
      '/a': get({ type: 'object', properties: { x: { type: 'string' }, y: { type: 'string' } } }),
      '/c': get({ type: 'string' }),
    });
    const once = diffDocuments(base, head);
    expect(once.map((f) => f.severity)).toEqual(['error', 'info', 'info']);
    expect(diffDocuments(base, head)).toEqual(once);
  });
});
