// The GitHub reusable workflows' input blocks, generated from the step schemas, and the one place that says where the
// workflows find the step actions. gen.ts splices both into the hand-written workflows; the contract test re-checks them.
//
// Naming rule, one meaning per name: a workflow input named like a step input (`timeout`) IS that step input — same
// type, default, required and description, taken from the schema of its `from` step. When the steps of a workflow
// share a name with the same spec and meaning (`health-url` of blue-green-switch and rollback, the backend inputs),
// one workflow input feeds them all. When a name means something else in another step, the workflow input is
// prefixed with its step (`blue-green-switch-service` is the Kubernetes Service, `service` the name in
// dependency-config.yml). `feeds` wires one workflow input into a step input of another name or default on purpose
// (`provider` → rollback's `backend`, `config` → rollback's `config`); the contract test allows exactly those.
import { stringify } from 'yaml';
import { readProject } from './distribution.js';
import type { InputSpec, StepSchema } from '../shared/src/inputs.js';
import { schemas } from '../actions/index.js';

const project = readProject(new URL('..', import.meta.url).pathname);

/**
 * The GitHub repository Shipgate is published under (package.json `shipgate.github`). `uses:` cannot hold an
 * expression, so the workflows name it literally and `npm run gen` rewrites every Shipgate `uses:` line from it.
 */
export const REPO = project.github;
/** The major version tag callers pin (`@v1`, moved by each release); README snippets and examples use it. */
export const MAJOR_REF = `v${project.version.split('.')[0]}`;
/**
 * The exact release the workflows call their step actions and each other at (`@v1.2.3`). The release commit carries
 * it and the release tag points at that commit, so a caller of `…@v1` (moved to that commit) or `…@v1.2.3` runs the
 * steps of the very same commit.
 */
export const RELEASE_REF = `v${project.version}`;

export const stepSchemas: Record<string, StepSchema> = schemas;

export const actionRef = (step: string, ref = RELEASE_REF) => `${REPO}/actions/${step}@${ref}`;
export const workflowRef = (file: string, ref = RELEASE_REF) => `${REPO}/.github/workflows/${file}@${ref}`;

/** A workflow input of the workflow's own, not a step's (runner labels, per-service settings). */
export interface OwnInput {
  name: string;
  type: 'string' | 'boolean' | 'number';
  description: string;
  default?: string | boolean | number;
  required?: boolean;
}

/** A workflow input that is a step input (see the naming rule above). */
export interface StepInput {
  name: string;
  from: { step: string; input: string };
  /** Other step inputs this one also feeds, on purpose (a different name or default). */
  feeds?: { step: string; input: string }[];
}

export type WorkflowInput = OwnInput | StepInput;

export interface WorkflowSpec {
  file: string;
  inputs: WorkflowInput[];
}

export const isStepInput = (i: WorkflowInput): i is StepInput => 'from' in i;

const own = (name: string, type: OwnInput['type'], description: string, def?: OwnInput['default']): OwnInput => ({
  name,
  type,
  description,
  default: def,
});
const from = (step: string, inputs: string[], prefixed: string[] = []): StepInput[] => [
  ...inputs.map((input) => ({ name: input, from: { step, input } })),
  ...prefixed.map((input) => ({ name: `${step}-${input}`, from: { step, input } })),
];

const RUNS_ON = own(
  'runs-on',
  'string',
  'Runner of the check and release jobs: a label, or a JSON array of labels (`["self-hosted","linux"]`).',
  'ubuntu-latest',
);
const DEPLOY_RUNS_ON = own(
  'deploy-runs-on',
  'string',
  'Runner of the jobs that switch traffic and roll back: one that reaches the router (a label or a JSON array of labels).',
  'ubuntu-latest',
);

/** The backend inputs blue-green-switch and rollback share (one meaning, one spec); kubeconfig comes as a secret. */
const BACKEND = [
  'colors',
  'haproxy-socket',
  'haproxy-backend',
  'nginx-upstream-file',
  'nginx-upstream',
  'blue-address',
  'green-address',
  'nginx-reload-command',
  'namespace',
  'selector-key',
  'virtual-service',
  'http-route',
  'backend-refs',
];

/** dependency-config.yml: check-dependencies reads it, rollback lists the services that depend on the rolled-back one. */
const CONFIG: StepInput = {
  name: 'config',
  from: { step: 'check-dependencies', input: 'config' },
  feeds: [{ step: 'rollback', input: 'config' }],
};

/** The deploy of one service: the switch, and the rollback watch after it, as both workflows expose them. */
const DEPLOY: WorkflowInput[] = [
  {
    name: 'provider',
    from: { step: 'blue-green-switch', input: 'provider' },
    feeds: [{ step: 'rollback', input: 'backend' }],
  },
  ...from('blue-green-switch', [
    'target',
    'health-url',
    'healthy-threshold',
    'health-timeout',
    'steps',
    'step-interval',
    'prometheus-url',
  ]),
  ...from(
    'blue-green-switch',
    ['analysis-query', 'analysis-max', 'analysis-min', 'state-file', ...BACKEND],
    ['service'],
  ),
  ...from('rollback', [
    'environment',
    'trigger-query',
    'trigger-max',
    'trigger-min',
    'watch',
    'watch-interval',
    'fail-after-rollback',
  ]),
];

export const workflows: WorkflowSpec[] = [
  {
    file: '.github/workflows/shipgate-service-delivery.yml',
    inputs: [
      RUNS_ON,
      DEPLOY_RUNS_ON,
      CONFIG,
      ...from('check-dependencies', ['service', 'check-health', 'timeout', 'consul-url']),
      ...from('api-compat', ['base', 'head', 'fail-on', 'exceptions', 'comment']),
      ...from('perf-baseline', [
        'url',
        'connections',
        'duration',
        'warmup',
        'max-p95',
        'max-p99',
        'max-error-rate',
        'baseline',
        'max-regression',
      ]),
      ...from('version-tag', ['prefix', 'path', 'dry-run', 'release', 'images', 'api-breaking-policy']),
      ...DEPLOY,
    ],
  },
  ...['shipgate-multi-service.yml', 'shipgate-wave.yml'].map((file) => ({
    file: `.github/workflows/${file}`,
    inputs: [
      ...(file === 'shipgate-wave.yml'
        ? [
            own('wave', 'number', 'Index of this wave, from 0 (set by shipgate-multi-service).', 0),
            {
              ...own('services', 'string', 'JSON array of the services of this wave (set by shipgate-multi-service).'),
              required: true,
            },
          ]
        : [RUNS_ON]),
      DEPLOY_RUNS_ON,
      CONFIG,
      ...from('check-dependencies', ['check-health', 'timeout', 'consul-url']),
      ...(file === 'shipgate-multi-service.yml' ? from('check-dependencies', ['changed-files']) : []),
      // Services in their own repository (`project:`): how long to wait for their run, and what they deploy.
      ...from('check-dependencies', ['pipeline-timeout', 'deploy-version']),
      own(
        'dispatch-app-id',
        'string',
        'GitHub App installed on the repositories of services with `project:`, with `actions: write`: each deploy job makes its token (actions/create-github-app-token) from this id and the secret `dispatch-app-private-key`. Empty: the secret `dispatch-token` is used.',
        '',
      ),
      own(
        'service-settings',
        'string',
        'JSON object: service name → inputs of its deploy that differ from the ones above, e.g. `{"order-service":{"haproxy-backend":"orders"}}`. In every string input `{service}` becomes the service\'s name.',
        '{}',
      ),
      ...from('blue-green-switch', ['dry-run']),
      ...DEPLOY,
    ],
  })),
];

/** GitHub's input type for a step input: booleans and whole numbers with a default are typed, the rest are strings. */
function githubType(spec: InputSpec): 'string' | 'boolean' | 'number' {
  if (spec.type === 'boolean') return 'boolean';
  if (spec.type === 'integer' && spec.default !== undefined) return 'number';
  return 'string';
}

/** The workflow_call declaration of one input, exactly as the schema says for step inputs. */
export function declaration(input: WorkflowInput): Record<string, unknown> {
  if (!isStepInput(input)) {
    const d: Record<string, unknown> = {
      description: input.description,
      type: input.type,
      required: input.required ?? false,
    };
    if (input.default !== undefined) d.default = input.default;
    return d;
  }
  const spec = stepSchemas[input.from.step].inputs[input.from.input];
  if (!spec) throw new Error(`${input.from.step} has no input '${input.from.input}'`);
  const type = githubType(spec);
  const prefix = input.name === input.from.input ? '' : `${input.from.step}: `;
  const options = spec.options ? ` One of: ${spec.options.join(', ')}.` : '';
  const d: Record<string, unknown> = {
    description: `${prefix}${spec.description}${options}`,
    type,
    required: spec.required ?? false,
  };
  if (spec.default !== undefined)
    d.default = type === 'boolean' ? spec.default === 'true' : type === 'number' ? Number(spec.default) : spec.default;
  return d;
}

/**
 * A `uses:` line of a Shipgate step action or reusable workflow, whatever owner, repository and ref it names now
 * (comments that quote one are references for callers, stamped at the major tag by scripts/references.ts).
 */
const OWN_ACTION_USES = /^(\s*(?:-\s+)?uses:\s*)[\w.-]+\/[\w.-]+\/actions\/([a-z-]+)@[\w.-]+/gm;
const OWN_WORKFLOW_USES = /^(\s*(?:-\s+)?uses:\s*)[\w.-]+\/[\w.-]+\/\.github\/workflows\/(shipgate-[\w.-]+)@[\w.-]+/gm;

const START = '# inputs:start';
const END = '# inputs:end';

/** The generated text between the markers, indented under `on.workflow_call.inputs`. */
export function inputsBlock(spec: WorkflowSpec, indent = '      '): string {
  const body = stringify(Object.fromEntries(spec.inputs.map((i) => [i.name, declaration(i)])), { lineWidth: 0 });
  return body
    .trimEnd()
    .split('\n')
    .map((l) => indent + l)
    .join('\n');
}

/**
 * The workflow text with its input block regenerated and every Shipgate `uses:` pointing at REPO and RELEASE_REF.
 * Throws when the markers are missing, so a hand edit that drops them fails the build instead of going stale.
 */
export function generateWorkflow(text: string, spec: WorkflowSpec): string {
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a === -1 || b === -1 || b < a) throw new Error(`${spec.file}: the '${START}' and '${END}' markers are missing.`);
  const lineEnd = text.indexOf('\n', a);
  const endLineStart = text.lastIndexOf('\n', b) + 1;
  const spliced = text.slice(0, lineEnd + 1) + inputsBlock(spec) + '\n' + text.slice(endLineStart);
  return spliced
    .replace(OWN_ACTION_USES, (m, u: string, step: string) => (step in stepSchemas ? u + actionRef(step) : m))
    .replace(OWN_WORKFLOW_USES, (_m, u: string, f: string) => u + workflowRef(f));
}
