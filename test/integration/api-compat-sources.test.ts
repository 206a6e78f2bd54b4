import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, ExternalError } from '../../shared/src/errors.js';
import { loadDocument } from '../../actions/api-compat/src/load/index.js';
import { closedPort, httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

type Obj = Record<string, any>;

const spec = (schemaRef: string, title = 'Pets') =>
  `openapi: 3.0.3\ninfo: { title: ${title}, version: 1.0.0 }\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: '${schemaRef}' }\n`;
const pet = (field: string) => `type: object\nproperties:\n  ${field}: { type: string }\n`;

function schemaRefOf(root: Obj): string {
  return root.paths['/pets'].get.responses['200'].content['application/json'].schema.$ref;
}

function follow(root: Obj, ref: string): Obj {
  return ref
    .slice(2)
    .split('/')
    .reduce((node: any, s) => node[s], root);
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

describe('URL sources from a real HTTP server', () => {
  let server: TestServer;
  let dead: number;
  let dir: string;
  beforeAll(async () => {
    server = await httpServer((req, res) => {
      const routes: Record<string, [number, string, Record<string, string>?]> = {
        '/specs/openapi.yaml': [200, spec('schemas/pet.yaml')],
        '/specs/schemas/pet.yaml': [200, pet('name')],
        '/moved': [301, '', { location: '/specs/openapi.yaml' }],
        '/broken': [503, 'maintenance'],
      };
      const [status, body, headers] = routes[req.url ?? ''] ?? [404, 'not found'];
      res.writeHead(status, { 'content-type': 'application/yaml', ...headers });
      res.end(body);
    });
    dead = await closedPort();
    dir = mkdtempSync(join(tmpdir(), 'shipgate-sources-'));
    writeFileSync(join(dir, 'remote.yaml'), spec(`${server.url}/specs/schemas/pet.yaml`));
  });
  afterAll(() => server.close());

  const opts = (allowExternalRefs = false) => ({ cwd: dir, allowExternalRefs, timeoutMs: 5000 });

  it('reads a document and its relative refs from the same server, following redirects', async () => {
    for (const url of [`${server.url}/specs/openapi.yaml`, `${server.url}/moved`]) {
      const doc = await loadDocument('base', url, opts());
      // After a redirect, relative refs resolve from where the document really is.
      expect(doc.files.map((f) => f.name)).toEqual([
        `${server.url}/specs/openapi.yaml`,
        `${server.url}/specs/schemas/pet.yaml`,
      ]);
      expect(follow(doc.doc.root, schemaRefOf(doc.doc.root)).properties.name.type).toBe('string');
    }
  });

  it('fetches a ref to another server only with allow-external-refs', async () => {
    const refused = await rejection(loadDocument('head', 'remote.yaml', opts()));
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused.message).toContain("Set the input 'allow-external-refs' to true");
    const hitsBefore = server.hits;
    const doc = await loadDocument('head', 'remote.yaml', opts(true));
    expect(server.hits).toBe(hitsBefore + 1);
    expect(follow(doc.doc.root, schemaRefOf(doc.doc.root)).properties.name).toEqual({ type: 'string' });
  });

  it('is bad input when the URL is missing or unreachable, an external failure when the server errs', async () => {
    const missing = await rejection(loadDocument('base', `${server.url}/nope.yaml`, opts()));
    expect(missing).toBeInstanceOf(ConfigError);
    expect(missing.message).toBe(
      `Input 'base' is '${server.url}/nope.yaml': ${server.url}/nope.yaml answered HTTP 404.`,
    );
    const unreachable = await rejection(loadDocument('base', `http://127.0.0.1:${dead}/openapi.yaml`, opts()));
    expect(unreachable).toBeInstanceOf(ConfigError);
    expect(unreachable.message).toContain(`http://127.0.0.1:${dead}/openapi.yaml is unreachable (ECONNREFUSED)`);
    const broken = await rejection(loadDocument('base', `${server.url}/broken`, opts()));
    expect(broken).toBeInstanceOf(ExternalError);
    expect(broken.message).toContain('answered HTTP 503');
  });
});

describe('git sources from a real repository', () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: repo,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@e',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@e',
      },
    }).toString();

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'shipgate-git-'));
    git('init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'api/schemas'), { recursive: true });
    writeFileSync(join(repo, 'api/openapi.yaml'), spec('schemas/pet.yaml', 'Old'));
    writeFileSync(join(repo, 'api/schemas/pet.yaml'), pet('name'));
    git('add', '.');
    git('commit', '-q', '-m', 'v1');
    writeFileSync(join(repo, 'api/openapi.yaml'), spec('schemas/pet.yaml', 'New'));
    writeFileSync(join(repo, 'api/schemas/pet.yaml'), pet('title'));
    git('commit', '-q', '-am', 'v2');
  });

  it('reads the document and its relative refs as they were at the ref', async () => {
    const sub = join(repo, 'api'); // git runs from anywhere in the work tree; paths are from the root
    const old = await loadDocument('base', 'git:HEAD~1:api/openapi.yaml', { cwd: sub, allowExternalRefs: false });
    expect((old.doc.root.info as Obj).title).toBe('Old');
    expect(old.files.map((f) => f.name)).toEqual(['git:HEAD~1:api/openapi.yaml', 'git:HEAD~1:api/schemas/pet.yaml']);
    expect(Object.keys(follow(old.doc.root, schemaRefOf(old.doc.root)).properties)).toEqual(['name']);
    const now = await loadDocument('head', 'git:main:api/openapi.yaml', { cwd: repo, allowExternalRefs: false });
    expect(Object.keys(follow(now.doc.root, schemaRefOf(now.doc.root)).properties)).toEqual(['title']);
    expect(now.locator.locate(['#/paths/~1pets/get'])).toEqual([{ file: 'git:main:api/openapi.yaml', line: 5 }]);
  });

  it("names an unknown ref or path as bad input with git's own words and the fix", async () => {
    const ref = await rejection(
      loadDocument('base', 'git:origin/nope:api/openapi.yaml', { cwd: repo, allowExternalRefs: false }),
    );
    expect(ref).toBeInstanceOf(ConfigError);
    expect(ref.message).toMatch(
      /^Input 'base' is 'git:origin\/nope:api\/openapi\.yaml': git cannot read api\/openapi\.yaml at origin\/nope: fatal: .*origin\/nope/,
    );
    expect(ref.message).toContain('fetch-depth: 0');
    const path = await rejection(
      loadDocument('base', 'git:main:openapi.yaml', { cwd: repo, allowExternalRefs: false }),
    );
    expect(path.message).toMatch(/path 'openapi\.yaml' does not exist in 'main'/);
  });
});
