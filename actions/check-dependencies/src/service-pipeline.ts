// Services in their own repository: on GitHub, start the service's workflow and wait for it (run-pipeline); on GitLab,
// read what the child pipeline's bridge jobs started (collect-downstream) for the gate's summary.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../shared/src/errors.js';
import {
  CORRELATION_INPUT,
  dispatchAndWait,
  progressLine,
  type DispatchRequest,
  type DispatchResult,
} from '../../../shared/src/forge/dispatch.js';
import { detectForge } from '../../../shared/src/forge/index.js';
import type { DependencyConfig } from '../../../shared/src/graph/config.js';
import { githubRepoProblem } from '../../../shared/src/graph/remote.js';
import { githubVars, gitlabVars } from '../../../shared/src/platform/variables.js';
import type { StepContext } from '../../../shared/src/step.js';
import { serviceJob, STATUS_DIR } from './child-pipeline.js';
import type { schema } from './schema.js';

type Ctx = StepContext<typeof schema.inputs>;

/** The secret a cross-repository dispatch needs: the job's own GitHub token acts on its own repository only. */
export const DISPATCH_TOKEN = 'SHIPGATE_DISPATCH_TOKEN';
/** Time between looks at the run: 10 s for the 30 minute default (GitHub counts API calls per hour), shorter for short waits. */
const pollMs = (timeoutMs: number) => Math.min(10_000, Math.max(1000, Math.round(timeoutMs / 30)));

/** A dispatch ready to send, with the token; validated before the first side effect of the step. */
export interface PlannedDispatch {
  req: DispatchRequest;
  token: string;
  apiUrl: string;
}

/** Checks everything `run-pipeline` needs for `service` (repository, token, ref); undefined when the service has no project. */
export function planDispatch(
  { inputs, platform }: Ctx,
  config: DependencyConfig,
  service: string,
  wave: number,
): PlannedDispatch | undefined {
  const pipeline = config.services.get(service)?.pipeline;
  if (!pipeline) return undefined;
  if (platform.name === 'gitlab') {
    throw new ConfigError(
      `Input 'run-pipeline' is true on GitLab: there the child pipeline's bridge job starts ${pipeline.project}. Use 'child-pipeline' instead.`,
    );
  }
  const bad = githubRepoProblem(pipeline.project);
  if (bad) throw new ConfigError(`Service '${service}': 'project' '${pipeline.project}' ${bad}`);
  const token = platform.secret(DISPATCH_TOKEN);
  if (!token) {
    throw new ConfigError(
      `Service '${service}' runs its pipeline in ${pipeline.project}, and starting it needs a token with 'actions: write' on that repository in ${DISPATCH_TOKEN} (the workflow secret 'dispatch-token'), which is empty. Create one with actions/create-github-app-token for a GitHub App installed on ${pipeline.project}.`,
    );
  }
  const ref = pipeline.ref ?? platform.job.ref;
  if (!ref)
    throw new ConfigError(
      `Service '${service}' has no 'ref' and ${githubVars.refName} is not set: give the branch to run, e.g. ref: main.`,
    );
  const [owner, repo] = pipeline.project.split('/');
  const correlationId = `shipgate-${randomUUID()}`;
  return {
    token,
    apiUrl: platform.job.apiUrl ?? 'https://api.github.com',
    req: {
      owner,
      repo,
      workflow: pipeline.workflow,
      ref,
      correlationId,
      inputs: {
        ...pipeline.inputs,
        [CORRELATION_INPUT]: correlationId,
        'shipgate-service': service,
        'shipgate-wave': String(wave),
        'shipgate-version': inputs['deploy-version'] || platform.job.sha || '',
      },
    },
  };
}

/** Starts the planned run and waits for it; SIGTERM or SIGINT (the workflow was cancelled) cancels the run. */
export async function runDispatch(
  { inputs, platform, clock }: Ctx,
  plan: PlannedDispatch,
  service: string,
): Promise<DispatchResult> {
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(plan.token, { baseUrl: plan.apiUrl });
  const abort = new AbortController();
  const stop = () => abort.abort();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, stop);
  try {
    platform.info(
      `Starting ${plan.req.workflow} of ${plan.req.owner}/${plan.req.repo} on ${plan.req.ref} for ${service} (${CORRELATION_INPUT} ${plan.req.correlationId}).`,
    );
    return await dispatchAndWait(octokit, plan.req, {
      clock,
      deadlineMs: inputs['pipeline-timeout'],
      pollMs: pollMs(inputs['pipeline-timeout']),
      signal: abort.signal,
      onProgress: (state, elapsed) => platform.info(progressLine(plan.req, state, elapsed, inputs['pipeline-timeout'])),
    });
  } finally {
    for (const sig of ['SIGTERM', 'SIGINT'] as const) process.off(sig, stop);
  }
}

/** Why a finished dispatch fails the job, or undefined when the run succeeded. */
export function dispatchFailure(plan: PlannedDispatch, r: DispatchResult, service: string): string | undefined {
  const where = `${plan.req.owner}/${plan.req.repo} ${plan.req.workflow}`;
  const link = r.run ? ` ${r.run.url}` : '';
  switch (r.outcome) {
    case 'success':
      return undefined;
    case 'not-started':
      return `${service}: no run of ${where} appeared for ${plan.req.correlationId}. The workflow must show inputs.${CORRELATION_INPUT} in its run-name (or a step name).`;
    case 'timeout':
      return `${service}: ${where} did not complete within the pipeline-timeout; the run was cancelled.${link}`;
    case 'aborted':
      return `${service}: cancelled; the run of ${where} was cancelled too.${link}`;
    default:
      return `${service}: ${where} ended ${r.outcome}.${link}`;
  }
}

/** GitLab gate: each bridge job's downstream status and page into shipgate-status/<service>(.url). */
export async function collectDownstream({ platform }: Ctx, config: DependencyConfig): Promise<number> {
  const pipelineId = platform.job.pipelineId;
  const forge = await detectForge(platform);
  if (!forge?.downstreamPipelines || pipelineId === undefined || !Number.isInteger(pipelineId)) {
    throw new ConfigError(
      `Input 'collect-downstream' is true outside a GitLab pipeline: it reads this pipeline's bridge jobs (${gitlabVars.pipelineId}, ${gitlabVars.apiUrl}, and GITLAB_TOKEN or ${gitlabVars.jobToken}).`,
    );
  }
  const byJob = new Map(
    [...config.services.values()].filter((s) => s.pipeline).map((s) => [serviceJob(s.name), s.name]),
  );
  // The gate's script reads the files from the checkout, where GitLab starts the job.
  const status = join(platform.job.workspace, STATUS_DIR);
  mkdirSync(status, { recursive: true });
  let n = 0;
  for (const d of await forge.downstreamPipelines(pipelineId)) {
    const service = byJob.get(d.job);
    if (!service) continue;
    writeFileSync(join(status, service), `${d.status}\n`);
    writeFileSync(join(status, `${service}.url`), `${d.url}\n`);
    platform.info(`${service}: ${d.status} ${d.url}`);
    n++;
  }
  return n;
}
