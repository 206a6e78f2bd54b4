import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { steps } from '../../actions/index.js';
import { ROOT } from '../helpers/run-bundle.js';

// A merge request's pipeline runs code its author controls: the per-step GitLab components of the steps that tag,
// release, move traffic or roll back must not run there by default, must run one at a time, and a deploy must name
// its environment, as templates/service-delivery.yml does.
const SIDE_EFFECTS: Record<string, 'tag' | 'deploy'> = {
  'version-tag': 'tag',
  'blue-green-switch': 'deploy',
  rollback: 'deploy',
};

type Component = [
  { spec: { inputs: Record<string, { type?: string; default?: unknown }> } },
  Record<string, { rules?: unknown; resource_group?: string; environment?: { name: string } }>,
];
const component = (name: string) =>
  readFileSync(join(ROOT, 'templates', `${name}.yml`), 'utf8')
    .split('\n---\n')
    .map((p) => parse(p)) as Component;

/** The `if:` of each rule a job gets with its default inputs. */
function defaultRules(name: string): string[] {
  const [header, body] = component(name);
  const job = Object.values(body)[0];
  const rules = job.rules === '$[[ inputs.rules ]]' ? header.spec.inputs.rules.default : job.rules;
  return (rules as { if: string }[]).map((r) => r.if);
}

describe('per-step GitLab components', () => {
  it('every step that changes something outside the job says so in its schema', () => {
    for (const { schema } of steps) expect(schema.changes, schema.name).toBe(SIDE_EFFECTS[schema.name]);
  });

  describe.each(Object.entries(SIDE_EFFECTS))('%s', (name, kind) => {
    const [header, body] = component(name);
    const job = Object.values(body)[0];

    it('runs on the default branch only, never on merge_request_event, unless the rules input says otherwise', () => {
      expect(job.rules).toBe('$[[ inputs.rules ]]');
      expect(header.spec.inputs.rules.type).toBe('array');
      expect(defaultRules(name)).toEqual(['$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH']);
      expect(readFileSync(join(ROOT, 'templates', `${name}.yml`), 'utf8')).not.toContain('merge_request_event');
    });

    it('runs one job at a time in its resource group', () => {
      expect(job.resource_group).toMatch(/^\$\[\[ inputs\.job-prefix \]\]-/);
    });

    it(
      kind === 'deploy'
        ? 'deploys to the environment input (default production), its resource group named after it'
        : 'has no environment: a tag is no deployment',
      () => {
        if (kind === 'deploy') {
          expect(job.environment).toEqual({ name: '$[[ inputs.environment ]]' });
          expect(header.spec.inputs.environment.default).toBe('production');
          expect(job.resource_group).toBe('$[[ inputs.job-prefix ]]-$[[ inputs.environment ]]');
        } else expect(job.environment).toBeUndefined();
      },
    );
  });

  it('the steps that only read and report still run in merge requests', () => {
    for (const { schema } of steps.filter((s) => !SIDE_EFFECTS[s.schema.name])) {
      expect(defaultRules(schema.name), schema.name).toContain('$CI_PIPELINE_SOURCE == "merge_request_event"');
    }
  });
});
