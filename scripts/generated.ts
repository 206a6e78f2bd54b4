// What the schemas generate; shared by gen.ts and the contract tests, so both see the same text.
import { stringify } from 'yaml';
import type { InputSpec, StepSchema } from '../shared/src/inputs.js';
import { envName } from '../shared/src/platform/platform.js';
import { table } from '../shared/src/report/markdown.js';

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

/** What the `version` input may hold: it is pasted into a script line, so only what an npm version or spec needs. */
export const VERSION_REGEX = '^[A-Za-z0-9^~][A-Za-z0-9.+_:/^~-]*$';

/** The GitLab CI/CD component of a step: spec:inputs from the schema, one job that runs the published CLI. */
export function componentYml(schema: StepSchema, version: string): string {
  const inputs: Record<string, Record<string, unknown>> = {
    stage: { default: 'test', description: 'Stage of the job.' },
    'job-prefix': { default: 'shipgate', description: 'Prefix of the job name: <job-prefix>-' + schema.name + '.' },
    // The version is pasted into the job's script line, so it may hold only what an npm version or spec needs.
    version: { default: version, description: 'Version of the shipgate npm package to run.', regex: VERSION_REGEX },
    image: { default: 'node:24-slim', description: 'Image of the job; it needs Node.js 20 or newer and npx.' },
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
    if (spec.options) entry.options = spec.required || spec.options.includes(spec.default ?? '') ? [...spec.options] : [...spec.options, ''];
    if (spec.type === 'duration') entry.regex = DURATION_REGEX;
    if (spec.type === 'integer' && type === 'string') entry.regex = '^([0-9]+)?$';
    inputs[name] = entry;
    variables[`SHIPGATE_${envName(name)}`] = `$[[ inputs.${name} ]]`;
  }
  const header = stringify({ spec: { inputs } }, { lineWidth: 0 });
  const job = {
    [`$[[ inputs.job-prefix ]]-${schema.name}`]: {
      stage: '$[[ inputs.stage ]]',
      image: '$[[ inputs.image ]]',
      variables,
      // Inputs travel as SHIPGATE_* variables, never pasted into the script.
      script: [`npx --yes shipgate@$[[ inputs.version ]] ${schema.name}`],
      artifacts: {
        when: 'always',
        reports: { dotenv: 'shipgate.env', ...schema.artifacts?.reports },
        paths: ['shipgate-summary.md', 'shipgate-outputs.json', ...(schema.artifacts?.paths ?? [])],
      },
      rules: [
        { if: '$CI_PIPELINE_SOURCE == "merge_request_event"' },
        { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' },
        { if: '$CI_COMMIT_TAG' },
      ],
    },
  };
  const body = stringify(job, { lineWidth: 0 });
  return `# Generated from actions/${schema.name}/src/schema.ts by \`npm run gen\`: edit the schema, not this file.\n${header}---\n${body}`;
}
