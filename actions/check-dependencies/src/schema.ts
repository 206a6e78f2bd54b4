import type { StepSchema } from '../../../shared/src/inputs.js';
import { gitlabVars } from '../../../shared/src/platform/variables.js';

export const schema = {
  name: 'check-dependencies',
  title: 'Validate the service dependency graph, compute deploy waves, probe dependency health',
  description:
    'Validates dependency-config.yml (unknown services, cycles, levels, deploy order), computes a deterministic deploy order and the waves of services that can deploy in parallel, lists the services affected by changed files, and probes the health of what a service depends on.',
  inputs: {
    config: {
      type: 'string',
      default: 'dependency-config.yml',
      description: 'Path of the dependency configuration file.',
    },
    service: {
      type: 'string',
      description:
        'The service being deployed: its dependencies are probed, transitively. Empty probes every service that has a health check.',
    },
    'check-health': {
      type: 'boolean',
      default: 'true',
      description: 'Probe the health endpoints of the dependencies.',
    },
    timeout: {
      type: 'duration',
      default: '60s',
      description: 'How long to wait, in all, for the dependencies to become healthy.',
    },
    'probe-timeout': { type: 'duration', default: '5s', description: 'Timeout of one probe attempt.' },
    interval: {
      type: 'duration',
      default: '2s',
      description: 'First wait between attempts; it doubles after each failure, with jitter.',
    },
    concurrency: { type: 'integer', default: '16', min: 1, description: 'Most probes in flight at once.' },
    'expect-status': {
      type: 'string',
      description: 'Comma-separated HTTP status codes that count as healthy (e.g. `200,204`). Empty accepts any 2xx.',
    },
    'consul-url': {
      type: 'string',
      description:
        'Consul HTTP API address for `consul:<service>` health checks (e.g. `http://127.0.0.1:8500`); else `CONSUL_HTTP_ADDR`. Token from `CONSUL_HTTP_TOKEN`.',
    },
    'min-instances': {
      type: 'integer',
      default: '1',
      min: 1,
      description: 'Passing Consul instances a `consul:<service>` check needs.',
    },
    'changed-files': {
      type: 'lines',
      words: true,
      description:
        "Changed files, separated by newlines, commas or spaces (the CLI flag may also be repeated); with each service's paths they give the affected services. Empty: every service is affected.",
    },
    'fail-on-unhealthy': {
      type: 'boolean',
      default: 'true',
      description: 'Fail the job (exit 1) when a dependency is unhealthy.',
    },
    strict: {
      type: 'boolean',
      default: 'false',
      description:
        'Treat a `level` or `deploy_order` that contradicts the dependencies as an error. By default it is a warning with the fix: the dependencies decide the order, `level` and `deploy_order` are hints.',
    },
    'child-pipeline': {
      type: 'string',
      description:
        'Path to write a GitLab child pipeline to (e.g. `shipgate-child-pipeline.yml`), for `trigger: include: artifact:`: one stage per wave, one job per affected service extending `child-extends`, and after each wave a gate that collects the statuses into the summary and stops later waves when a service failed. Empty: none.',
    },
    'child-extends': {
      type: 'string',
      default: '.deploy-service',
      description:
        "Hidden job that each service's job of the child pipeline extends; it gets the service's name in `SERVICE` and its wave in `WAVE`. Its `after_script` and `artifacts:paths` are replaced (they record the status).",
    },
    'child-include': {
      type: 'lines',
      description:
        'Newline-separated files of the repository the child pipeline includes (`include: local:`), e.g. the one that defines `child-extends`.',
    },
    'deploy-version': {
      type: 'string',
      description:
        "What the services deploy, passed to the pipelines of services in their own repository (`project:`): `SHIPGATE_VERSION` of each GitLab bridge job, the `shipgate-version` input of each GitHub dispatch. Empty: the control pipeline's commit SHA.",
    },
    'run-pipeline': {
      type: 'boolean',
      default: 'false',
      description:
        "GitHub: when `service` has `project:` in the config, start its workflow there (`workflow_dispatch`) after the health checks, wait for the run and fail unless it succeeds; cancelling the job cancels the run. Token in `SHIPGATE_DISPATCH_TOKEN` (`actions: write` on the service repository). On GitLab the child pipeline's bridge jobs do this.",
    },
    'pipeline-timeout': {
      type: 'duration',
      default: '30m',
      description:
        "How long `run-pipeline` waits for the service's run to complete; a run still going then is cancelled and the job fails.",
    },
    'collect-downstream': {
      type: 'boolean',
      default: 'false',
      description: `GitLab: read the downstream pipelines of this pipeline's bridge jobs into \`shipgate-status/\` for the gate's summary (set by the generated child pipeline's gates). Token: \`GITLAB_TOKEN\` with read_api, else ${gitlabVars.jobToken}.`,
    },
  },
  outputs: {
    order: { type: 'json', description: 'Deploy order: JSON array of service names.' },
    waves: {
      type: 'json',
      description:
        'Deploy waves: JSON array of arrays of names that can deploy in parallel (feeds a matrix with fromJSON).',
    },
    healthy: {
      type: 'boolean',
      description: 'true when every probed dependency is healthy (also true when nothing was probed).',
    },
    unhealthy: { type: 'json', description: 'JSON array of the unhealthy services.' },
    affected: {
      type: 'json',
      description:
        'JSON array of the services affected by changed-files and everything that depends on them, in wave order.',
    },
    'pipeline-conclusion': {
      description:
        "With `run-pipeline`: how the service's run ended (success, failure, cancelled, timeout, not-started); empty when none was started.",
    },
    'pipeline-url': { description: "With `run-pipeline`: the page of the service's run; empty when none was found." },
    'child-pipeline-file': {
      description: 'Path of the GitLab child pipeline written (input `child-pipeline`); empty when none was asked for.',
    },
  },
} as const satisfies StepSchema;
