// Where an untrusted document's $refs may lead: a real loopback origin and a real second origin, real files (with a
// symlink out of the workspace) and a real git repository. Refused refs are bad input (exit 2) that name the ref and
// the input that allows them, and nothing is read from where they lead.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCompat } from '../../actions/api-compat/src/step.js';
import { loadDocument } from '../../actions/api-compat/src/load/index.js';
import { ConfigError } from '../../shared/src/errors.js';
import { runLocal } from '../helpers/local-step.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';

const spec = (ref: string) =>
  `openapi: 3.0.3\ninfo: { title: Pets, version: 1.0.0 }\npaths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: { $ref: '${ref}' }\n`;
const pet = 'type: object\nproperties:\n  name: { type: string }\n';

async function refusal(p: Promise<unknown>): Promise<ConfigError> {
  const err = await p.then(
    () => new Error('expected a refusal'),
    (e: Error) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('$ref containment of fetched documents', () => {
  let a: TestServer;
  let b: TestServer;
  const bPaths: string[] = [];
  let outsideFile: string;
  beforeAll(async () => {
    outsideFile = join(mkdtempSync(join(tmpdir(), 'shipgate-outside-')), 'pet.yaml');
    writeFileSync(outsideFile, pet);
    b = await httpServer((req, res) => {
      bPaths.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/yaml' });
      res.end(pet);
    });
    a = await httpServer((req, res) => {
      const bHost = `127.0.0.1:${b.port}`;
      const routes: Record<string, [number, string, Record<string, string>?]> = {
        '/specs/same.yaml': [200, spec('/specs/schemas/pet.yaml')],
        '/specs/schemas/pet.yaml': [200, pet],
        '/specs/file.yaml': [200, spec(`file://${outsideFile}`)],
        '/specs/other.yaml': [200, spec(`http://${bHost}/pet.yaml`)],
        '/specs/proto-relative.yaml': [200, spec(`//${bHost}/pet.yaml`)],
        '/specs/redirect.yaml': [200, spec('moved/pet.yaml')],
        '/specs/moved/pet.yaml': [302, '', { location: `http://${bHost}/moved.yaml` }],
      };
      const [status, body, headers] = routes[req.url ?? ''] ?? [404, 'not found'];
      res.writeHead(status, { 'content-type': 'application/yaml', ...headers });
      res.end(body);
    });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  const opts = (allowExternalRefs = false) => ({ cwd: tmpdir(), allowExternalRefs, timeoutMs: 5000 });

  it('follows refs on the same origin', async () => {
    const doc = await loadDocument('head', `${a.url}/specs/same.yaml`, opts());
    expect(doc.files.map((f) => f.name)).toEqual([`${a.url}/specs/same.yaml`, `${a.url}/specs/schemas/pet.yaml`]);
  });

  it('refuses file://, another origin and a protocol-relative ref to it, without reading them', async () => {
    for (const [name, ref] of [
      ['file.yaml', `file://${outsideFile}`],
      ['other.yaml', `http://127.0.0.1:${b.port}/pet.yaml`],
      ['proto-relative.yaml', `//127.0.0.1:${b.port}/pet.yaml`],
    ]) {
      const err = await refusal(loadDocument('head', `${a.url}/specs/${name}`, opts()));
      expect(err.message).toContain(`$ref '${ref}' leads to `);
      expect(err.message).toContain(
        `but a document fetched from ${a.url} may only reference that origin. Set the input 'allow-external-refs' to true`,
      );
    }
    expect(bPaths).toEqual([]);
  });

  it('holds a redirect to the same rule, and follows everything with allow-external-refs', async () => {
    const err = await refusal(loadDocument('head', `${a.url}/specs/redirect.yaml`, opts()));
    expect(err.message).toContain("$ref 'moved/pet.yaml': redirected: it leads to");
    const other = await loadDocument('head', `${a.url}/specs/proto-relative.yaml`, opts(true));
    expect(other.files.map((f) => f.name)).toEqual([`${a.url}/specs/proto-relative.yaml`, `${b.url}/pet.yaml`]);
    expect(bPaths).toContain('/pet.yaml');
  });
});

describe('$ref containment of local documents', () => {
  let workspace: string;
  let outside: string;
  beforeAll(() => {
    const top = mkdtempSync(join(tmpdir(), 'shipgate-contain-'));
    workspace = join(top, 'workspace');
    outside = join(top, 'outside');
    mkdirSync(join(workspace, 'schemas'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'pet.yaml'), pet);
    writeFileSync(join(workspace, 'schemas/pet.yaml'), pet);
    symlinkSync(join(outside, 'pet.yaml'), join(workspace, 'schemas/link.yaml'));
    writeFileSync(join(workspace, 'inside.yaml'), spec('schemas/pet.yaml'));
    writeFileSync(join(workspace, 'dotdot.yaml'), spec('../outside/pet.yaml'));
    writeFileSync(join(workspace, 'absolute.yaml'), spec(join(outside, 'pet.yaml')));
    writeFileSync(join(workspace, 'symlink.yaml'), spec('schemas/link.yaml'));
    writeFileSync(join(workspace, 'remote.yaml'), spec('//127.0.0.1:9/pet.yaml'));
  });

  it('follows refs inside the workspace and refuses ../, absolute paths, symlinks out and protocol-relative refs', async () => {
    const opts = { cwd: workspace, allowExternalRefs: false };
    expect((await loadDocument('head', 'inside.yaml', opts)).files).toHaveLength(2);
    for (const [file, ref] of [
      ['dotdot.yaml', '../outside/pet.yaml'],
      ['absolute.yaml', join(outside, 'pet.yaml')],
      ['symlink.yaml', 'schemas/link.yaml'],
      ['remote.yaml', '//127.0.0.1:9/pet.yaml'],
    ]) {
      const err = await refusal(loadDocument('head', file, opts));
      expect(err.message).toMatch(
        new RegExp(
          `^Input 'head' is '${file}': ${file}: \\$ref '${ref.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' (leads to .*, outside the workspace|points to another server).*Set the input 'allow-external-refs' to true`,
        ),
      );
    }
    expect((await loadDocument('head', 'symlink.yaml', { ...opts, allowExternalRefs: true })).files).toHaveLength(2);
  });

  it('exits 2 from the step, naming the ref and the input', async () => {
    const r = await runLocal(apiCompat, { base: join(workspace, 'inside.yaml'), head: join(workspace, 'dotdot.yaml') });
    expect(r.code).toBe(2);
    expect(r.log).toContain("$ref '../outside/pet.yaml' leads to");
    expect(r.log).toContain("Set the input 'allow-external-refs' to true");
  });
});

describe('$ref containment of git sources', () => {
  it('keeps refs inside the git tree', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'shipgate-contain-git-'));
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
      });
    git('init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'api/schemas'), { recursive: true });
    writeFileSync(join(repo, 'api/schemas/pet.yaml'), pet);
    writeFileSync(join(repo, 'api/ok.yaml'), spec('schemas/pet.yaml'));
    writeFileSync(join(repo, 'api/escape.yaml'), spec('../../outside.yaml'));
    writeFileSync(join(repo, 'api/file.yaml'), spec(`file://${join(repo, 'api/schemas/pet.yaml')}`));
    git('add', '.');
    git('commit', '-q', '-m', 'v1');
    const opts = { cwd: repo, allowExternalRefs: false };
    expect((await loadDocument('base', 'git:main:api/ok.yaml', opts)).files).toHaveLength(2);
    const escape = await refusal(loadDocument('base', 'git:main:api/escape.yaml', opts));
    expect(escape.message).toContain(
      "$ref '../../outside.yaml' leads to git:main:../outside.yaml, outside the git tree of main. Set the input 'allow-external-refs'",
    );
    const file = await refusal(loadDocument('base', 'git:main:api/file.yaml', opts));
    expect(file.message).toContain('outside the git tree of main');
  });
});
