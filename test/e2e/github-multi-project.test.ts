import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program } from '../../shared/src/testing/daemons.js';
import { actionsServer, type ActionsServer } from '../../shared/src/forge/testing/forge-actions.js';
import { node24, ROOT } from '../helpers/run-bundle.js';
import { withOrigin, type TempRepo } from '../../shared/src/git/testing/temp-repo.js';
import { runWorkflow, type WorkflowRun } from '../helpers/workflow-runner.js';

// The multi-project delivery on GitHub, as the runner runs shipgate-multi-service.yml: the control repository's
// dependency-config.yml puts each of the five services in its own repository; every wave dispatches the services'
// deploy.yml through the in-process GitHub API (routes checked against @octokit/openapi) and waits for their runs.
const MULTI = join(ROOT, '.github/workflows/shipgate-multi-service.yml');
const SERVICES = ['config-center', 'service-registry', 'inventory-service', 'user-service', 'order-service'];
const CONFIG = `services:
  config-center:     { dependencies: [], project: acme/config-center }
  service-registry:  { dependencies: [], project: acme/service-registry }
  inventory-service: { dependencies: [config-center, service-registry], project: acme/inventory-service, inputs: { environment: production } }
  user-service:      { dependencies: [config-center, service-registry], project: acme/user-service, inputs: { environment: production } }
  order-service:     { dependencies: [inventory-service, user-service], project: acme/order-service, inputs: { environment: production } }
`;
const INPUTS = ['shipgate-id', 'shipgate-service', 'shipgate-wave', 'shipgate-version', 'environment'];
const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};
const closers: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

function control(): TempRepo {
  const { origin, work } = withOrigin();
  closers.push(() => [origin, work].forEach((r) => r.remove()));
  work.commit('chore: the delivery', { 'dependency-config.yml': CONFIG });
  return work;
}

async function deliver(failing: string[]): Promise<{ run: WorkflowRun; server: ActionsServer }> {
  const server = await actionsServer({
    token: 'ghs_app_token',
    runDetails: true,
    workflows: Object.fromEntries(SERVICES.map((s) => [`acme/${s}`, { 'deploy.yml': INPUTS }])),
    script: (inputs) => ({
      states: ['queued', 'in_progress', failing.includes(inputs['shipgate-service']) ? 'failure' : 'success'],
    }),
  });
  closers.push(() => server.close());
  const work = control();
  const run = await runWorkflow(
    MULTI,
    { provider: 'haproxy', 'pipeline-timeout': '30s', 'deploy-version': '2.3.0' },
    {
      workspace: work.dir,
      secrets: { 'dispatch-token': 'ghs_app_token' },
      env: { ...GIT_ENV, GITHUB_API_URL: server.url, GITHUB_REF_NAME: 'main', GITHUB_SHA: 'abc123' },
      artifacts: mkdtempSync(join(tmpdir(), 'shipgate-artifacts-')),
    },
  );
  return { run, server };
}

const statuses = (run: WorkflowRun) =>
  (JSON.parse(run.outputs.statuses) as { service: string; wave: number; status: string; url?: string }[]).map((s) => [
    s.wave,
    s.service,
    s.status,
  ]);

describe('shipgate-multi-service.yml with every service in its own repository', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    node24();
    await program('jq');
  });

  it("dispatches each wave's services, waits for their runs, and only then starts the next wave", async () => {
    const { run, server } = await deliver([]);
    expect(
      run.jobs.wave.map((l) => l.result),
      run.events.join('\n'),
    ).toEqual(['success', 'success', 'success']);
    expect(server.problems).toEqual([]);
    // Every service's run completed before a service of the next wave was dispatched.
    const order = server.runs.map((r) => r.inputs['shipgate-service']);
    expect(order.slice(0, 2).sort()).toEqual(['config-center', 'service-registry']);
    expect(order.slice(2, 4).sort()).toEqual(['inventory-service', 'user-service']);
    expect(order[4]).toBe('order-service');
    expect(
      Object.fromEntries(
        server.runs.map((r) => [
          r.inputs['shipgate-service'],
          [r.inputs['shipgate-wave'], r.inputs['shipgate-version'], r.ref],
        ]),
      ),
    ).toEqual({
      'config-center': ['1', '2.3.0', 'main'],
      'service-registry': ['1', '2.3.0', 'main'],
      'inventory-service': ['2', '2.3.0', 'main'],
      'user-service': ['2', '2.3.0', 'main'],
      'order-service': ['3', '2.3.0', 'main'],
    });
    expect(statuses(run)).toEqual([
      [1, 'config-center', 'success'],
      [1, 'service-registry', 'success'],
      [2, 'inventory-service', 'success'],
      [2, 'user-service', 'success'],
      [3, 'order-service', 'success'],
    ]);
    const summary = run.jobs.statuses[0].summary;
    const order1 = server.runs.find((r) => r.inputs['shipgate-service'] === 'order-service')!;
    expect(summary).toContain(
      `| 3 | order-service | ✅ deployed |  | [success](${server.url}/acme/order-service/actions/runs/${order1.id}) |`,
    );
    expect(summary).toContain('Every service was deployed.');
    // The switch is the service's own pipeline's business: it was skipped here.
    const leg = run.jobs.wave[0].nested!.jobs.deploy[0];
    expect(leg.steps.find((s) => s.id === 'switch')!.outcome).toBe('skipped');
  });

  it('a failed service run stops the later waves, and the statuses list every service with a link', async () => {
    const { run, server } = await deliver(['inventory-service']);
    expect(run.jobs.wave.map((l) => l.result)).toEqual(['success', 'failure', 'cancelled']);
    expect(server.runs.map((r) => r.inputs['shipgate-service'])).not.toContain('order-service');
    expect(statuses(run)).toEqual([
      [1, 'config-center', 'success'],
      [1, 'service-registry', 'success'],
      [2, 'inventory-service', 'failure'],
      [2, 'user-service', 'success'],
      [3, 'order-service', 'not-deployed'],
    ]);
    const inventory = server.runs.find((r) => r.inputs['shipgate-service'] === 'inventory-service')!;
    const summary = run.jobs.statuses[0].summary;
    expect(summary).toContain(
      `| 2 | inventory-service | ❌ failed |  | [failure](${server.url}/acme/inventory-service/actions/runs/${inventory.id}) |`,
    );
    expect(summary).toContain('**Paused:** inventory-service failed; not deployed: order-service.');
  });
});
