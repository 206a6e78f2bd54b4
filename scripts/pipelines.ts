// The whole-pipeline GitLab components, templates/service-delivery.yml and templates/multi-service.yml, generated from
// the step schemas: an input a job passes on to a step takes its spec (description, type, default, options, regex)
// from that step's own component, so the names, defaults and checks are the schema's and cannot drift.
//
// Naming rule, as in the GitHub reusable workflows (scripts/workflows.ts): a component input named like a step input
// IS that step input. One input feeds several steps only where they share the spec and meaning (the backend inputs of
// blue-green-switch and rollback); `feeds` wires an input into a step input of another name on purpose
// (`provider` → rollback's `backend`); a name that means something else in another step gets the step's prefix
// (`blue-green-switch-service` is the Kubernetes Service, `service` the name in dependency-config.yml).
import { parseAllDocuments, stringify } from 'yaml';
import type { StepSchema } from '../shared/src/inputs.js';
import { envName } from '../shared/src/platform/platform.js';
import { schemas } from '../actions/index.js';
import { componentYml } from './generated.js';
import { cliInputs, cliScript, cliVariables, type Distribution } from './distribution.js';

const {
  'check-dependencies': checkDependencies,
  'api-compat': apiCompat,
  'perf-baseline': perfBaseline,
  'version-tag': versionTag,
  'blue-green-switch': blueGreenSwitch,
  rollback,
} = schemas;

/** A component input of the pipeline's own (stages, job names, versions), not a step's. */
type OwnInput = { default: string; description: string; options?: string[]; regex?: string };

/** A component input that passes on to a step input: `input` of `step` when the names differ (prefixed or fed). */
interface Pass {
  name: string;
  input?: string;
}

/** One job: a step run through the published CLI. */
interface JobSpec {
  step: StepSchema;
  stage: 'stage' | 'deploy-stage';
  inputs: (string | Pass)[];
  /** Step inputs the pipeline decides itself. */
  fixed?: Record<string, string>;
  /** Step inputs taken from an earlier job's dotenv report: input → [job, output]. */
  dotenv?: Record<string, [string, string]>;
  /** Earlier jobs (by step name) and whether their artifacts (dotenv) are wanted. */
  needs?: [string, boolean][];
  deploy?: boolean;
  extra?: Record<string, unknown>;
  /** Shell lines before the step runs; they read variables only, never `$[[ inputs ]]`. */
  before?: string[];
  /** Further files to keep (the child pipeline). */
  paths?: string[];
}

export interface PipelineSpec {
  file: string;
  title: string;
  own: Record<string, OwnInput>;
  jobs: JobSpec[];
  /** Jobs that run no step (the trigger of the child pipeline). */
  more?: Record<string, unknown>;
}

const CHILD_PIPELINE = 'shipgate-child-pipeline.yml';

const common = (dist: Distribution, checks: string, deploys: string): Record<string, OwnInput> => ({
  stage: { default: 'test', description: `Stage of ${checks}.` },
  'deploy-stage': { default: 'deploy', description: `Stage of ${deploys}.` },
  'job-prefix': { default: 'shipgate', description: 'Prefix of the job names: <job-prefix>-<step>.' },
  ...(cliInputs(dist) as Record<string, OwnInput>),
  image: { default: 'node:24-slim', description: 'Image of the jobs; it needs Node.js 20 or newer.' },
});

const BACKEND = [
  'colors',
  'haproxy-socket',
  'haproxy-backend',
  'nginx-upstream-file',
  'nginx-upstream',
  'blue-address',
  'green-address',
];
const BACKEND_MORE = [
  'nginx-reload-command',
  'namespace',
  'selector-key',
  'virtual-service',
  'http-route',
  'backend-refs',
  'kubeconfig',
];

const checks = [
  { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
  { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
];
// Tags, releases and traffic only move on the default branch.
const deploys = [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }];

export function pipelines(dist: Distribution): PipelineSpec[] {
  return [
    {
      file: 'templates/service-delivery.yml',
      title:
        'One service: check-dependencies → api-compat and perf-baseline in parallel → version-tag → blue-green-switch → rollback watch',
      own: {
        ...common(
          dist,
          'check-dependencies, api-compat and perf-baseline',
          'version-tag, blue-green-switch and the rollback watch',
        ),
        'switch-when': {
          default: 'on_success',
          options: ['on_success', 'manual'],
          description:
            '`manual` makes blue-green-switch wait for a click (a manual gate before traffic moves); the rollback watch waits for it.',
        },
      },
      jobs: [
        {
          step: checkDependencies,
          stage: 'stage',
          inputs: ['config', 'service', 'check-health', 'timeout', 'consul-url'],
        },
        {
          step: apiCompat,
          stage: 'stage',
          inputs: ['base', 'head', 'fail-on', 'exceptions', 'comment'],
          needs: [['check-dependencies', false]],
        },
        {
          step: perfBaseline,
          stage: 'stage',
          inputs: [
            'url',
            'connections',
            'duration',
            'warmup',
            'max-p95',
            'max-p99',
            'max-error-rate',
            'baseline',
            'max-regression',
          ],
          needs: [['check-dependencies', false]],
        },
        {
          step: versionTag,
          stage: 'deploy-stage',
          inputs: ['prefix', 'path', 'dry-run', 'release', 'images', 'api-breaking-policy'],
          dotenv: { 'api-breaking': ['api-compat', 'breaking'] },
          needs: [
            ['api-compat', true],
            ['perf-baseline', false],
          ],
          deploy: true,
        },
        {
          step: blueGreenSwitch,
          stage: 'deploy-stage',
          inputs: [
            'provider',
            'target',
            'health-url',
            'healthy-threshold',
            'health-timeout',
            'steps',
            'step-interval',
            'prometheus-url',
            'analysis-query',
            'analysis-max',
            'analysis-min',
            ...BACKEND,
            ...BACKEND_MORE,
            { name: 'blue-green-switch-service', input: 'service' },
          ],
          needs: [['version-tag', false]],
          deploy: true,
          // One Prometheus serves the switch's analysis and the rollback's trigger; without an analysis-query the URL is
          // the trigger's only, and blue-green-switch would reject a URL with nothing to ask it.
          before: ['[ -n "$SHIPGATE_ANALYSIS_QUERY" ] || unset SHIPGATE_PROMETHEUS_URL'],
          extra: {
            environment: { name: '$[[ inputs.environment ]]' },
            resource_group: '$[[ inputs.job-prefix ]]-$[[ inputs.environment ]]',
          },
        },
        {
          // The watch after the switch: it rolls back only when the trigger query breaches, so without one there is
          // nothing to watch (an empty trigger-query would mean an immediate, manual rollback).
          step: rollback,
          stage: 'deploy-stage',
          inputs: [
            { name: 'provider', input: 'backend' },
            'health-url',
            'healthy-threshold',
            'health-timeout',
            'prometheus-url',
            'trigger-query',
            'trigger-max',
            'trigger-min',
            'watch',
            'watch-interval',
            'fail-after-rollback',
            'environment',
            ...BACKEND,
            ...BACKEND_MORE,
            // For provider blue-green, rollback's `service` is the backend's (the Kubernetes Service), as the switch's.
            { name: 'blue-green-switch-service', input: 'service' },
          ],
          fixed: { provider: 'blue-green' },
          dotenv: { to: ['blue-green-switch', 'previous'] },
          needs: [['blue-green-switch', true]],
          deploy: true,
          before: [
            '[ -n "$SHIPGATE_TRIGGER_QUERY" ] || { echo "No trigger-query: nothing to watch, no rollback."; exit 0; }',
          ],
          extra: { environment: { name: '$[[ inputs.environment ]]', action: 'verify' } },
        },
      ],
    },
    {
      file: 'templates/multi-service.yml',
      title:
        'Many services: check-dependencies plans the waves and writes a child pipeline that deploys them wave by wave',
      own: common(dist, 'the plan (check-dependencies)', 'the child pipeline that deploys the waves'),
      jobs: [
        {
          step: checkDependencies,
          stage: 'stage',
          inputs: ['config', 'changed-files', 'strict', 'child-extends', 'child-include', 'deploy-version'],
          // Each service's own job probes its dependencies right before its deploy; the plan only plans.
          fixed: { 'check-health': 'false', 'child-pipeline': CHILD_PIPELINE },
          paths: [CHILD_PIPELINE],
        },
      ],
      more: {
        '$[[ inputs.job-prefix ]]-deploy': {
          stage: '$[[ inputs.deploy-stage ]]',
          needs: ['$[[ inputs.job-prefix ]]-check-dependencies'],
          // A trigger job's variables reach the child pipeline: its deploy jobs run the same CLI with
          // `node --input-type=module -e "$SHIPGATE_CLI_LOADER" <step>`.
          variables: cliVariables(dist),
          trigger: {
            include: [{ artifact: CHILD_PIPELINE, job: '$[[ inputs.job-prefix ]]-check-dependencies' }],
            // The parent shows the child's result: a paused deploy fails this job.
            strategy: 'depend',
          },
          rules: deploys,
        },
      },
    },
  ];
}

/** The spec:inputs entry of a step input, exactly as the step's own component declares it. */
function stepInputs(schema: StepSchema, dist: Distribution): Record<string, Record<string, unknown>> {
  const header = parseAllDocuments(componentYml(schema, dist))[0].toJS() as {
    spec: { inputs: Record<string, Record<string, unknown>> };
  };
  return header.spec.inputs;
}

const pass = (i: string | Pass): Required<Pass> =>
  typeof i === 'string' ? { name: i, input: i } : { name: i.name, input: i.input ?? i.name };
const jobName = (step: string) => `$[[ inputs.job-prefix ]]-${step}`;
const files = (step: string) => ({
  env: `shipgate-${step}.env`,
  summary: `shipgate-${step}-summary.md`,
  outputs: `shipgate-${step}-outputs.json`,
});

/** `$[[ inputs.x ]]` in a step's artifact paths: kept when the pipeline exposes x, else its fixed or default value. */
function artifactPath(path: string, job: JobSpec, exposed: Set<string>): string {
  return path.replace(/\$\[\[ inputs\.([a-z0-9-]+) \]\]/g, (whole, name: string) =>
    exposed.has(name) ? whole : (job.fixed?.[name] ?? job.step.inputs[name]?.default ?? ''),
  );
}

function job(spec: JobSpec, dist: Distribution): Record<string, unknown> {
  const name = spec.step.name;
  const f = files(name);
  const exposed = new Set<string>();
  const variables: Record<string, string> = {
    // Each job writes its own files: jobs that run in parallel on one machine (a shell runner) do not overwrite them.
    SHIPGATE_DOTENV_FILE: f.env,
    SHIPGATE_SUMMARY_FILE: f.summary,
    SHIPGATE_OUTPUTS_FILE: f.outputs,
  };
  for (const [input, value] of Object.entries(spec.fixed ?? {})) variables[`SHIPGATE_${envName(input)}`] = value;
  for (const [input, [, output]] of Object.entries(spec.dotenv ?? {}))
    variables[`SHIPGATE_${envName(input)}`] = `$SHIPGATE_${envName(output)}`;
  for (const p of spec.inputs.map(pass)) {
    variables[`SHIPGATE_${envName(p.input)}`] = `$[[ inputs.${p.name} ]]`;
    if (p.name === p.input) exposed.add(p.name);
  }
  const reports = Object.fromEntries(
    Object.entries(spec.step.artifacts?.reports ?? {}).map(([k, v]) => [k, artifactPath(v, spec, exposed)]),
  );
  return {
    stage: `$[[ inputs.${spec.stage} ]]`,
    image: '$[[ inputs.image ]]',
    ...(spec.needs ? { needs: spec.needs.map(([step, artifacts]) => ({ job: jobName(step), artifacts })) } : {}),
    variables: { ...variables, ...cliVariables(dist) },
    // Inputs travel as SHIPGATE_* variables, never pasted into the script.
    script: [...(spec.before ?? []), cliScript(name)],
    artifacts: {
      when: 'always',
      reports: { dotenv: f.env, ...reports },
      paths: [
        f.summary,
        f.outputs,
        ...(spec.step.artifacts?.paths ?? []).map((p) => artifactPath(p, spec, exposed)).filter(Boolean),
        ...(spec.paths ?? []),
      ],
    },
    ...spec.extra,
    rules: spec.deploy ? deploys : checks,
  };
}

/** The component file: spec:inputs from the schemas, then one job per step. */
export function pipelineYml(spec: PipelineSpec, dist: Distribution): string {
  const inputs: Record<string, Record<string, unknown>> = { ...spec.own };
  for (const j of spec.jobs) {
    const declared = stepInputs(j.step, dist);
    for (const p of j.inputs.map(pass)) {
      if (inputs[p.name]) continue; // the first step that takes it declares it
      const entry = { ...declared[p.input] };
      if (p.name !== p.input) entry.description = `${j.step.name}: ${entry.description}`;
      inputs[p.name] = entry;
    }
  }
  const jobs: Record<string, unknown> = {};
  for (const j of spec.jobs) {
    const body = job(j, dist);
    if (j.step.name === 'blue-green-switch') {
      // The optional manual gate: `when` in each rule, since a job cannot have both `rules` and `when`.
      body.rules = deploys.map((r) => ({ ...r, when: '$[[ inputs.switch-when ]]' }));
    }
    jobs[jobName(j.step.name)] = body;
  }
  Object.assign(jobs, spec.more);
  const header = stringify({ spec: { component: ['sha'], inputs } }, { lineWidth: 0 });
  const body = stringify(jobs, { lineWidth: 0, aliasDuplicateObjects: false });
  return `# ${spec.title}.\n# Generated from the step schemas by \`npm run gen\` (scripts/pipelines.ts): edit those, not this file.\n${header}---\n${body}`;
}
