import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { loadDocument, type LoadedDocument } from '../../actions/api-compat/src/load/index.js';
import { parseLocation } from '../../actions/api-compat/src/load/source.js';
import { locateJson } from '../../actions/api-compat/src/load/locate-json.js';
import { ROOT } from '../helpers/run-bundle.js';

const cwd = join(ROOT, 'test/fixtures/api-compat/load');
const load = (spec: string, allowExternalRefs = false) => loadDocument('head', spec, { cwd, allowExternalRefs });
type Obj = Record<string, any>;

async function loadError(spec: string): Promise<ConfigError> {
  const err = await load(spec).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

/** Follows a local `#/…` ref the way the comparison does. */
function deref(doc: LoadedDocument, node: Obj): Obj {
  if (typeof node.$ref !== 'string') return node;
  expect(node.$ref.startsWith('#')).toBe(true);
  let at: any = doc.doc.root;
  for (const s of node.$ref.slice(2).split('/').filter(Boolean)) at = at[s.replace(/~1/g, '/').replace(/~0/g, '~')];
  expect(at, node.$ref).toBeDefined();
  return at;
}

describe('bad input names the input, the value and what is wrong', () => {
  it('reports YAML syntax errors with line and column', async () => {
    const err = await loadError('syntax-error.yaml');
    expect(err.message).toMatch(
      /^Input 'head' is 'syntax-error\.yaml': syntax-error\.yaml:8:3: YAML syntax error: missed comma/,
    );
    expect(err.problems).toEqual([expect.objectContaining({ file: 'syntax-error.yaml', line: 8, column: 3 })]);
  });

  it('reports JSON syntax errors with line and column, on every Node version', async () => {
    const err = await loadError('syntax-error.json');
    expect(err.message).toContain("Input 'head' is 'syntax-error.json': syntax-error.json:6:5: JSON syntax error");
    expect(err.problems[0]).toMatchObject({ line: 6, column: 5 });
  });

  it('says which version field is missing or unsupported', async () => {
    expect((await loadError('not-openapi.yaml')).message).toContain(
      "it has no 'openapi' field (OpenAPI 3.x, e.g. openapi: 3.0.3) and no 'swagger' field",
    );
    expect((await loadError('openapi-4.yaml')).message).toContain(
      "the 'openapi' field is '4.0.0', which is not supported",
    );
    expect((await loadError('swagger-1.2.json')).message).toContain("the 'swagger' field is '1.2'");
  });

  it('refuses remote refs unless allowed, naming the input that allows them', async () => {
    const err = await loadError('remote-ref.yaml');
    expect(err.message).toContain(
      "$ref 'https://schemas.example.com/thing.json#/Thing' points to another server. Set the input 'allow-external-refs' to true",
    );
  });

  it('reports a missing file, a ref into nothing, and a malformed git source', async () => {
    expect((await loadError('missing.yaml')).message).toBe(
      `Input 'head' is 'missing.yaml': no such file (looked for ${join(cwd, 'missing.yaml')}).`,
    );
    expect((await loadError('dangling-ext.yaml')).message).toContain(
      "$ref 'split/common.json#/responses/Missing' points to nothing",
    );
    expect((await loadError('git:main')).message).toContain('Expected git:<ref>:<path>');
  });
});

describe('sources', () => {
  it('parses the three forms of an input', () => {
    expect(parseLocation('git:origin/main:api/openapi.yaml', '/r')).toEqual({
      kind: 'git',
      ref: 'origin/main',
      path: 'api/openapi.yaml',
    });
    expect(parseLocation('https://example.com/a.json', '/r')).toEqual({
      kind: 'url',
      url: 'https://example.com/a.json',
    });
    expect(parseLocation('specs/a.yaml', '/r')).toEqual({ kind: 'file', path: '/r/specs/a.yaml' });
  });
});

describe('relative-file refs are bundled into the root, not inlined', () => {
  it('rewrites every ref to a local one, keeps cycles across files finite, and reads each file once', async () => {
    const doc = await load('split/openapi.yaml');
    expect(doc.files.map((f) => f.name)).toEqual(['split/openapi.yaml', 'split/schemas/pet.yaml', 'split/common.json']);
    const text = JSON.stringify(doc.doc.root); // would throw on a cyclic object graph
    for (const m of text.matchAll(/"\$ref":"([^"]*)"/g)) expect(m[1].startsWith('#')).toBe(true);

    const op = doc.doc.root.paths as Obj;
    const get = op['/pets/{id}'].get;
    const pet = deref(doc, get.responses['200'].content['application/json'].schema);
    expect(pet.required).toEqual(['name']);
    // pet → owner → pets[] → pet: the cycle points back at the same bundled object.
    const owner = deref(doc, pet.properties.owner);
    expect(deref(doc, owner.properties.pets.items)).toBe(pet);
    // A ref from the bundled file back into the root file lands on the root's own component.
    expect(deref(doc, pet.properties.error)).toBe((doc.doc.root.components as Obj).schemas.Error);
    expect(deref(doc, owner.properties.tag).properties.label.type).toBe('string');
    const param = deref(doc, get.parameters[0]);
    expect(param.name).toBe('id');
    expect(deref(doc, param.schema).format).toBe('uuid');
  });

  it('locates pointers in the right file and line, also inside bundled files', async () => {
    const doc = await load('split/openapi.yaml');
    const pet = (doc.doc.root.paths as Obj)['/pets/{id}'].get.responses['200'].content['application/json'].schema
      .$ref as string;
    const [a, b, c, d] = doc.locator.locate([
      '#/paths/~1pets~1{id}/get/parameters/0',
      `${pet}/properties/owner`,
      `${(doc.doc.root.paths as Obj)['/pets/{id}'].get.parameters[0].$ref}/schema`,
      '#/paths/~1pets~1{id}/delete',
    ]);
    expect(a).toEqual({ file: 'split/openapi.yaml', line: 7 });
    expect(b).toEqual({ file: 'split/schemas/pet.yaml', line: 6 });
    expect(c).toEqual({ file: 'split/common.json', line: 3 });
    // Not there: the nearest ancestor that is.
    expect(d).toEqual({ file: 'split/openapi.yaml', line: 4 });
  });
});

describe('Swagger 2.0 is converted to the OpenAPI 3.0 shape', () => {
  it('moves bodies, forms, media types, components, security and servers where 3.0 has them', async () => {
    const doc = await load('petstore-2.0.yaml');
    expect(doc.doc.version).toBe('2.0');
    const root = doc.doc.root as Obj;
    expect(root.swagger).toBeUndefined();
    expect(root.servers).toEqual([{ url: 'https://api.example.com/v1' }, { url: 'http://api.example.com/v1' }]);
    const pets = root.paths['/pets'];
    expect(pets.parameters).toEqual([{ name: 'X-Trace', in: 'header', schema: { type: 'string' } }]);
    expect(pets.get.parameters[0]).toEqual({ $ref: '#/components/parameters/Limit' });
    expect(pets.get.parameters[1]).toMatchObject({
      name: 'tags',
      style: 'form',
      explode: true,
      schema: { type: 'array', items: { type: 'string' } },
    });
    expect(pets.get.parameters[2]).toMatchObject({ name: 'ids', style: 'form', explode: false });
    expect(pets.get.responses['200'].headers['X-Total']).toEqual({ description: 'total', schema: { type: 'integer' } });
    expect(pets.get.responses['200'].content['application/json'].schema.items).toEqual({
      $ref: '#/components/schemas/Pet',
    });
    expect(pets.post.requestBody).toEqual({ $ref: '#/components/requestBodies/PetBody' });
    expect(root.components.requestBodies.PetBody).toEqual({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } },
      required: true,
    });

    const photo = root.paths['/pets/{id}/photo'].put;
    expect(photo.parameters.map((p: Obj) => p.name)).toEqual(['id']);
    expect(photo.requestBody).toEqual({
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            required: ['file'],
            properties: { file: { type: 'string', format: 'binary' }, caption: { type: 'string', maxLength: 80 } },
          },
        },
      },
    });
    expect(photo.responses['200'].content).toEqual({ 'image/png': { schema: { type: 'string', format: 'binary' } } });
    expect(photo.responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });

    const pet = root.components.schemas.Pet;
    expect(pet.discriminator).toEqual({ propertyName: 'kind' });
    expect(pet.properties.nickname).toEqual({ type: 'string', nullable: true });
    // A property called `example` is a schema, not example data: its ref is rewritten too.
    expect(pet.properties.example).toEqual({ $ref: '#/components/schemas/Error' });
    expect(root.components.securitySchemes).toEqual({
      key: { type: 'apiKey', name: 'X-Api-Key', in: 'header' },
      oauth: {
        type: 'oauth2',
        flows: {
          authorizationCode: {
            authorizationUrl: 'https://auth.example.com/a',
            tokenUrl: 'https://auth.example.com/t',
            scopes: { read: 'Read pets' },
          },
        },
      },
      basic: { type: 'http', scheme: 'basic' },
    });
  });

  it('locates converted pointers at their 2.0 places', async () => {
    const doc = await load('petstore-2.0.yaml');
    const [schema, body, response] = doc.locator.locate([
      '#/components/schemas/Pet/properties/nickname',
      '#/paths/~1pets/post/requestBody',
      '#/paths/~1pets/get/responses/200/content/application~1json/schema',
    ]);
    expect(schema.line).toBe(56);
    expect(body.line).toBe(35);
    expect(response.line).toBe(32);
  });
});

describe('Swagger 2.0 split over files', () => {
  it('converts parameters and responses from other files where they are used', async () => {
    const doc = await load('split2/swagger.yaml');
    const get = (doc.doc.root.paths as Obj)['/items'].get;
    expect(get.parameters).toEqual([{ name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }]);
    const items = get.responses['200'].content['application/json'].schema.items;
    expect(items.$ref).toBe('#/x-shipgate-external/0/definitions/Item');
    expect(deref(doc, items).properties.name).toEqual({ type: 'string', nullable: true });
  });
});

describe('OpenAPI 3.1 and JSON', () => {
  it('keeps 3.1 keywords as written and locates keys with escaped characters', async () => {
    const doc = await load('openapi-3.1.json');
    expect(doc.doc.version).toBe('3.1');
    const thing = (doc.doc.root.components as Obj).schemas.Thing;
    expect(thing.properties.kind).toEqual({ const: 'thing' });
    expect(thing.properties.size.exclusiveMinimum).toBe(0);
    const [a, b, c] = doc.locator.locate([
      '#/components/schemas/Thing/properties/a~0b~1c',
      '#/paths/~1things~1{id}/get/parameters/0/schema',
      '#/components/schemas/Nope',
    ]);
    expect([a.line, b.line, c.line]).toEqual([24, 7, 18]);
  });
});

describe('locateJson', () => {
  const text = `{
  "skip": { "s": "a } ] { [ \\" string", "n": [1, 2, {"x": null}] },
  "paths": {
    "/a\\"b": {
      "get": { "parameters": [
        { "name": "x" },
        {
          "name": "y"
        }
      ] }
    }
  }
}`;
  it('finds keys and array elements past strings with brackets and escapes, in one pass', () => {
    const lines = locateJson(text, [
      ['paths', '/a"b', 'get', 'parameters', '1', 'name'],
      ['paths', '/a"b', 'get', 'parameters', '0'],
      ['skip', 'n', '2', 'x'],
      ['paths', '/a"b', 'post'],
      [],
    ]);
    expect(lines).toEqual([8, 6, 2, 4, 1]);
  });
  it('falls back to what it found when the text is broken', () => {
    expect(locateJson('{\n "a": {\n  "b": [1, \n', [['a', 'b', '5']])).toEqual([3]);
  });
});
