import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../shared/src/clock.js';
import { ConfigError, ExternalError } from '../../shared/src/errors.js';
import { dispatchAndWait, type DispatchRequest, type RunState } from '../../shared/src/forge/dispatch.js';
import {
  actionsServer,
  type ActionsOptions,
  type ActionsServer,
  type RunScript,
} from '../../shared/src/forge/testing/forge-actions.js';

// Dispatch-and-wait against the in-process GitHub API (routes and bodies checked against @octokit/openapi), with runs
// that go queued → in_progress → completed, fail, are cancelled, stay queued, or never appear.
const TOKEN = 'ghs_app_installation_token';
const INPUTS = ['shipgate-id', 'shipgate-service', 'shipgate-wave', 'shipgate-version', 'environment'];
const servers: ActionsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    expect(s.problems, "requests and answers follow GitHub's OpenAPI description").toEqual([]);
    await s.close();
  }
});

async function github(script: ActionsOptions['script'], runDetails = false) {
  const server = await actionsServer({
    token: TOKEN,
    workflows: { 'acme/order-service': { 'deploy.yml': INPUTS }, 'acme/user-service': { 'deploy.yml': INPUTS } },
    script,
    runDetails,
  });
  servers.push(server);
  return { server, octokit: getOctokit(TOKEN, { baseUrl: server.url }) };
}

const request = (id: string, repo = 'order-service', extra: Record<string, string> = {}): DispatchRequest => ({
  owner: 'acme',
  repo,
  workflow: 'deploy.yml',
  ref: 'main',
  correlationId: id,
  inputs: { 'shipgate-id': id, 'shipgate-service': repo, 'shipgate-wave': '2', 'shipgate-version': '1.4.0', ...extra },
});

function wait(
  octokit: ReturnType<typeof getOctokit>,
  req: DispatchRequest,
  deadlineMs = 60_000,
  signal?: AbortSignal,
  onEach?: (s: RunState | undefined) => void,
) {
  const progress: string[] = [];
  const clock = new FakeClock();
  const onProgress = (s: RunState | undefined, elapsed: number) => {
    progress.push(`${elapsed} ${s ? `${s.status}/${s.conclusion}` : 'none'}`);
    onEach?.(s);
  };
  return {
    progress,
    clock,
    result: dispatchAndWait(octokit, req, { clock, deadlineMs, pollMs: 10_000, signal, onProgress }),
  };
}

const states = (...s: string[]): RunScript => ({ states: s });

describe('dispatchAndWait', () => {
  it('finds the run by the correlation id in its title and waits until it succeeds', async () => {
    const { server, octokit } = await github(() => states('queued', 'in_progress', 'in_progress', 'success'));
    const w = wait(octokit, request('shipgate-aaa'));
    const r = await w.result;
    expect(r.outcome).toBe('success');
    expect(r.run!.url).toBe(`${server.url}/acme/order-service/actions/runs/${server.runs[0].id}`);
    expect(w.progress).toEqual([
      '0 queued/null',
      '10000 queued/null',
      '20000 in_progress/null',
      '30000 in_progress/null',
      '40000 completed/success',
    ]);
    expect(server.runs[0].inputs).toMatchObject({
      'shipgate-id': 'shipgate-aaa',
      'shipgate-wave': '2',
      'shipgate-version': '1.4.0',
    });
    const list = server.requests.find((q) => q.path.endsWith('/runs'))!;
    expect(list.query.get('event')).toBe('workflow_dispatch');
    expect(list.query.get('created')).toMatch(/^>=\d{4}-\d\d-\d\dT/);
  });

  it('takes the run id from the dispatch answer where GitHub returns it, without searching', async () => {
    const { server, octokit } = await github(() => states('in_progress', 'failure'), true);
    const r = await wait(octokit, request('shipgate-bbb')).result;
    expect(r.outcome).toBe('failure');
    expect(server.requests.some((q) => q.path.endsWith('/runs'))).toBe(false);
    expect((server.requests[0].body as { return_run_details: boolean }).return_run_details).toBe(true);
  });

  it('reports a run cancelled on the service side', async () => {
    const { octokit } = await github(() => states('queued', 'cancelled'));
    expect((await wait(octokit, request('shipgate-ccc')).result).outcome).toBe('cancelled');
  });

  it('gives up on a run that never appears at the deadline: not-started, nothing to cancel', async () => {
    const { server, octokit } = await github(() => ({ states: [], never: true }));
    const w = wait(octokit, request('shipgate-ddd'), 30_000);
    const r = await w.result;
    expect(r).toMatchObject({ outcome: 'not-started', elapsedMs: 30_000 });
    expect(w.progress.at(-1)).toBe('30000 none');
    expect(server.requests.filter((q) => q.method === 'POST').map((q) => q.path)).toEqual([
      '/repos/acme/order-service/actions/workflows/deploy.yml/dispatches',
    ]);
  });

  it('cancels a run still queued at the deadline: timeout', async () => {
    const { server, octokit } = await github(() => states('queued'));
    const r = await wait(octokit, request('shipgate-eee'), 25_000).result;
    expect(r.outcome).toBe('timeout');
    expect(r.elapsedMs).toBe(25_000);
    expect(server.runs[0].cancelled).toBe(true);
    expect(server.requests.at(-1)!.path).toBe(`/repos/acme/order-service/actions/runs/${server.runs[0].id}/cancel`);
  });

  it('cancels the run when the control workflow is cancelled', async () => {
    const { server, octokit } = await github(() =>
      states('queued', 'in_progress', 'in_progress', 'in_progress', 'success'),
    );
    const abort = new AbortController();
    // Cancelled while the run is in progress: the abort comes from the progress line of that look, so the fake
    // clock cannot race the run to completion first.
    const r = await wait(
      octokit,
      request('shipgate-fff'),
      60_000,
      abort.signal,
      (s) => s?.status === 'in_progress' && abort.abort(),
    ).result;
    expect(r.outcome).toBe('aborted');
    expect(server.runs[0].cancelled).toBe(true);
  });

  it('tells two dispatches of one workflow started at once apart by their correlation ids', async () => {
    const { server, octokit } = await github((inputs) =>
      states('queued', 'in_progress', inputs.environment === 'bad' ? 'failure' : 'success'),
    );
    const [a, b] = await Promise.all([
      wait(octokit, request('shipgate-one', 'order-service', { environment: 'good' })).result,
      wait(octokit, request('shipgate-two', 'order-service', { environment: 'bad' })).result,
    ]);
    const byId = new Map(server.runs.map((r) => [r.id, r.inputs['shipgate-id']]));
    expect(server.runs).toHaveLength(2);
    expect(byId.get(a.run!.id)).toBe('shipgate-one');
    expect(byId.get(b.run!.id)).toBe('shipgate-two');
    expect([a.outcome, b.outcome]).toEqual(['success', 'failure']);
  });

  it('finds a run by a step name holding the correlation id when the workflow has no run-name', async () => {
    const { server, octokit } = await github(() => ({
      states: ['in_progress', 'in_progress', 'success'],
      inStepName: true,
    }));
    const r = await wait(octokit, request('shipgate-ggg')).result;
    expect(r.outcome).toBe('success');
    expect(
      server.requests.some((q) => q.path === `/repos/acme/order-service/actions/runs/${server.runs[0].id}/jobs`),
    ).toBe(true);
  });

  it("keeps watching through two failed looks at the run, and gives up with the run's address after three", async () => {
    const { server, octokit } = await github(() => states('in_progress', 'in_progress', 'success'), true);
    server.failReads = 2;
    expect((await wait(octokit, request('shipgate-jjj')).result).outcome).toBe('success');
    server.failReads = 3;
    const err = await wait(octokit, request('shipgate-kkk')).result.catch((e) => e);
    expect(err).toBeInstanceOf(ExternalError);
    expect(err.message).toContain(
      'GitHub did not answer about the run of deploy.yml in acme/order-service 3 times in a row (last: HTTP 500',
    );
  });

  it('names what to fix when GitHub refuses the dispatch: an undeclared input, an unknown workflow', async () => {
    const { octokit } = await github(() => states('success'));
    const undeclared = await wait(octokit, request('shipgate-hhh', 'order-service', { region: 'eu' })).result.catch(
      (e) => e,
    );
    expect(undeclared).toBeInstanceOf(ConfigError);
    expect(undeclared.message).toContain('GitHub refused to start deploy.yml of acme/order-service on main: HTTP 422');
    expect(undeclared.message).toContain("The workflow must have 'on: workflow_dispatch' declaring every input sent");
    const unknown = await wait(octokit, { ...request('shipgate-iii'), workflow: 'ship.yml' }).result.catch((e) => e);
    expect(unknown).toBeInstanceOf(ConfigError);
    expect(unknown.message).toContain("Check the service's 'project' and 'workflow' in dependency-config.yml");
  });
});
