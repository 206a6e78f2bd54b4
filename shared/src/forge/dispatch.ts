// Starts a workflow of another GitHub repository (workflow_dispatch) and waits for the run it started: the
// multi-project delivery's "trigger and wait" on GitHub, where no bridge job does it for us.
import type { Clock } from '../clock.js';
import { ConfigError, ExternalError } from '../errors.js';
import { formatDuration } from '../duration.js';
import { apiError, type Octokit } from './forge.js';

/** One dispatch: what to start where. */
export interface DispatchRequest {
  owner: string;
  repo: string;
  /** Workflow file name in .github/workflows/ (or its numeric id). */
  workflow: string;
  ref: string;
  /** The workflow's inputs, the correlation id among them under CORRELATION_INPUT. */
  inputs: Record<string, string>;
  /** Unique per dispatch; the service's workflow shows it in its run name (or a step name), which is how its run is found. */
  correlationId: string;
}

/** How long to wait, how often to look, and how to report. */
export interface WaitOptions {
  clock: Clock;
  /** Milliseconds from the dispatch until the run must have completed; it is cancelled when it has not. */
  deadlineMs: number;
  /** Milliseconds between two looks at the run. */
  pollMs: number;
  /** Aborted when the control workflow is cancelled: the run is cancelled too. */
  signal?: AbortSignal;
  /** Called after each look, with the run when found. */
  onProgress?: (state: RunState | undefined, elapsedMs: number) => void;
  /** Wall time, for the `created` filter of the run search (the clock is monotonic). */
  now?: () => Date;
}

/** A workflow run as far as the wait follows it. */
export interface RunState {
  id: number;
  status: string;
  conclusion: string | null;
  url: string;
}

/**
 * How the wait ended: the run's conclusion (success, failure, cancelled, timed_out, …), `not-started` when no run was
 * found before the deadline, `timeout` when the run did not complete in time (it is cancelled), `aborted` when the
 * control workflow was cancelled (the run is cancelled).
 */
export interface DispatchResult {
  outcome: string;
  run?: RunState;
  elapsedMs: number;
}

/** The input every dispatched workflow receives with the correlation id; the service workflow declares it. */
export const CORRELATION_INPUT = 'shipgate-id';
/** Runs created this long before the dispatch still count: the runner's clock and GitHub's may disagree. */
const CLOCK_SKEW_MS = 2 * 60_000;
const MAX_FAILED_LOOKS = 3;

/**
 * Dispatches `req` and waits for its run. GitHub answers the dispatch with the run's id when asked
 * (`return_run_details`); where it does not (GitHub Enterprise Server), the run is found among the workflow's
 * workflow_dispatch runs created since the dispatch, by the correlation id in its display title, else in a step name
 * of one of its jobs. Rejections of the dispatch itself (no such workflow, undeclared input, missing permission) are
 * ConfigErrors: nothing was started.
 */
export async function dispatchAndWait(
  octokit: Octokit,
  req: DispatchRequest,
  opts: WaitOptions,
): Promise<DispatchResult> {
  const { clock } = opts;
  const start = clock.now();
  const since = new Date((opts.now ?? (() => new Date()))().getTime() - CLOCK_SKEW_MS).toISOString();
  const where = `${req.owner}/${req.repo}`;
  let runId: number | undefined;
  try {
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
      owner: req.owner,
      repo: req.repo,
      workflow_id: req.workflow,
      ref: req.ref,
      inputs: req.inputs,
      return_run_details: true,
    });
    runId = (data as { workflow_run_id?: number } | undefined)?.workflow_run_id;
  } catch (err) {
    const { status, message } = apiError(err);
    const head = `GitHub refused to start ${req.workflow} of ${where} on ${req.ref}: HTTP ${status ?? '?'} ${message}.`;
    if (status === 401 || status === 403)
      throw new ConfigError(`${head} The dispatch token needs 'actions: write' on ${where}.`);
    if (status === 404)
      throw new ConfigError(
        `${head} Check the service's 'project' and 'workflow' in dependency-config.yml, and that the token can see ${where}.`,
      );
    if (status === 422)
      throw new ConfigError(
        `${head} The workflow must have 'on: workflow_dispatch' declaring every input sent (${Object.keys(req.inputs).join(', ')}), and ${req.ref} must exist.`,
      );
    throw new ExternalError(head, { cause: err });
  }
  let run: RunState | undefined;
  const elapsed = () => clock.now() - start;
  const look = () => (runId !== undefined ? getRun(octokit, req, runId) : findRun(octokit, req, since));
  const cancel = async (outcome: string): Promise<DispatchResult> => {
    run ??= await look().catch(() => undefined);
    if (run && run.status !== 'completed') {
      await octokit
        .request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', {
          owner: req.owner,
          repo: req.repo,
          run_id: run.id,
        })
        .catch(() => undefined);
    }
    return { outcome, run, elapsedMs: elapsed() };
  };
  let failures = 0;
  for (;;) {
    if (opts.signal?.aborted) return cancel('aborted');
    try {
      run = await look();
      failures = 0;
    } catch (err) {
      // A lost answer or a 5xx while the run goes on is no reason to stop watching it; three in a row are.
      if (++failures >= MAX_FAILED_LOOKS) {
        const { status, message } = apiError(err);
        throw new ExternalError(
          `GitHub did not answer about the run of ${req.workflow} in ${where} ${MAX_FAILED_LOOKS} times in a row (last: HTTP ${status ?? '?'} ${message}); it may still be running${run ? `: ${run.url}` : ''}.`,
          { cause: err },
        );
      }
    }
    if (run) runId = run.id;
    opts.onProgress?.(run, elapsed());
    if (run?.status === 'completed') return { outcome: run.conclusion ?? 'unknown', run, elapsedMs: elapsed() };
    if (elapsed() >= opts.deadlineMs) return run ? cancel('timeout') : { outcome: 'not-started', elapsedMs: elapsed() };
    await clock.sleep(Math.min(opts.pollMs, Math.max(0, opts.deadlineMs - elapsed())), opts.signal);
  }
}

async function getRun(octokit: Octokit, req: DispatchRequest, id: number): Promise<RunState> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
    owner: req.owner,
    repo: req.repo,
    run_id: id,
  });
  return { id: Number(data.id), status: data.status ?? 'queued', conclusion: data.conclusion, url: data.html_url };
}

/** The run whose title, or else one of whose step names, holds the correlation id. */
async function findRun(octokit: Octokit, req: DispatchRequest, since: string): Promise<RunState | undefined> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
    owner: req.owner,
    repo: req.repo,
    workflow_id: req.workflow,
    event: 'workflow_dispatch',
    created: `>=${since}`,
    per_page: 100,
  });
  const state = (r: (typeof data.workflow_runs)[number]): RunState => ({
    id: Number(r.id),
    status: r.status ?? 'queued',
    conclusion: r.conclusion,
    url: r.html_url,
  });
  const titled = data.workflow_runs.find((r) => r.display_title.includes(req.correlationId));
  if (titled) return state(titled);
  // Jobs exist once a run has started; a queued run is looked at again on the next poll.
  for (const r of data.workflow_runs.filter((x) => x.status !== 'queued').slice(0, 10)) {
    const jobs = await octokit.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs', {
      owner: req.owner,
      repo: req.repo,
      run_id: Number(r.id),
    });
    if (jobs.data.jobs.some((j) => j.steps?.some((s) => s.name.includes(req.correlationId)))) return state(r);
  }
  return undefined;
}

/** One progress line: `acme/order-service deploy.yml: run 42 in_progress (1m 10s of 30m) https://…`. */
export function progressLine(
  req: DispatchRequest,
  state: RunState | undefined,
  elapsedMs: number,
  deadlineMs: number,
): string {
  const what = state ? `run ${state.id} ${state.status}` : 'waiting for the run to appear';
  return `${req.owner}/${req.repo} ${req.workflow}: ${what} (${formatDuration(elapsedMs)} of ${formatDuration(deadlineMs)})${state ? ` ${state.url}` : ''}`;
}
