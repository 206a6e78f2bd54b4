import { healthUrlInputs } from '../../../shared/src/http/health-urls.js';
import type { StepSchema } from '../../../shared/src/inputs.js';
import { providerNames, trafficInputs } from '../../../shared/src/traffic/index.js';
import { githubVars, gitlabVars } from '../../../shared/src/platform/variables.js';

export const schema = {
  name: 'rollback',
  changes: 'deploy',
  title:
    'Return a service to its last good version: verified target, watched metric trigger, health-checked, never silently green',
  description:
    'Finds the last good version (the colour blue-green-switch moved away from, the previous Deployment revision, the previous release tag, or an explicit `to`), checks that its image exists in its registry before touching anything, optionally watches a Prometheus query and rolls back only when it breaches, switches back or rolls the Deployment out and waits for it, verifies health, records a deployment on the forge, and lists the services that depend on this one.',
  inputs: {
    provider: {
      type: 'enum',
      required: true,
      options: ['blue-green', 'kubernetes'],
      description:
        '`blue-green`: send traffic back to the previous colour with one of the `backend`s of blue-green-switch. `kubernetes`: roll a Deployment back to `to` or to its previous revision.',
    },
    to: {
      type: 'string',
      description:
        'What to roll back to: a full image reference (`registry/app:1.4.2`, `…@sha256:…`), a tag or a version (`1.4.2`, `v1.4.2`, with `image-name`), or a colour (blue-green). Empty: the previous good version (previous colour, previous revision, or with `image-name` the previous release tag in git).',
    },
    'image-name': {
      type: 'string',
      description:
        'Image name without tag, the repository the release tags name (e.g. `ghcr.io/acme/user-service`). With it, a tag or version in `to` (or the previous release tag in git) becomes `<image-name>:<tag>`, and that image must exist before anything changes.',
    },
    'insecure-token-realm': {
      type: 'boolean',
      default: 'false',
      description:
        'Accept a registry token service (the realm its 401 names) over plain http: credentials then cross the network in clear. Only for a registry and network you trust; loopback needs no opt-in.',
    },
    prefix: {
      type: 'string',
      default: 'v',
      description:
        'Release tag prefix, as in version-tag: `v1.4.2` → image tag `1.4.2`. Used to find the previous release tag in git when `to` is empty and `image-name` is set.',
    },
    reason: {
      type: 'string',
      description:
        'Why the rollback happens, recorded in `kubernetes.io/change-cause`, the deployment record and the summary. Empty: the breached trigger, or "manual rollback by <user>".',
    },
    backend: {
      type: 'enum',
      options: providerNames,
      description:
        "blue-green: the router that carries the traffic, as blue-green-switch's `provider` (same backend inputs below).",
    },
    'state-file': {
      type: 'string',
      description:
        'blue-green: the JSON record blue-green-switch wrote (`previous` is the colour to return to), rewritten after the rollback with `active` and `previous` swapped. Kubernetes backends also read the `shipgate.dev/previous-color` annotation.',
    },
    deployment: { type: 'string', description: 'kubernetes: the Deployment to roll back.' },
    container: {
      type: 'string',
      description: 'kubernetes: the container whose image changes; may be empty when the pod has one container.',
    },
    timeout: {
      type: 'duration',
      default: '5m',
      description:
        "kubernetes: how long the rollout may take (observedGeneration, updated and available replicas); the Deployment's `progressDeadlineSeconds` exceeded fails it sooner.",
    },
    'prometheus-url': {
      type: 'string',
      description:
        'Prometheus base URL for the trigger query (e.g. `http://prometheus:9090`); bearer token from `PROMETHEUS_TOKEN`.',
    },
    'trigger-query': {
      type: 'string',
      description:
        'PromQL watched before rolling back: the rollback happens only when it breaches `trigger-max` / `trigger-min`. An evaluation without a number (error, no data, NaN) is a warning; when every one fails the job exits 3 with nothing changed. Empty: roll back at once (a manual rollback).',
    },
    'trigger-max': {
      type: 'string',
      description: 'The trigger breaches when the value is above this (e.g. `0.05` for an error rate).',
    },
    'trigger-min': {
      type: 'string',
      description: 'The trigger breaches when the value is below this (e.g. `0.95` for a success rate).',
    },
    watch: {
      type: 'duration',
      default: '10m',
      description:
        'How long the trigger query is watched; no breach in that time ends the job green with nothing changed.',
    },
    'watch-interval': {
      type: 'duration',
      default: '30s',
      description: 'Time between evaluations of the trigger query during the watch.',
    },
    'health-url': {
      type: 'string',
      description:
        'Health endpoint checked after the rollback; `{color}` is replaced by the colour rolled back to. Colours on different ports: `health-url-blue` / `health-url-green`. Empty skips the check.',
    },
    ...healthUrlInputs,
    'healthy-threshold': {
      type: 'integer',
      default: '3',
      min: 1,
      description: 'Consecutive 2xx answers that make the rolled-back version healthy.',
    },
    'health-timeout': {
      type: 'duration',
      default: '60s',
      description: 'How long the rolled-back version may take to become healthy.',
    },
    config: {
      type: 'string',
      description:
        "Path of check-dependencies' dependency-config.yml; with `service`, the services that depend on this one are listed (they may need a rollback too).",
    },
    service: {
      type: 'string',
      description:
        'The service rolled back, by its name in `config`. blue-green with backend kubernetes: also the Service whose selector is switched; gateway-api: the prefix of backendRef names.',
    },
    environment: {
      type: 'string',
      default: 'production',
      description: `Environment the rollback is recorded in: a GitHub deployment status or a GitLab environment deployment (needs ${githubVars.token}, or GITLAB_TOKEN / ${gitlabVars.jobToken}).`,
    },
    'fail-after-rollback': {
      type: 'boolean',
      default: 'true',
      description:
        'A triggered (automatic) rollback ends the job with exit 1 so the pipeline shows red; `false` ends it green. A manual rollback that succeeded always exits 0.',
    },
    'dry-run': {
      type: 'boolean',
      default: 'false',
      description: 'Resolve and verify the target, print the exact change, change nothing.',
    },
    list: {
      type: 'boolean',
      default: 'false',
      description:
        'Only list what a rollback could go to, as `kubectl rollout history` does, and change nothing: the ReplicaSet revisions with image and change-cause (kubernetes), the colours with their traffic and the state file record (blue-green), or the release tags in git (with `image-name`).',
    },
    ...(({ service: _service, ...rest }) => rest)(trafficInputs),
  },
  outputs: {
    'rolled-back': {
      type: 'boolean',
      description:
        '`true` when the service now runs the target, `false` when nothing changed (no breach, dry run, already there).',
    },
    triggered: {
      type: 'boolean',
      description:
        '`true` when the trigger query breached during the watch; `false` for a manual rollback or no breach.',
    },
    from: { description: 'What ran before: a colour (blue-green) or an image reference (kubernetes).' },
    to: { description: 'What runs after, or would run (dry run): a colour or an image reference.' },
    dependents: {
      type: 'json',
      description:
        'JSON array of the services that depend on this one, in reverse wave order (the order to roll them back).',
    },
  },
} as const satisfies StepSchema;
