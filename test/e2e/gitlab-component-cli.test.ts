import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../actions/check-dependencies/src/schema.js';
import { componentYml } from '../../scripts/generated.js';
import { cliFiles } from '../../scripts/distribution.js';
import { gitServer, type GitServer } from '../../shared/src/git/testing/git-server.js';
import { program } from '../../shared/src/testing/daemons.js';
import { ROOT, runProcess } from '../helpers/run-bundle.js';

// A component included from another project on a local GitLab (bare repositories over git's smart HTTP protocol, and
// the repository-files API the loader calls): the job runs the CLI of exactly the commit the include resolved to,
// fetched from the component's project and checked against the SHA-256 the component recorded. The "CLI" here is a
// stand-in that prints a marker, so the test shows which commit's code ran.
const gcl = join(ROOT, 'node_modules', '.bin', 'gitlab-ci-local');
let root: string;
let server: GitServer;
const shas: Record<string, string> = {};

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

function write(dir: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

/** Commits a CLI that prints `marker`, with the component generated for exactly those files. */
function release(src: string, marker: string): string {
  write(src, {
    'dist/cli/index.js': `console.log('SHIPGATE-MARKER ${marker} ' + process.argv.slice(2).join(' '));\n`,
    'dist/cli/package.json': '{ "type": "module" }\n',
  });
  const dist = { version: '1.0.0', github: 'acme/shipgate', gitlab: 'acme/shipgate', files: cliFiles(src) };
  write(src, { 'templates/check-dependencies.yml': componentYml(schema, dist) });
  git(src, 'add', '-A');
  git(src, 'commit', '-qm', `CLI ${marker}`);
  return git(src, 'rev-parse', 'HEAD');
}

beforeAll(async () => {
  await program('rsync');
  root = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-'));
  const bare = join(root, 'acme', 'shipgate.git');
  mkdirSync(bare, { recursive: true });
  git(bare, 'init', '-q', '--bare', '-b', 'main');
  git(bare, 'config', 'uploadpack.allowFilter', 'true');
  git(bare, 'config', 'http.receivepack', 'true');
  const src = join(root, 'src');
  mkdirSync(src);
  git(src, 'init', '-q', '-b', 'main');
  shas.released = release(src, 'released');
  git(src, 'tag', '1.0.0');
  shas.later = release(src, 'later'); // on main after the release: an include of @1 must not run it
  git(src, 'push', '-q', bare, 'main', '--tags');
  server = await gitServer(root);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

/** A project that includes check-dependencies@1 from the local GitLab, run by gitlab-ci-local. */
async function pipeline(name: string) {
  const p = join(root, name);
  write(p, {
    '.gitlab-ci.yml': `include:\n  - component: 127.0.0.1:${server.port}/acme/shipgate/check-dependencies@1\n    inputs:\n      cli-project: acme/shipgate\n`,
    '.gitignore': '.gitlab-ci-local/\n',
  });
  git(p, 'init', '-q', '-b', 'main');
  git(p, 'add', '-A');
  git(p, 'commit', '-qm', 'pipeline');
  git(p, 'remote', 'add', 'origin', `${server.url}/shop/app.git`);
  return runProcess(
    gcl,
    ['--force-shell-executor', '--variable', 'GITLAB_CI=true', '--variable', `CI_API_V4_URL=${server.url}/api/v4`],
    {
      cwd: p,
      timeoutMs: 120_000,
    },
  );
}

describe('GitLab component from another project', () => {
  it("runs the CLI of the commit the include resolved to, fetched from the component's project", async () => {
    const r = await pipeline('app');
    const out = r.stdout + r.stderr;
    expect(out).toContain('SHIPGATE-MARKER released check-dependencies');
    expect(out).not.toContain('SHIPGATE-MARKER later');
    expect(server.requests).toContain(`acme/shipgate dist/cli/index.js ${shas.released}`);
    expect(r.stdout).toMatch(/PASS\s+shipgate-check-dependencies/);
    expect(r.code).toBe(0);
  }, 180_000);

  it('refuses a download whose SHA-256 differs from the one the component recorded, and runs nothing', async () => {
    server.tamper.add('dist/cli/index.js');
    try {
      const r = await pipeline('app-tampered');
      const out = r.stdout + r.stderr;
      expect(out).toContain(`dist/cli/index.js at ${shas.released} has SHA-256`);
      expect(out).toContain('nothing was run');
      expect(out).not.toContain('SHIPGATE-MARKER');
      expect(out).not.toContain('TAMPERED');
      expect(r.stdout).toMatch(/FAIL\s+shipgate-check-dependencies/);
      expect(r.code).not.toBe(0);
    } finally {
      server.tamper.clear();
    }
  }, 180_000);
});
