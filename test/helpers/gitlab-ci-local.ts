import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { program } from '../../shared/src/testing/daemons.js';
import { ROOT, runProcess } from './run-bundle.js';

// GitLab pipelines run by gitlab-ci-local with the shell executor (no Docker here): a project includes the components
// of the project itself (`component: $CI_SERVER_FQDN/shop/delivery/<name>@$CI_COMMIT_SHA`), and its jobs run the
// tarball `npm pack` makes through the components' `cli-package` input.
const gcl = join(ROOT, 'node_modules', '.bin', 'gitlab-ci-local');

/** A work directory with the packed Shipgate tarball, shared by the projects of one test file. */
export interface GitlabWork {
  dir: string;
  /** File name of the tarball; a project's components take `version: file:./<tgz>`. */
  tgz: string;
}

/** Packs Shipgate once and makes sure rsync, which gitlab-ci-local copies the project with, is installed. */
export async function gitlabWork(): Promise<GitlabWork> {
  await program('rsync');
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-gcl-'));
  execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { dir, tgz: readdirSync(dir).find((f) => f.endsWith('.tgz'))! };
}

/** A git project with the components under templates/, the package tarball, `.gitlab-ci.yml` and `files`. */
export function project(work: GitlabWork, name: string, ci: string, files: Record<string, string>): string {
  const p = join(work.dir, name);
  mkdirSync(join(p, 'templates'), { recursive: true });
  for (const f of readdirSync(join(ROOT, 'templates')))
    copyFileSync(join(ROOT, 'templates', f), join(p, 'templates', f));
  copyFileSync(join(work.dir, work.tgz), join(p, work.tgz));
  writeFileSync(join(p, '.gitlab-ci.yml'), ci);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(p, file)), { recursive: true });
    writeFileSync(join(p, file), text);
  }
  writeFileSync(join(p, '.gitignore'), '.gitlab-ci-local/\n');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: p, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'add', '-A');
  git('-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qm', 'pipeline');
  git('remote', 'add', 'origin', 'https://gitlab.example.com/shop/delivery.git');
  return p;
}

/**
 * Runs the whole pipeline (`args` adds e.g. `--manual <job>`). gitlab-ci-local sets GITLAB_CI=false; a real runner
 * sets true, so the jobs do too.
 */
export function pipeline(work: GitlabWork, p: string, args: string[] = []) {
  return runProcess(gcl, ['--force-shell-executor', '--variable', 'GITLAB_CI=true', ...args], {
    cwd: p,
    env: { npm_config_cache: join(work.dir, 'npm-cache'), npm_config_update_notifier: 'false' },
    timeoutMs: 240_000,
  });
}

/** A one-operation OpenAPI document whose `limit` parameter is required or not: `true` makes a breaking change of `false`. */
export const openapiSpec = (required: string) => `openapi: 3.0.3
info: { title: orders, version: "1" }
paths:
  /orders:
    get:
      parameters:
        - { name: limit, in: query, required: ${required}, schema: { type: integer } }
      responses:
        "200": { description: ok }
`;
