import { existsSync, mkdtempSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourPair } from '../helpers/colours.js';
import { haproxyWeights, startHaproxy, type Haproxy } from '../../shared/src/traffic/haproxy/testing/haproxy.js';
import { httpServer, type TestServer } from '../../shared/src/http/testing/servers.js';
import { node24, ROOT } from '../helpers/run-bundle.js';
import { withOrigin, type TempRepo } from '../../shared/src/git/testing/temp-repo.js';
import { program } from '../../shared/src/testing/daemons.js';
import { runWorkflow, type JobRun, type WorkflowRun } from '../helpers/workflow-runner.js';
import { startPrometheus, type Prometheus } from '../../shared/src/metrics/testing/prometheus.js';

// The reusable workflows run as GitHub's runner would run them (test/helpers/workflow-runner.ts): the committed step
// bundles in the order the workflow gives, each `with:` evaluated from the workflow's own `${{ }}` expressions over the
// outputs of the steps and jobs before, against loopback services, real HAProxy daemons, a real Prometheus and git
// repositories with a bare origin. GitHub itself, Docker and the artifact service are not involved.
const DELIVERY = join(ROOT, '.github/workflows/shipgate-service-delivery.yml');
const MULTI = join(ROOT, '.github/workflows/shipgate-multi-service.yml');
const WAVE = join(ROOT, '.github/workflows/shipgate-wave.yml');
const ROLLBACK_BUNDLE = join(ROOT, 'actions/rollback/dist/index.js');
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

const closers: (() => Promise<unknown>)[] = [];
let pair: Awaited<ReturnType<typeof colourPair>>;
let health: TestServer;
const broken = new Set<string>();

/** `/<service>/<colour>/healthz` (the workflows' `{service}` and the steps' `{color}`) and `/health` of a dependency. */
function healthRouter(req: IncomingMessage, res: ServerResponse) {
  const m = /^\/([\w-]+)\/(\w+)\/healthz$/.exec(req.url ?? '');
  const ok = m ? !broken.has(m[1]) && (m[2] === 'blue' || m[2] === 'green') : req.url === '/health';
  res.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' }).end(ok ? 'ok' : 'unhealthy');
}

beforeAll(async () => {
  node24();
  await program('haproxy');
  await program('jq');
  pair = await colourPair();
  health = await httpServer(healthRouter);
  closers.push(
    () => pair.close(),
    () => health.close(),
  );
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function haproxy(): Promise<Haproxy> {
  const h = await startHaproxy({ servers: { blue: pair.blue.address, green: pair.green.address } });
  closers.push(() => h.stop());
  return h;
}

const SEED = (url: string) => `services:
  config-center:     { level: 1, dependencies: [], deploy_order: 1, health: "${url}/health" }
  service-registry:  { level: 1, dependencies: [], deploy_order: 2, health: "${url}/health" }
  inventory-service: { level: 2, dependencies: [config-center, service-registry], deploy_order: 3, health: "${url}/health" }
  user-service:      { level: 2, dependencies: [config-center, service-registry], deploy_order: 4, health: "${url}/health" }
  order-service:     { level: 3, dependencies: [inventory-service, user-service], deploy_order: 5, health: "${url}/health" }
`;

const API = (extra: string) => `openapi: 3.0.3
info: { title: orders, version: '1' }
paths:
  /orders:
    get:
      responses:
        '200': { description: ok }
${extra}`;

/** The caller's checkout: the seed's config, an OpenAPI document released as v0.1.0, then a feature on top. */
function checkout(head: string): TempRepo {
  const { origin, work } = withOrigin();
  closers.push(async () => [origin, work].forEach((r) => r.remove()));
  work.commit('feat: orders', {
    'dependency-config.yml': SEED(health.url),
    'openapi.yaml': API(''),
    'services/order/main.ts': 'export {};\n',
  });
  work.tag('v0.1.0');
  work.commit('feat(order): list returns', {
    'openapi.yaml': head,
    'services/order/main.ts': 'export const returns = [];\n',
  });
  work.git('push', '--quiet', 'origin', 'HEAD:main', 'v0.1.0');
  return work;
}

const steps = (run: WorkflowRun, job: string): JobRun => run.jobs[job][0];
const results = (run: WorkflowRun) =>
  Object.fromEntries(Object.entries(run.jobs).map(([id, legs]) => [id, legs.map((l) => l.result).join(',')]));

describe('shipgate-service-delivery.yml, step by step as the runner runs it', { timeout: 180_000 }, () => {
  let perf: TestServer;
  beforeAll(async () => {
    perf = await httpServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"orders":[]}'),
    );
    closers.push(() => perf.close());
  });

  const inputs = (h: Haproxy, head: string) => ({
    service: 'order-service',
    timeout: '5s',
    base: 'git:v0.1.0:openapi.yaml',
    head,
    url: `${perf.url}/orders`,
    duration: '1s',
    warmup: '0',
    connections: 2,
    'max-p95': '2s',
    path: 'services/order',
    provider: 'haproxy',
    'haproxy-socket': h.socket,
    'haproxy-backend': 'web',
    'health-url': `${health.url}/order-service/{color}/healthz`,
    'healthy-threshold': 2,
    'health-timeout': '10s',
    steps: '50,100',
    'step-interval': '500ms',
  });

  it('checks, gates, tags, plans and switches HAProxy blue → green, each step fed by the ones before', async () => {
    const h = await haproxy();
    const work = checkout(API("  /returns:\n    get:\n      responses:\n        '200': { description: ok }\n"));
    const run = await runWorkflow(DELIVERY, inputs(h, 'openapi.yaml'), { workspace: work.dir, env: GIT_ENV });
    expect(results(run), run.events.join('\n')).toEqual({
      dependencies: 'success',
      'api-compat': 'success',
      'perf-baseline': 'success',
      release: 'success',
      switch: 'success',
      rollback: 'skipped',
    });
    // api-compat's verdict reached version-tag's `with:` through needs.api-compat.outputs.breaking.
    expect(steps(run, 'api-compat').outputs).toMatchObject({ breaking: 'false', 'suggested-bump': 'minor' });
    const tag = steps(run, 'release').steps.find((s) => s.id === 'version')!;
    expect(tag.with).toMatchObject({
      'api-breaking': 'false',
      'dry-run': 'false',
      prefix: 'v',
      path: 'services/order',
    });
    expect(tag.outputs).toMatchObject({ version: '0.2.0', tag: 'v0.2.0', released: 'true' });
    expect(work.git('ls-remote', '--tags', 'origin')).toContain('refs/tags/v0.2.0');
    // The plan (dry run) saw blue active; the switch moved traffic in two steps.
    const [, plan, sw, restore] = steps(run, 'switch').steps;
    expect(plan.outputs).toMatchObject({ active: 'blue', switched: 'false' });
    expect(plan.log).toContain('set weight web/green 50');
    expect(sw.with).toMatchObject({ provider: 'haproxy', steps: '50,100', 'healthy-threshold': '2', target: 'auto' });
    expect(sw.outputs).toMatchObject({ active: 'green', previous: 'blue', switched: 'true', reverted: 'false' });
    expect(restore.outcome).toBe('skipped');
    expect(await haproxyWeights(h)).toEqual({ blue: 0, green: 100 });
    expect(run.outputs).toMatchObject({
      healthy: 'true',
      breaking: 'false',
      version: '0.2.0',
      tag: 'v0.2.0',
      active: 'green',
      previous: 'blue',
      switched: 'true',
    });
    expect(run.events.indexOf('perf-baseline/perf: success')).toBeLessThan(
      run.events.indexOf('release/version: success'),
    );
    expect(steps(run, 'switch').summary).toContain('**blue → green** via `haproxy`');
  });

  it('stops at a breaking API change: no tag, no switch, HAProxy untouched', async () => {
    const h = await haproxy();
    const work = checkout(API('').replace('  /orders:\n', '  /orders/v2:\n'));
    const run = await runWorkflow(DELIVERY, inputs(h, 'openapi.yaml'), { workspace: work.dir, env: GIT_ENV });
    expect(results(run)).toMatchObject({
      dependencies: 'success',
      'api-compat': 'failure',
      release: 'skipped',
      switch: 'skipped',
      rollback: 'skipped',
    });
    expect(steps(run, 'api-compat').outputs).toMatchObject({ breaking: 'true' });
    expect(work.git('ls-remote', '--tags', 'origin')).not.toContain('v0.2.0');
    expect(await haproxyWeights(h)).toEqual({ blue: 100, green: 0 });
  });

  it.skipIf(!existsSync(ROLLBACK_BUNDLE))('rolls back when the watched metric breaches after the switch', async () => {
    const h = await haproxy();
    const prometheus: Prometheus = await startPrometheus([pair.blue.address, pair.green.address]);
    closers.push(() => prometheus.stop());
    pair.green.errorRatio = 0.5;
    try {
      const work = checkout(API("  /returns:\n    get:\n      responses:\n        '200': { description: ok }\n"));
      const run = await runWorkflow(
        DELIVERY,
        {
          ...inputs(h, 'openapi.yaml'),
          'prometheus-url': prometheus.url,
          'trigger-query': 'app_error_ratio{color="green"}',
          'trigger-max': '0.05',
          watch: '30s',
          'watch-interval': '1s',
        },
        { workspace: work.dir, env: GIT_ENV },
      );
      expect(
        results(run),
        run.events.join('\n') +
          steps(run, 'rollback')
            .steps.map((s) => s.log)
            .join('\n'),
      ).toMatchObject({ switch: 'success', rollback: 'failure' });
      const rb = steps(run, 'rollback').steps.find((s) => s.id === 'rollback')!;
      expect(rb.with).toMatchObject({
        provider: 'blue-green',
        backend: 'haproxy',
        to: 'blue',
        config: 'dependency-config.yml',
        service: 'order-service',
      });
      expect(rb.outputs).toMatchObject({ 'rolled-back': 'true', triggered: 'true', from: 'green', to: 'blue' });
      expect(await haproxyWeights(h)).toEqual({ blue: 100, green: 0 });
      expect(run.outputs['rolled-back']).toBe('true');
    } finally {
      pair.green.errorRatio = 0;
    }
  });
});

describe("shipgate-multi-service.yml: the seed's five services, wave by wave", { timeout: 180_000 }, () => {
  const services = ['config-center', 'service-registry', 'inventory-service', 'user-service', 'order-service'];
  let proxies: Record<string, Haproxy>;
  let work: TempRepo;
  let run: WorkflowRun;
  let artifacts: string;

  beforeAll(async () => {
    proxies = Object.fromEntries(await Promise.all(services.map(async (s) => [s, await haproxy()] as const)));
    work = checkout(API(''));
    artifacts = mkdtempSync(join(tmpdir(), 'shipgate-artifacts-'));
    broken.add('inventory-service');
    try {
      run = await runWorkflow(
        MULTI,
        {
          provider: 'haproxy',
          'haproxy-backend': 'web',
          'health-url': `${health.url}/{service}/{color}/healthz`,
          'healthy-threshold': 1,
          'health-timeout': '2s',
          'step-interval': '300ms',
          timeout: '5s',
          'service-settings': JSON.stringify(
            Object.fromEntries(services.map((s) => [s, { 'haproxy-socket': proxies[s].socket }])),
          ),
        },
        { workspace: work.dir, env: GIT_ENV, artifacts },
      );
    } finally {
      broken.delete('inventory-service');
    }
  });

  it("plans the waves with check-dependencies and deploys them in order, each wave's services in parallel", () => {
    expect(JSON.parse(run.outputs.waves)).toEqual([
      ['config-center', 'service-registry'],
      ['inventory-service', 'user-service'],
      ['order-service'],
    ]);
    expect(
      run.jobs.wave.map((l) => l.result),
      run.events.join('\n'),
    ).toEqual(['success', 'failure', 'cancelled']);
    const first = run.events.findIndex((e) => e.startsWith('deploy(inventory-service)'));
    const lastOfWave1 = Math.max(
      ...['config-center', 'service-registry'].map((s) => run.events.lastIndexOf(`deploy(${s})/switch: success`)),
    );
    expect(lastOfWave1).toBeGreaterThan(-1);
    expect(lastOfWave1).toBeLessThan(first);
  });

  it('switches every service of a finished wave; a failing service leaves its sibling deployed and stops later waves', async () => {
    for (const s of ['config-center', 'service-registry', 'user-service'])
      expect(await haproxyWeights(proxies[s]), s).toEqual({ blue: 0, green: 100 });
    expect(await haproxyWeights(proxies['inventory-service'])).toEqual({ blue: 100, green: 0 });
    expect(await haproxyWeights(proxies['order-service'])).toEqual({ blue: 100, green: 0 });
    const wave2 = run.jobs.wave[1].nested!;
    const inventory = wave2.jobs.deploy.find((l) => l.matrix?.service === 'inventory-service')!;
    // `{service}` in the common health-url became the service's name; its own socket came from service-settings.
    expect(inventory.steps.find((s) => s.id === 'switch')!.with).toMatchObject({
      'health-url': `${health.url}/inventory-service/{color}/healthz`,
      'haproxy-socket': proxies['inventory-service'].socket,
      'healthy-threshold': '1',
    });
    expect(inventory.result).toBe('failure');
  });

  it("collects every service's status into the summary, the ones never deployed included", () => {
    const statuses = JSON.parse(run.outputs.statuses) as {
      service: string;
      wave: number;
      status: string;
      active?: string;
    }[];
    expect(statuses.map((s) => [s.wave, s.service, s.status, s.active ?? ''])).toEqual([
      [1, 'config-center', 'success', 'green'],
      [1, 'service-registry', 'success', 'green'],
      [2, 'inventory-service', 'failure', 'blue'],
      [2, 'user-service', 'success', 'green'],
      [3, 'order-service', 'not-deployed', ''],
    ]);
    expect(run.outputs.paused).toBe('true');
    const summary = run.jobs.statuses[0].summary;
    expect(summary).toContain('| 3 | order-service | ⏸ not deployed |');
    expect(summary).toContain('**Paused:** inventory-service failed; not deployed: order-service.');
  });

  it('a wave started after a failed one pauses at its gate and deploys nothing', async () => {
    const again = await runWorkflow(
      WAVE,
      { wave: 2, services: '["order-service"]', provider: 'haproxy', 'haproxy-backend': 'web' },
      { workspace: work.dir, env: GIT_ENV, artifacts },
    );
    expect(results(again)).toEqual({ gate: 'failure', deploy: 'skipped' });
    expect(again.jobs.gate[0].steps[1].log).toContain(
      '::error::Paused: inventory-service failed in an earlier wave, so wave 3 does not deploy.',
    );
    expect(await haproxyWeights(proxies['order-service'])).toEqual({ blue: 100, green: 0 });
  });
});
