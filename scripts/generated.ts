// What the schemas generate; shared by gen.ts and the contract tests, so both see the same text.
import { stringify } from 'yaml';
import type { InputSpec, StepSchema } from '../shared/src/inputs.js';
import { envName } from '../shared/src/platform/platform.js';
import { table } from '../shared/src/report/markdown.js';
import { cliInputs, cliScript, cliVariables, type Distribution } from './distribution.js';

export function actionYml(schema: StepSchema): string {
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(schema.inputs)) {
    const description = spec.options ? `${spec.description} One of: ${spec.options.join(', ')}.` : spec.description;
    inputs[name] = { description, required: spec.required ?? false };
    if (spec.default !== undefined) inputs[name].default = spec.default;
  }
  const outputs: Record<string, { description: string }> = {};
  for (const [name, spec] of Object.entries(schema.outputs)) outputs[name] = { description: spec.description };
  const body = stringify(
    {
      name: `Shipgate ${schema.name}`,
      description: schema.title,
      author: 'Shipgate',
      branding: { icon: 'shield', color: 'blue' },
      inputs,
      outputs,
      runs: { using: 'node24', main: 'dist/index.js' },
    },
    { lineWidth: 0 },
  );
  return `# Generated from actions/${schema.name}/src/schema.ts by \`npm run gen\`: edit the schema, not this file.\n${body}`;
}

export function readmeInputs(schema: StepSchema): string {
  const inputs = table(
    ['Input', 'Default', 'Description'],
    Object.entries(schema.inputs).map(([name, s]) => [
      `\`${name}\``,
      s.required ? '*required*' : s.default ? `\`${s.default.replace(/\n/g, '\\n')}\`` : '',
      s.options ? `${s.description} One of: ${s.options.map((o) => `\`${o}\``).join(', ')}.` : s.description,
    ]),
  );
  const outputs = table(
    ['Output', 'Description'],
    Object.entries(schema.outputs).map(([name, s]) => [`\`${name}\``, s.description]),
  );
  return `${inputs}\n\n${outputs}`;
}

/** GitLab's input types: strings, except booleans and whole numbers. */
function gitlabType(spec: InputSpec): 'string' | 'boolean' | 'number' {
  if (spec.type === 'boolean') return 'boolean';
  // A number input cannot be left empty in GitLab, so an optional integer without a default stays a string (with a regex).
  if (spec.type === 'integer') return spec.default !== undefined || spec.required ? 'number' : 'string';
  return 'string';
}

/** GitLab checks string inputs against `regex` when the pipeline is created; the same grammar as shared/src/duration.ts. */
const DURATION_REGEX = '^(0|([0-9]+(\\.[0-9]+)?(ms|s|m|h))+)?$';

/** Steps that only read and report run wherever the pipeline runs, merge requests included. */
const REVIEW_RULES = [
  { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
  { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
  { if: '$CI_COMMIT_TAG' },
];

/** The default branch only: a merge request's pipeline runs code its author controls, so it never tags or deploys. */
export const SIDE_EFFECT_RULES = [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }];

/**
 * The job keys of a step that tags or deploys, as templates/service-delivery.yml has them: `rules` (default branch),
 * `resource_group` (one at a time; a switch and a rollback of one environment share it) and, for a deploy, the
 * `environment`. Adds the inputs that override them to `inputs`.
 */
function sideEffectJob(schema: StepSchema, inputs: Record<string, Record<string, unknown>>): Record<string, unknown> {
  inputs.rules = {
    type: 'array',
    default: SIDE_EFFECT_RULES,
    description: `When the job runs (GitLab \`rules\`). The default branch only: ${schema.name} ${schema.changes === 'deploy' ? 'deploys' : 'tags and releases'}, so it must not run in a merge request's pipeline.`,
  };
  if (schema.changes === 'tag')
    return { resource_group: `$[[ inputs.job-prefix ]]-${schema.name}`, rules: '$[[ inputs.rules ]]' };
  // rollback's own `environment` input (the deployment it records) is the same environment.
  inputs.environment ??= {
    default: 'production',
    description: 'The GitLab environment the job deploys to; the resource group is <job-prefix>-<environment>.',
  };
  return {
    environment: { name: '$[[ inputs.environment ]]' },
    resource_group: '$[[ inputs.job-prefix ]]-$[[ inputs.environment ]]',
    rules: '$[[ inputs.rules ]]',
  };
}

/** GitLab's `cache:` of a component job; kept also when the job fails (a regression is still history). */
function componentCache(c: NonNullable<NonNullable<StepSchema['artifacts']>['cache']>) {
  return { key: c.key, ...(c.fallbackKeys ? { fallback_keys: c.fallbackKeys } : {}), paths: c.paths, when: 'always' };
}

/** The GitLab CI/CD component of a step: spec:inputs from the schema, one job that runs the CLI of the component's commit. */
export function componentYml(schema: StepSchema, dist: Distribution): string {
  const inputs: Record<string, Record<string, unknown>> = {
    stage: { default: 'test', description: 'Stage of the job.' },
    'job-prefix': { default: 'shipgate', description: 'Prefix of the job name: <job-prefix>-' + schema.name + '.' },
    ...cliInputs(dist),
    image: { default: 'node:24-slim', description: 'Image of the job; it needs Node.js 20 or newer.' },
  };
  const variables: Record<string, string> = {};
  for (const [name, spec] of Object.entries(schema.inputs)) {
    const type = gitlabType(spec);
    const entry: Record<string, unknown> = { description: spec.description };
    if (type !== 'string') entry.type = type;
    if (!spec.required) {
      const d = spec.default ?? '';
      entry.default = type === 'boolean' ? d === 'true' : type === 'number' ? Number(d) : d;
    }
    // GitLab refuses an include whose default is not one of the options: an optional enum may also be left empty.
    if (spec.options)
      entry.options =
        spec.required || spec.options.includes(spec.default ?? '') ? [...spec.options] : [...spec.options, ''];
    if (spec.type === 'duration') entry.regex = DURATION_REGEX;
    if (spec.type === 'integer' && type === 'string') entry.regex = '^([0-9]+)?$';
    inputs[name] = entry;
    variables[`SHIPGATE_${envName(name)}`] = `$[[ inputs.${name} ]]`;
  }
  const guard = schema.changes ? sideEffectJob(schema, inputs) : { rules: REVIEW_RULES };
  const header = stringify({ spec: { component: ['sha'], inputs } }, { lineWidth: 0 });
  const job = {
    [`$[[ inputs.job-prefix ]]-${schema.name}`]: {
      stage: '$[[ inputs.stage ]]',
      image: '$[[ inputs.image ]]',
      variables: { ...variables, ...cliVariables(dist) },
      // Inputs travel as SHIPGATE_* variables, never pasted into the script.
      script: [cliScript(schema.name)],
      artifacts: {
        when: 'always',
        reports: { dotenv: 'shipgate.env', ...schema.artifacts?.reports },
        paths: ['shipgate-summary.md', 'shipgate-outputs.json', ...(schema.artifacts?.paths ?? [])],
      },
      ...(schema.artifacts?.cache ? { cache: componentCache(schema.artifacts.cache) } : {}),
      ...guard,
    },
  };
  const body = stringify(job, { lineWidth: 0 });
  return `# Generated from actions/${schema.name}/src/schema.ts by \`npm run gen\`: edit the schema, not this file.\n${header}---\n${body}`;
}
