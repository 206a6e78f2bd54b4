import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { steps } from '../../actions/index.js';
import type { StepSchema } from '../../shared/src/inputs.js';
import { envName } from '../../shared/src/platform/platform.js';
import { componentYml } from '../../scripts/generated.js';
import { pipelineYml, pipelines } from '../../scripts/pipelines.js';
import { distribution } from '../../scripts/distribution.js';
import { ROOT } from '../helpers/run-bundle.js';

// The whole-pipeline GitLab components against the step schemas: every input they pass on is the step's input (same
// name, spec, default, required), every `needs:` names a job of the file, every dotenv variable a later job reads is
// an output the producing step declares, and no input reaches a script line except the regex-checked version.
const dist = distribution(ROOT);
const schemas = new Map(steps.map((s) => [s.schema.name, s.schema as StepSchema]));
/** Component inputs that feed a step input of another name, on purpose: [component input, step, step input]. */
const FEEDS = [
  ['provider', 'rollback', 'backend'],
  ['blue-green-switch-service', 'blue-green-switch', 'service'],
  ['blue-green-switch-service', 'rollback', 'service'],
];
/** Where the platform writes its files: set per job so parallel jobs on one shell runner keep theirs apart. */
const PLATFORM_FILES = ['SHIPGATE_DOTENV_FILE', 'SHIPGATE_SUMMARY_FILE', 'SHIPGATE_OUTPUTS_FILE'];

type Job = {
  needs?: (string | { job: string; artifacts: boolean })[];
  variables?: Record<string, string>;
  script?: string[];
  artifacts?: { reports: Record<string, string>; paths: string[] };
  rules?: Record<string, string>[];
  trigger?: { include: { artifact: string; job: string }[]; strategy: string };
};

const stepOf = (job: Job) => /"\$SHIPGATE_CLI_LOADER" ([a-z-]+)$/.exec(job.script?.at(-1) ?? '')?.[1];
/** The variables that choose and fetch the CLI, the same in every job (scripts/distribution.ts). */
const CLI_VARIABLES = [
  'SHIPGATE_CLI_PACKAGE',
  'SHIPGATE_CLI_PROJECT',
  'SHIPGATE_CLI_SHA',
  'SHIPGATE_CLI_FILES',
  'SHIPGATE_CLI_LOADER',
];
const inputOf = (schema: StepSchema, variable: string) =>
  Object.keys(schema.inputs).find((i) => `SHIPGATE_${envName(i)}` === variable);
const declared = (schema: StepSchema) =>
  (parse(componentYml(schema, dist).split('\n---\n')[0]) as { spec: { inputs: Record<string, unknown> } }).spec.inputs;

describe.each(pipelines(dist).map((p) => [p.file, p] as const))('%s', (file, spec) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const [header, body] = text.split('\n---\n').map((part) => parse(part)) as [
    { spec: { inputs: Record<string, Record<string, unknown>> } },
    Record<string, Job>,
  ];
  const inputs = header.spec.inputs;
  const stepJobs = Object.entries(body).filter(([, j]) => stepOf(j));

  it('is the generated text (npm run gen is not stale)', () => {
    expect(text).toBe(pipelineYml(spec, dist));
  });

  it('declares each input it passes on exactly as the step does: name, description, type, default, required, options, regex', () => {
    let checked = 0;
    const descriptions = new Map<string, unknown[]>();
    for (const [name, job] of stepJobs) {
      const schema = schemas.get(stepOf(job)!)!;
      const stepInputs = declared(schema);
      for (const [variable, value] of Object.entries(job.variables ?? {})) {
        const m = /^\$\[\[ inputs\.([a-z0-9-]+) \]\]$/.exec(value);
        if (PLATFORM_FILES.includes(variable) || CLI_VARIABLES.includes(variable)) continue;
        const input = inputOf(schema, variable);
        expect(input, `${name}: ${variable} is no input of ${schema.name}`).toBeDefined();
        if (!m) continue; // fixed by the pipeline, or from a dotenv report (checked below)
        if (m[1] === input) {
          // An input shared by two steps (health-url) has one description, the first step's; the rest is identical.
          const { description, ...rest } = inputs[m[1]];
          const { description: stepDescription, ...stepRest } = stepInputs[input] as Record<string, unknown>;
          expect(rest, `${name}: ${m[1]}`).toEqual(stepRest);
          descriptions.set(m[1], [...(descriptions.get(m[1]) ?? []), stepDescription]);
          expect(typeof description).toBe('string');
          checked++;
        } else {
          expect(FEEDS, `${name}: ${m[1]} → ${schema.name}.${input}`).toContainEqual([m[1], schema.name, input]);
          // The same choices; the step's optional enum may also be left empty, the feeding input need not.
          const choices = (o: unknown) => (o as string[] | undefined)?.filter((x) => x !== '') ?? null;
          expect(choices(inputs[m[1]].options)).toEqual(choices((stepInputs[input!] as { options?: unknown }).options));
        }
      }
      // Nothing the step requires is left out.
      for (const [input, s] of Object.entries(schema.inputs)) {
        if (s.required)
          expect(job.variables, `${name}: required ${input}`).toHaveProperty(`SHIPGATE_${envName(input)}`);
      }
    }
    expect(checked).toBeGreaterThan(3);
    for (const [input, list] of descriptions) expect(list, input).toContain(inputs[input].description);
  });

  it('uses every input it declares, and declares every input it uses', () => {
    const used = new Set([...text.split('\n---\n')[1].matchAll(/\$\[\[ inputs\.([a-z0-9-]+) \]\]/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(inputs).sort());
  });

  it('every needs: names a job of the file', () => {
    for (const [name, job] of Object.entries(body)) {
      for (const need of job.needs ?? [])
        expect(body, `${name} needs ${JSON.stringify(need)}`).toHaveProperty([
          typeof need === 'string' ? need : need.job,
        ]);
    }
  });

  it('every variable read from a dotenv report is an output of a needed job whose step declares it', () => {
    for (const [name, job] of stepJobs) {
      for (const [variable, value] of Object.entries(job.variables ?? {})) {
        const m = /^\$(SHIPGATE_[A-Z0-9_]+)$/.exec(value);
        if (!m) continue;
        const producers = (job.needs ?? []).flatMap((n) => (typeof n === 'object' && n.artifacts ? [n.job] : []));
        const from = producers.filter((p) =>
          Object.keys(schemas.get(stepOf(body[p])!)!.outputs).some((o) => `SHIPGATE_${envName(o)}` === m[1]),
        );
        expect(from, `${name}: ${variable} from $${m[1]}`).toHaveLength(1);
        const producer = body[from[0]];
        expect(producer.artifacts!.reports.dotenv).toBe(producer.variables!.SHIPGATE_DOTENV_FILE);
      }
    }
  });

  it('passes inputs as variables, never in a script line', () => {
    for (const [name, job] of Object.entries(body)) {
      for (const line of job.script ?? []) expect(line, name).not.toContain('$[[');
    }
  });

  it('has no global keywords, and names every job from job-prefix', () => {
    for (const name of Object.keys(body)) expect(name).toMatch(/^\$\[\[ inputs\.job-prefix \]\]-/);
  });
});

describe('templates/service-delivery.yml', () => {
  const body = parse(readFileSync(join(ROOT, 'templates/service-delivery.yml'), 'utf8').split('\n---\n')[1]) as Record<
    string,
    Job
  >;
  const job = (step: string) => body[`$[[ inputs.job-prefix ]]-${step}`];

  it('chains check-dependencies → api-compat and perf-baseline → version-tag → blue-green-switch → rollback', () => {
    const needs = (step: string) =>
      (job(step).needs ?? []).map((n) => (typeof n === 'string' ? n : n.job).replace('$[[ inputs.job-prefix ]]-', ''));
    expect(needs('api-compat')).toEqual(['check-dependencies']);
    expect(needs('perf-baseline')).toEqual(['check-dependencies']);
    expect(needs('version-tag')).toEqual(['api-compat', 'perf-baseline']);
    expect(needs('blue-green-switch')).toEqual(['version-tag']);
    expect(needs('rollback')).toEqual(['blue-green-switch']);
    expect(job('version-tag').variables!.SHIPGATE_API_BREAKING).toBe('$SHIPGATE_BREAKING');
    expect(job('rollback').variables).toMatchObject({
      SHIPGATE_PROVIDER: 'blue-green',
      SHIPGATE_TO: '$SHIPGATE_PREVIOUS',
    });
  });

  it('gates the switch by hand when switch-when is manual, and moves traffic only from the default branch', () => {
    expect(job('blue-green-switch').rules).toEqual([
      { if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: '$[[ inputs.switch-when ]]' },
    ]);
    expect(job('rollback').rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH' }]);
    expect(job('api-compat').rules).toContainEqual({ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' });
  });
});

describe('templates/multi-service.yml', () => {
  const body = parse(readFileSync(join(ROOT, 'templates/multi-service.yml'), 'utf8').split('\n---\n')[1]) as Record<
    string,
    Job
  >;

  it('triggers the child pipeline check-dependencies writes, and mirrors its status', () => {
    const plan = body['$[[ inputs.job-prefix ]]-check-dependencies'];
    const deploy = body['$[[ inputs.job-prefix ]]-deploy'];
    const child = plan.variables!.SHIPGATE_CHILD_PIPELINE;
    expect(child).toMatch(/\.yml$/);
    expect(plan.artifacts!.paths).toContain(child);
    expect(deploy.trigger).toEqual({
      include: [{ artifact: child, job: '$[[ inputs.job-prefix ]]-check-dependencies' }],
      strategy: 'depend',
    });
    expect(deploy.needs).toEqual(['$[[ inputs.job-prefix ]]-check-dependencies']);
  });
});

describe('examples/gitlab', () => {
  const examples = ['service-delivery', 'multi-service'];
  it.each(examples)('%s includes the component with inputs it declares, and every required one', (name) => {
    const ci = parse(readFileSync(join(ROOT, 'examples', 'gitlab', name, '.gitlab-ci.yml'), 'utf8')) as {
      include: { component: string; inputs: Record<string, unknown> }[];
    };
    const major = dist.version.split('.')[0];
    const include = ci.include.find((i) => i.component?.endsWith(`/${name}@${major}`));
    expect(include?.component).toBe(`$CI_SERVER_FQDN/${dist.gitlab}/${name}@${major}`);
    const header = parse(readFileSync(join(ROOT, 'templates', `${name}.yml`), 'utf8').split('\n---\n')[0]) as {
      spec: { inputs: Record<string, { default?: unknown; options?: unknown[] }> };
    };
    const inputs = header.spec.inputs;
    for (const [input, value] of Object.entries(include!.inputs)) {
      expect(inputs, input).toHaveProperty([input]);
      if (inputs[input].options) expect(inputs[input].options, input).toContain(value);
    }
    for (const [input, spec] of Object.entries(inputs))
      if (!('default' in spec)) expect(include!.inputs, `required ${input}`).toHaveProperty([input]);
  });

  it("multi-service: the hidden job it extends is in the file it includes, and the config has the seed's five services", () => {
    const dir = join(ROOT, 'examples', 'gitlab', 'multi-service');
    const { inputs } = (
      parse(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8')) as { include: { inputs: Record<string, string> }[] }
    ).include[0];
    expect(parse(readFileSync(join(dir, inputs['child-include']), 'utf8'))).toHaveProperty([inputs['child-extends']]);
    const config = parse(readFileSync(join(dir, inputs.config), 'utf8')) as { services: Record<string, unknown> };
    expect(Object.keys(config.services)).toEqual([
      'config-center',
      'service-registry',
      'inventory-service',
      'user-service',
      'order-service',
    ]);
  });
});
