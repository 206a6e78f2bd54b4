import { cliScript } from '../../shared/src/gitlab/cli-script.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { steps } from '../../actions/index.js';
import { helpText, parseArgs } from '../../shared/src/cli.js';
import { parseInputs, type StepSchema } from '../../shared/src/inputs.js';
import { actionYml, componentYml } from '../../scripts/generated.js';
import { distribution } from '../../scripts/distribution.js';
import { ROOT } from '../helpers/run-bundle.js';

// One source of truth: the schema. action.yml, CLI flags and help must say the same.
describe.each(steps.map((s) => [s.schema.name, s.schema as StepSchema] as const))('%s', (name, schema) => {
  const step = { schema };
  const dir = join(ROOT, 'actions', name);
  const action = parse(readFileSync(join(dir, 'action.yml'), 'utf8'));

  it('action.yml declares exactly the schema inputs with the same defaults and required flags', () => {
    const fromAction = Object.entries(action.inputs as Record<string, { default?: string; required: boolean }>).map(
      ([k, v]) => [k, v.default, v.required],
    );
    const fromSchema = Object.entries(step.schema.inputs).map(([k, v]) => [k, v.default, v.required ?? false]);
    expect(fromAction).toEqual(fromSchema);
    expect(Object.keys(action.outputs)).toEqual(Object.keys(step.schema.outputs));
  });

  it('action.yml is the generated text (npm run gen is not stale)', () => {
    expect(readFileSync(join(dir, 'action.yml'), 'utf8')).toBe(actionYml(step.schema));
  });

  it('the GitLab component declares the schema inputs with the same defaults, and passes each as a SHIPGATE_* variable', () => {
    const text = readFileSync(join(ROOT, 'templates', `${name}.yml`), 'utf8');
    expect(text).toBe(componentYml(schema, distribution(ROOT)));
    const [header, body] = text.split('\n---\n').map((part) => parse(part));
    const inputs = header.spec.inputs as Record<string, { default?: unknown; type?: string }>;
    // A step that tags or deploys also has the inputs of its guard (test/contract/components-side-effects.test.ts).
    const guard = !schema.changes
      ? []
      : schema.changes === 'tag' || schema.inputs.environment
        ? ['rules']
        : ['rules', 'environment'];
    expect(Object.keys(inputs)).toEqual([
      'stage',
      'job-prefix',
      'cli-package',
      'cli-project',
      'image',
      ...Object.keys(schema.inputs),
      ...guard,
    ]);
    expect(body[`$[[ inputs.job-prefix ]]-${name}`].image).toBe('$[[ inputs.image ]]');
    for (const [input, spec] of Object.entries(schema.inputs)) {
      expect(spec.required ? undefined : String(inputs[input].default), input).toBe(
        spec.required ? undefined : (spec.default ?? ''),
      );
    }
    const job = body[`$[[ inputs.job-prefix ]]-${name}`];
    expect(job.script).toEqual([cliScript(name)]);
    expect(header.spec.component).toEqual(['sha']);
    expect(job.variables.SHIPGATE_CLI_SHA).toBe('$[[ component.sha ]]');
    for (const input of Object.keys(schema.inputs)) {
      expect(job.variables[`SHIPGATE_${input.toUpperCase().replace(/-/g, '_')}`]).toBe(`$[[ inputs.${input} ]]`);
    }
    expect(job.artifacts.reports.dotenv).toBe('shipgate.env');
  });

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(existsSync(join(dir, 'dist', 'index.js'))).toBe(true);
  });

  it('every input is a CLI flag listed in --help, and every default parses', () => {
    const help = helpText(step.schema);
    for (const input of Object.keys(step.schema.inputs)) {
      expect(help).toContain(`--${input}`);
      const value = step.schema.inputs[input].default ?? 'x';
      expect(parseArgs(step.schema, [`--${input}`, value]).flags[input]).toBe(value);
    }
    const required = Object.entries(step.schema.inputs).filter(([, s]) => s.required);
    const filled = Object.fromEntries(required.map(([k, s]) => [k, s.options?.[0] ?? 'x']));
    expect(() => parseInputs(step.schema.inputs, (n) => filled[n])).not.toThrow();
  });

  it("the component's duration regex accepts exactly what the step parses", () => {
    const [header] = readFileSync(join(ROOT, 'templates', `${name}.yml`), 'utf8')
      .split('\n---\n')
      .map((part) => parse(part));
    for (const [input, spec] of Object.entries(schema.inputs).filter(([, s]) => s.type === 'duration')) {
      const re = new RegExp(header.spec.inputs[input].regex);
      for (const text of [spec.default ?? '', '500ms', '30s', '1m30s', '2.5s', '0'])
        expect(re.test(text), `${input}: ${text}`).toBe(true);
      for (const text of ['30', '5 s', '1d', 's', '-1s']) {
        expect(re.test(text), `${input}: ${text}`).toBe(false);
        expect(() => parseInputs({ [input]: spec }, () => text), `${input}: ${text}`).toThrow();
      }
    }
  });

  it('names inputs and outputs in kebab-case', () => {
    for (const n of [...Object.keys(step.schema.inputs), ...Object.keys(step.schema.outputs)])
      expect(n).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
});

describe('component cli-package input', () => {
  it('accepts npm specs, tarballs and empty, but nothing a shell would act on', () => {
    const [header] = readFileSync(join(ROOT, 'templates', 'check-dependencies.yml'), 'utf8')
      .split('\n---\n')
      .map((part) => parse(part));
    const re = new RegExp(header.spec.inputs['cli-package'].regex);
    for (const ok of [
      '',
      '@acme/shipgate@1.2.3',
      'shipgate-fork@^1',
      'file:./shipgate-0.1.0.tgz',
      './shipgate-0.1.0.tgz',
    ])
      expect(re.test(ok), ok).toBe(true);
    for (const bad of ['1; rm -rf /', '$(id)', '1 2', '`id`', '-x']) expect(re.test(bad), bad).toBe(false);
  });
});

it('the perf-baseline component keeps the history file from pipeline to pipeline: an artifact and a cache per branch, saved also when the gate fails', () => {
  const [, body] = readFileSync(join(ROOT, 'templates', 'perf-baseline.yml'), 'utf8')
    .split('\n---\n')
    .map((part) => parse(part));
  const job = body['$[[ inputs.job-prefix ]]-perf-baseline'];
  expect(job.artifacts.paths).toContain('$[[ inputs.history ]]');
  expect(job.cache).toEqual({
    key: 'perf-history-$CI_COMMIT_REF_SLUG',
    fallback_keys: ['perf-history-$CI_DEFAULT_BRANCH'],
    paths: ['$[[ inputs.history ]]'],
    when: 'always',
  });
  expect(job.variables.SHIPGATE_HISTORY).toBe('$[[ inputs.history ]]');
});
