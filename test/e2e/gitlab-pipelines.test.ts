import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair, type ColourServer } from '../helpers/colours.js';
import { gitlabWork, openapiSpec as spec, pipeline, project, type GitlabWork } from '../helpers/gitlab-ci-local.js';
import { haproxyActive, startHaproxy, type Haproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { startPrometheus, type Prometheus } from '../../shared/src/metrics/testing/prometheus.js';
import { httpServer, status, type TestServer } from '../../shared/src/http/testing/servers.js';

// The whole-pipeline components run by gitlab-ci-local (shell executor): service-delivery against a real HAProxy and a
// real Prometheus on loopback, and multi-service with its child pipeline of waves.
let work: GitlabWork;
let healthy: TestServer;
let failing: TestServer;

beforeAll(async () => {
  work = await gitlabWork();
  healthy = await httpServer(status(200));
  failing = await httpServer(status(503));
});
afterAll(async () => {
  await healthy?.close();
  await failing?.close();
});

const commit = (p: string, msg: string) =>
  execFileSync(
    'git',
    ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-q', '--allow-empty', '-m', msg],
    { cwd: p },
  );
const artifact = (p: string, job: string, file: string) =>
  readFileSync(join(p, '.gitlab-ci-local', 'artifacts', job, file), 'utf8');
/** A job's dotenv report; the shell executor leaves it in the project directory. */
const dotenv = (p: string, step: string) =>
  Object.fromEntries(
    readFileSync(join(p, `shipgate-${step}.env`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe('GitLab component: service-delivery', () => {
  let pair: { blue: ColourServer; green: ColourServer; close(): Promise<void> };
  let haproxy: Haproxy;
  let prometheus: Prometheus;
  let router: TestServer;

  beforeAll(async () => {
    pair = await colourPair();
    prometheus = await startPrometheus([pair.blue.address, pair.green.address]);
    // `{color}` in health-url: one address for both colours, as `http://{color}.orders.internal/healthz` would be.
    router = await httpServer((req, res) => {
      const colour = req.url?.split('/')[1] === 'green' ? pair.green : pair.blue;
      fetch(`${colour.url}/healthz`).then(
        (r) => res.writeHead(r.status).end(),
        () => res.writeHead(502).end(),
      );
    });
  }, 60_000);
  afterAll(async () => {
    await haproxy?.stop();
    await prometheus?.stop();
    await router?.close();
    await pair?.close();
  });

  const ci = (extra: string) => `stages: [test, deploy]
include:
  - component: $CI_SERVER_FQDN/shop/delivery/service-delivery@$CI_COMMIT_SHA
    inputs:
      cli-package: file:./${work.tgz}
      service: web
      timeout: 5s
      base: base.yaml
      head: head.yaml
      url: ${healthy.url}/
      duration: 1s
      warmup: "0"
      connections: 2
      max-error-rate: 1%
      dry-run: true
      provider: haproxy
      haproxy-socket: ${haproxy.socket}
      haproxy-backend: web
      health-url: ${router.url}/{color}/healthz
      health-timeout: 10s
      steps: 50,100
      step-interval: 500ms
      prometheus-url: ${prometheus.url}
      trigger-query: max(app_error_ratio{color="green"})
      trigger-max: "0.05"
      watch: 6s
      watch-interval: 1s
${extra}`;

  const files = (base: string, head: string) => ({
    'dependency-config.yml': `services:\n  db: { health: "${healthy.url}/health" }\n  web: { dependencies: [db] }\n`,
    'base.yaml': spec(base),
    'head.yaml': spec(head),
  });

  it('delivers a compatible change: checks, a minor version, the switch to green, a quiet watch', async () => {
    haproxy = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address } });
    pair.green.errorRatio = 0;
    const p = project(work, 'delivery-ok', ci(''), files('true', 'false'));
    execFileSync('git', ['tag', 'v1.4.2'], { cwd: p });
    commit(p, 'feat(orders): list orders by customer');
    const r = await pipeline(work, p);
    for (const job of [
      'check-dependencies',
      'api-compat',
      'perf-baseline',
      'version-tag',
      'blue-green-switch',
      'rollback',
    ]) {
      expect(r.stdout, job).toMatch(new RegExp(`PASS\\s+shipgate-${job}\\b`));
    }
    // api-compat's `breaking` reached version-tag's api-breaking through the dotenv report.
    expect(dotenv(p, 'api-compat').SHIPGATE_BREAKING).toBe('false');
    expect(dotenv(p, 'version-tag')).toMatchObject({
      SHIPGATE_VERSION: '1.5.0',
      SHIPGATE_BUMP: 'minor',
      SHIPGATE_RELEASED: 'false',
    });
    expect(dotenv(p, 'blue-green-switch')).toMatchObject({ SHIPGATE_ACTIVE: 'green', SHIPGATE_PREVIOUS: 'blue' });
    expect(dotenv(p, 'rollback')).toMatchObject({ SHIPGATE_ROLLED_BACK: 'false', SHIPGATE_TRIGGERED: 'false' });
    expect(await haproxyActive(haproxy)).toBe('green');
    expect(
      JSON.parse(artifact(p, 'shipgate-perf-baseline', 'load-performance.json')).metrics.http_reqs.rate,
    ).toBeGreaterThan(0);
    expect(r.code).toBe(0);
    await haproxy.stop();
  }, 300_000);

  it('with switch-when: manual, the switch waits for a click and the watch waits for the switch', async () => {
    haproxy = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address } });
    const p = project(work, 'delivery-manual', ci('      switch-when: manual\n'), files('true', 'true'));
    // GitLab leaves a manual job waiting; gitlab-ci-local instead refuses to start a pipeline whose jobs need a manual
    // job that --manual does not click, which shows the rule took effect without running anything.
    const r = await pipeline(work, p);
    expect(r.stdout + r.stderr).toContain(
      'shipgate-blue-green-switch is when:manual, its needed by shipgate-rollback, and not specified in --manual',
    );
    expect(r.stdout).not.toMatch(/shipgate-blue-green-switch\s+starting/);
    expect(await haproxyActive(haproxy)).toBe('blue');
    await haproxy.stop();
  }, 300_000);

  it('forces a major version for a breaking change, then the watch rolls back to blue on a breach', async () => {
    haproxy = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address } });
    pair.green.errorRatio = 0.5; // green misbehaves once it has the traffic
    const p = project(work, 'delivery-breach', ci('      fail-on: never\n'), files('false', 'true'));
    execFileSync('git', ['tag', 'v1.4.2'], { cwd: p });
    commit(p, 'fix: round totals');
    const r = await pipeline(work, p);
    expect(r.stdout).toMatch(/PASS\s+shipgate-api-compat\b/);
    expect(r.stdout).toContain('request-parameter-became-required');
    expect(dotenv(p, 'api-compat').SHIPGATE_BREAKING).toBe('true');
    // A fix commit alone is a patch; the breaking API change, handed over by dotenv, makes it a major.
    expect(dotenv(p, 'version-tag')).toMatchObject({ SHIPGATE_VERSION: '2.0.0', SHIPGATE_BUMP: 'major' });
    expect(r.stdout).toMatch(/PASS\s+shipgate-blue-green-switch\b/);
    expect(dotenv(p, 'blue-green-switch').SHIPGATE_PREVIOUS).toBe('blue');
    expect(r.stdout).toMatch(/FAIL\s+shipgate-rollback\b/);
    expect(dotenv(p, 'rollback')).toMatchObject({
      SHIPGATE_ROLLED_BACK: 'true',
      SHIPGATE_TRIGGERED: 'true',
      SHIPGATE_TO: 'blue',
    });
    expect(await haproxyActive(haproxy)).toBe('blue');
    expect(r.code).not.toBe(0);
    await haproxy.stop();
  }, 300_000);
});

describe('GitLab component: multi-service', () => {
  // Wave 1: db, cache · wave 2: api (needs db), worker (needs cache) · wave 3: web (needs api and worker).
  const config = (cache: string) => `services:
  db: { health: "${healthy.url}/db" }
  cache: { health: "${cache}/cache" }
  api: { dependencies: [db], health: "${healthy.url}/api" }
  worker: { dependencies: [cache], health: "${healthy.url}/worker" }
  web: { dependencies: [api, worker] }
`;
  // The user's deploy of one service, a hidden job the child pipeline's jobs extend: here it probes the service's
  // dependencies with check-dependencies, as a deploy would before it starts.
  const deployJob = () => `.deploy-service:
  variables:
    SHIPGATE_SERVICE: $SERVICE
    SHIPGATE_TIMEOUT: 2s
    SHIPGATE_INTERVAL: 500ms
    SHIPGATE_DOTENV_FILE: deploy-$SERVICE.env
    SHIPGATE_SUMMARY_FILE: deploy-$SERVICE.md
    SHIPGATE_OUTPUTS_FILE: deploy-$SERVICE.json
  script:
    - 'echo "deploying $SERVICE in wave $WAVE"'
    - npx --yes -- file:./${work.tgz} check-dependencies
`;
  const ci = () => `stages: [test, deploy]
include:
  - component: $CI_SERVER_FQDN/shop/delivery/multi-service@$CI_COMMIT_SHA
    inputs:
      cli-package: file:./${work.tgz}
      child-include: .gitlab/deploy-service.yml
`;

  it('plans the waves, deploys them as a child pipeline, and a failing service pauses the next wave', async () => {
    const p = project(work, 'multi', ci(), {
      'dependency-config.yml': config(failing.url),
      '.gitlab/deploy-service.yml': deployJob(),
    });
    const r = await pipeline(work, p);
    const out = r.stdout + r.stderr;
    expect(r.stdout).toMatch(/PASS\s+shipgate-check-dependencies\b/);
    const child = artifact(p, 'shipgate-check-dependencies', 'shipgate-child-pipeline.yml');
    expect(child).toContain('- wave-3');
    // The child pipeline ran from the artifact, in waves (gitlab-ci-local prints a child's failed jobs without the
    // `[trigger] ->` prefix).
    expect(out).toContain('deploying db in wave 1');
    expect(out).toContain('deploying api in wave 2');
    expect(out).toMatch(/UNHEALTHY cache \(http:\/\/127\.0\.0\.1:\d+\/cache\) after \d+ attempts: HTTP 503/);
    expect(r.stdout).toMatch(/PASS\s+\[shipgate-deploy\] -> deploy-api\b/);
    expect(r.stdout).toMatch(/FAIL\s+(\[shipgate-deploy\] -> )?deploy-worker\b/);
    expect(r.stdout).toMatch(/PASS\s+\[shipgate-deploy\] -> shipgate-wave-1-gate\b/);
    expect(r.stdout).toMatch(/FAIL\s+(\[shipgate-deploy\] -> )?shipgate-wave-2-gate\b/);
    // The third wave never started.
    expect(out).not.toContain('deploying web');
    const summary = artifact(p, 'shipgate-wave-2-gate', 'shipgate-summary.md');
    expect(summary).toContain('| 2 | worker | ❌ failed |');
    expect(summary).toContain('| 2 | api | ✅ deployed |');
    expect(summary).toContain('| 1 | cache | ✅ deployed |');
    expect(summary).toContain('| 3 | web | ⏸ paused |');
    expect(summary).toContain('**Deployment paused after wave 2:** worker (failed).');
    expect(existsSync(join(p, '.gitlab-ci-local', 'artifacts', 'shipgate-summary'))).toBe(false);
  }, 300_000);

  it('deploys every wave when all are healthy, and the last job writes the whole summary', async () => {
    const p = project(work, 'multi-ok', ci(), {
      'dependency-config.yml': config(healthy.url),
      '.gitlab/deploy-service.yml': deployJob(),
    });
    const r = await pipeline(work, p);
    expect(r.stdout + r.stderr).toContain('deploying web in wave 3');
    for (const job of [
      'deploy-db',
      'deploy-cache',
      'deploy-api',
      'deploy-worker',
      'deploy-web',
      'shipgate-wave-1-gate',
      'shipgate-wave-2-gate',
      'shipgate-summary',
    ]) {
      expect(r.stdout, job).toMatch(new RegExp(`PASS\\s+\\[shipgate-deploy\\] -> ${job}\\b`));
    }
    const summary = artifact(p, 'shipgate-summary', 'shipgate-summary.md');
    expect(summary).toContain('### Deploy of 5 services in 3 waves: status after wave 3');
    expect(summary).toContain('| 3 | web | ✅ deployed |');
    expect(summary).toContain('**All services deployed.**');
    expect(r.code).toBe(0);
  }, 300_000);
});
