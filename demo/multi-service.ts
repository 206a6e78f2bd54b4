// The multi-service pipeline run locally by gitlab-ci-local (shell executor): the component templates/multi-service.yml
// plans the seed's five services, check-dependencies writes the child pipeline of waves, and gitlab-ci-local runs it.
// service-registry is down, so wave 2 fails, its gate pauses the deploy, and order-service (wave 3) never starts.
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { program } from '../shared/src/testing/daemons.js';
import type { DemoContext } from './context.js';

const root = new URL('..', import.meta.url).pathname;
const gcl = join(root, 'node_modules', '.bin', 'gitlab-ci-local');

const run = (cwd: string, env: Record<string, string>) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(
      gcl,
      ['--force-shell-executor', '--variable', 'GITLAB_CI=true'],
      { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, out: stdout + stderr }),
    ),
  );

export async function demo({ work, step, listen }: DemoContext) {
  // gitlab-ci-local copies files with rsync (Debian package), installed when missing.
  await program('rsync');
  // The jobs run `npx -- file:<this checkout>` (the components' cli-package input): the committed CLI bundle.
  if (!/^[A-Za-z0-9.+_:/^~-]*$/.test(root))
    throw new Error(`The checkout's path '${root}' has characters an npm version spec cannot hold.`);
  const version = `file:${root.replace(/\/$/, '')}`;
  const down = new Set(['service-registry']);
  const port = await listen(
    createServer((req, res) => {
      const name = (req.url ?? '').split('/')[2];
      res.writeHead(down.has(name) ? 503 : 200).end();
    }),
  );
  const health = (name: string) => `http://127.0.0.1:${port}/health/${name}`;
  const p = join(work, 'shop');
  mkdirSync(join(p, 'templates'), { recursive: true });
  mkdirSync(join(p, '.gitlab'));
  copyFileSync(join(root, 'templates', 'multi-service.yml'), join(p, 'templates', 'multi-service.yml'));
  writeFileSync(
    join(p, '.gitlab-ci.yml'),
    `stages: [test, deploy]
include:
  - component: $CI_SERVER_FQDN/shop/shop/multi-service@$CI_COMMIT_SHA   # on GitLab: component: $CI_SERVER_FQDN/OWNER/shipgate/multi-service@0
    inputs:
      cli-package: ${version}
      child-include: .gitlab/deploy-service.yml
`,
  );
  writeFileSync(
    join(p, '.gitlab', 'deploy-service.yml'),
    `# One service's deploy: its dependencies must be healthy first (a real deploy follows here).
.deploy-service:
  variables:
    SHIPGATE_SERVICE: $SERVICE
    SHIPGATE_TIMEOUT: 2s
    SHIPGATE_INTERVAL: 500ms
    SHIPGATE_DOTENV_FILE: deploy-$SERVICE.env
    SHIPGATE_SUMMARY_FILE: deploy-$SERVICE.md
    SHIPGATE_OUTPUTS_FILE: deploy-$SERVICE.json
  script:
    - 'echo "deploying $SERVICE in wave $WAVE"'
    - npx --yes -- ${version} check-dependencies
`,
  );
  const services: Record<string, string[]> = {
    'config-center': [],
    'service-registry': [],
    'inventory-service': ['config-center', 'service-registry'],
    'user-service': ['config-center', 'service-registry'],
    'order-service': ['inventory-service', 'user-service'],
  };
  writeFileSync(
    join(p, 'dependency-config.yml'),
    `services:\n${Object.entries(services)
      .map(([name, deps]) => `  ${name}: { dependencies: [${deps.join(', ')}], health: "${health(name)}" }`)
      .join('\n')}\n`,
  );
  writeFileSync(join(p, '.gitignore'), '.gitlab-ci-local/\n');
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=demo@example.com', '-c', 'user.name=demo', ...args], {
      cwd: p,
      stdio: 'ignore',
    });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'shop');
  // The project includes its own copy of the component at its own commit, as gitlab-ci-local resolves it locally.
  git('remote', 'add', 'origin', 'https://gitlab.example.com/shop/shop.git');
  console.log(readFileSync(join(p, '.gitlab-ci.yml'), 'utf8'));

  step('gitlab-ci-local runs the pipeline: the plan writes the child pipeline of waves; service-registry answers 503');
  const r = await run(p, { npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' });
  const child = join(p, '.gitlab-ci-local', 'artifacts', 'shipgate-check-dependencies', 'shipgate-child-pipeline.yml');
  if (!existsSync(child)) throw new Error(`the plan wrote no child pipeline:\n${r.out.slice(-3000)}`);
  const stages = /stages:\n((?:\s+- .*\n)+)/.exec(readFileSync(child, 'utf8'))?.[1].replace(/\s+- /g, ' ').trim();
  console.log(`child pipeline ${child.slice(p.length + 1)}: stages ${stages}`);
  for (const line of r.out.split('\n')) {
    if (/deploying \S+ in wave \d$|UNHEALTHY|^ (PASS|FAIL) /.test(line) && !line.includes('$ echo'))
      console.log(line.replace(/^\S+\s+> /, '  '));
  }

  step("The gate after wave 2 collected every service's status into the summary and paused the deploy");
  const gate = join(p, '.gitlab-ci-local', 'artifacts', 'shipgate-wave-2-gate', 'shipgate-summary.md');
  const summary = existsSync(gate) ? readFileSync(gate, 'utf8') : '';
  console.log(summary);
  const expected = [
    '| 1 | config-center | ✅ deployed |',
    '| 2 | inventory-service | ❌ failed |',
    '| 3 | order-service | ⏸ paused |',
  ];
  const missing = expected.filter((line) => !summary.includes(line));
  if (missing.length || r.out.includes('deploying order-service')) {
    throw new Error(
      `expected wave 2 to fail and pause wave 3; summary lacks ${missing.join(', ') || 'nothing'}${r.out.includes('deploying order-service') ? ' and order-service was deployed' : ''}`,
    );
  }
}
