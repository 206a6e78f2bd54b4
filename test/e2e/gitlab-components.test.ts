import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import {
  gitlabWork,
  openapiSpec as spec,
  pipeline as runPipeline,
  project as makeProject,
  type GitlabWork,
} from '../helpers/gitlab-ci-local.js';
import { haproxyActive, startHaproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { httpServer, status, type TestServer } from '../../shared/src/http/testing/servers.js';

// The generated GitLab components, included with inputs into a project and run by gitlab-ci-local with the shell
// executor (no Docker here): the job runs `npx shipgate@<version>`, here the tarball `npm pack` makes, and later jobs
// read its outputs from the dotenv report.
let work: GitlabWork;
let tgz: string;
let healthy: TestServer;
let failing: TestServer;

const project = (name: string, ci: string, files: Record<string, string>) => makeProject(work, name, ci, files);
const pipeline = (p: string) => runPipeline(work, p);

beforeAll(async () => {
  work = await gitlabWork();
  tgz = work.tgz;
  healthy = await httpServer(status(200));
  failing = await httpServer(status(503));
});

afterAll(async () => {
  await healthy?.close();
  await failing?.close();
});

describe('GitLab component: check-dependencies', () => {
  const ci = () => `stages: [test, deploy]
include:
  - component: $CI_SERVER_FQDN/shop/delivery/check-dependencies@$CI_COMMIT_SHA
    inputs:
      cli-package: file:./${tgz}
      service: web
      timeout: 3s
      interval: 500ms
deploy:
  stage: deploy
  needs: [shipgate-check-dependencies]
  script:
    - 'echo "deploying waves $SHIPGATE_WAVES, healthy=$SHIPGATE_HEALTHY"'
`;
  const config = (health: string) => ({
    'dependency-config.yml': `services:\n  db: { health: "${health}" }\n  web: { dependencies: [db] }\n`,
  });

  it('passes its outputs to the next job through the dotenv report', async () => {
    const r = await pipeline(project('pass', ci(), config(`${healthy.url}/health`)));
    expect(r.stdout + r.stderr).toContain('deploying waves [["db"],["web"]], healthy=true');
    expect(r.stdout).toMatch(/PASS\s+shipgate-check-dependencies/);
    expect(r.stdout).toMatch(/PASS\s+deploy/);
    expect(r.code).toBe(0);
  }, 300_000);

  it('fails the job on an unhealthy dependency, and the deploy job does not run', async () => {
    const r = await pipeline(project('fail', ci(), config(`${failing.url}/health`)));
    expect(r.stdout).toMatch(/FAIL\s+shipgate-check-dependencies/);
    expect(r.stdout).toMatch(/UNHEALTHY db \(http:\/\/127\.0\.0\.1:\d+\/health\) after \d+ attempts: HTTP 503/);
    expect(r.stdout).not.toContain('deploying waves');
    expect(r.code).not.toBe(0);
  }, 300_000);
});

describe('GitLab component: api-compat', () => {
  const ci = () => `stages: [test, deploy]
include:
  - component: $CI_SERVER_FQDN/shop/delivery/api-compat@$CI_COMMIT_SHA
    inputs:
      cli-package: file:./${tgz}
      base: base.yaml
      head: head.yaml
release:
  stage: deploy
  needs: [shipgate-api-compat]
  script:
    - 'echo "next job sees bump=$SHIPGATE_SUGGESTED_BUMP"'
`;

  it('fails a breaking change and keeps the JUnit and code-quality reports for the merge request widgets', async () => {
    const p = project('api-break', ci(), { 'base.yaml': spec('false'), 'head.yaml': spec('true') });
    const r = await pipeline(p);
    expect(r.stdout).toMatch(/FAIL\s+shipgate-api-compat/);
    expect(r.stdout).toContain('request-parameter-became-required');
    expect(r.stdout).not.toContain('next job sees');
    const junit = readFileSync(
      join(p, '.gitlab-ci-local', 'artifacts', 'shipgate-api-compat', 'shipgate-reports', 'api-compat.junit.xml'),
      'utf8',
    );
    expect(junit).toContain('<failure');
    const quality = JSON.parse(
      readFileSync(
        join(
          p,
          '.gitlab-ci-local',
          'artifacts',
          'shipgate-api-compat',
          'shipgate-reports',
          'api-compat.codequality.json',
        ),
        'utf8',
      ),
    );
    expect(quality[0].check_name).toBe('request-parameter-became-required');
  }, 300_000);

  it('passes a compatible change and hands the suggested bump to the next job', async () => {
    const p = project('api-ok', ci(), { 'base.yaml': spec('true'), 'head.yaml': spec('false') });
    const r = await pipeline(p);
    expect(r.stdout).toMatch(/PASS\s+shipgate-api-compat/);
    expect(r.stdout).toMatch(/next job sees bump=(minor|patch)/);
    expect(r.code).toBe(0);
  }, 300_000);
});

describe('GitLab component: version-tag', () => {
  it('computes the next version on a dry run and hands it to the next job', async () => {
    const ci = `stages: [test, deploy]
include:
  - component: $CI_SERVER_FQDN/shop/delivery/version-tag@$CI_COMMIT_SHA
    inputs:
      cli-package: file:./${tgz}
      dry-run: true
deploy:
  stage: deploy
  needs: [shipgate-version-tag]
  script:
    - 'echo "next job sees version=$SHIPGATE_VERSION bump=$SHIPGATE_BUMP"'
`;
    const p = project('version', ci, {});
    const commit = (msg: string) =>
      execFileSync(
        'git',
        ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-q', '--allow-empty', '-m', msg],
        { cwd: p },
      );
    execFileSync('git', ['tag', 'v1.4.2'], { cwd: p });
    commit('feat(orders): list orders by customer');
    commit('fix: round totals');
    const r = await pipeline(p);
    expect(r.stdout).toMatch(/PASS\s+shipgate-version-tag/);
    expect(r.stdout).toContain('next job sees version=1.5.0 bump=minor');
    expect(r.code).toBe(0);
  }, 300_000);
});

describe('GitLab component: perf-baseline', () => {
  it('gates a short load test and keeps the load_performance report and the result file', async () => {
    const ci = `stages: [test, deploy]
include:
  - component: $CI_SERVER_FQDN/shop/delivery/perf-baseline@$CI_COMMIT_SHA
    inputs:
      cli-package: file:./${tgz}
      url: ${healthy.url}/
      duration: 1s
      warmup: "0"
      connections: 2
      max-error-rate: 1%
deploy:
  stage: deploy
  needs: [shipgate-perf-baseline]
  script:
    - 'echo "next job sees passed=$SHIPGATE_PASSED regressed=$SHIPGATE_REGRESSED"'
`;
    const p = project('perf', ci, {});
    const r = await pipeline(p);
    expect(r.stdout).toMatch(/PASS\s+shipgate-perf-baseline/);
    expect(r.stdout).toContain('next job sees passed=true regressed=unknown');
    const artifacts = join(p, '.gitlab-ci-local', 'artifacts', 'shipgate-perf-baseline');
    const k6 = JSON.parse(readFileSync(join(artifacts, 'load-performance.json'), 'utf8'));
    expect(k6.metrics.http_reqs.rate).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(artifacts, 'perf-result.json'), 'utf8')).summary).toBeDefined();
    expect(r.code).toBe(0);
  }, 300_000);
});

describe('GitLab component: blue-green-switch', () => {
  it('switches a real HAProxy from blue to green and hands the live colour to the next job', async () => {
    const pair = await colourPair();
    const haproxy = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address } });
    try {
      const ci = `stages: [deploy, verify]
include:
  - component: $CI_SERVER_FQDN/shop/delivery/blue-green-switch@$CI_COMMIT_SHA
    inputs:
      cli-package: file:./${tgz}
      stage: deploy
      provider: haproxy
      haproxy-socket: ${haproxy.socket}
      haproxy-backend: web
      health-url: ${pair.green.url}/healthz
      health-timeout: 10s
      steps: 50,100
      step-interval: 500ms
verify:
  stage: verify
  needs: [shipgate-blue-green-switch]
  script:
    - 'echo "next job sees active=$SHIPGATE_ACTIVE previous=$SHIPGATE_PREVIOUS weights=$SHIPGATE_WEIGHTS"'
`;
      const r = await pipeline(project('switch', ci, {}));
      expect(r.stdout).toMatch(/PASS\s+shipgate-blue-green-switch/);
      expect(r.stdout).toContain('next job sees active=green previous=blue weights={"blue":0,"green":100}');
      expect(await haproxyActive(haproxy)).toBe('green');
      expect(r.code).toBe(0);
    } finally {
      await haproxy.stop();
      await pair.close();
    }
  }, 300_000);
});
