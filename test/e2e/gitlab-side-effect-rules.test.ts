import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pipeline, project, type GitlabWork } from '../helpers/gitlab-ci-local.js';

// gitlab-ci-local evaluates the per-step components' rules as GitLab does: in a merge request's pipeline the steps
// that tag, move traffic or roll back do not run; on the default branch they do, in their environment; a pipeline
// author can still opt in through the `rules` input.
const work: GitlabWork = { dir: mkdtempSync(join(tmpdir(), 'shipgate-gcl-rules-')), tgz: 'unused.tgz' };
writeFileSync(join(work.dir, work.tgz), '');

const STEPS = ['version-tag', 'blue-green-switch', 'rollback'];
const REQUIRED: Record<string, string> = {
  'blue-green-switch': ', provider: haproxy',
  rollback: ', provider: blue-green, backend: haproxy, environment: staging',
};
const ci = (extra = '') => `stages: [test, deploy]
include:
${STEPS.map((s) => `  - component: $CI_SERVER_FQDN/shop/delivery/${s}@$CI_COMMIT_SHA\n    inputs: { stage: deploy${REQUIRED[s] ?? ''}${extra} }`).join('\n')}
  - component: $CI_SERVER_FQDN/shop/delivery/api-compat@$CI_COMMIT_SHA
    inputs: { base: a.yaml, head: b.yaml }
`;

type Listed = { name: string; when: string };
async function list(p: string, vars: string[]): Promise<Record<string, Listed>> {
  const r = await pipeline(work, p, ['--list-json', ...vars.flatMap((v) => ['--variable', v])]);
  expect(r.code, r.stderr).toBe(0);
  // Warnings come before the JSON on stdout.
  const json = r.stdout.slice(r.stdout.indexOf('\n['));
  return Object.fromEntries((JSON.parse(json) as Listed[]).map((j) => [j.name, j]));
}

const MR = ['CI_PIPELINE_SOURCE=merge_request_event', 'CI_COMMIT_BRANCH=', 'CI_MERGE_REQUEST_IID=7'];
const MAIN = ['CI_PIPELINE_SOURCE=push', 'CI_COMMIT_BRANCH=main', 'CI_DEFAULT_BRANCH=main'];

describe('per-step GitLab components with side effects', () => {
  it('do not run in a merge request pipeline, run on the default branch in their environment', async () => {
    const p = project(work, 'rules', ci(), {});
    const mr = await list(p, MR);
    for (const s of STEPS) expect(mr[`shipgate-${s}`]?.when, s).toBe('never');
    expect(mr['shipgate-api-compat'].when).toBe('on_success');
    const main = await list(p, MAIN);
    for (const s of STEPS) expect(main[`shipgate-${s}`]?.when, s).toBe('on_success');
    // The expanded configuration, as GitLab would run it: environment and resource group after input interpolation.
    const preview = await pipeline(work, p, ['--preview', ...MAIN.flatMap((v) => ['--variable', v])]);
    const jobs = parse(preview.stdout.slice(preview.stdout.search(/^---|^stages:/m))) as Record<
      string,
      { environment?: { name: string }; resource_group?: string }
    >;
    expect(jobs['shipgate-blue-green-switch']).toMatchObject({
      environment: { name: 'production' },
      resource_group: 'shipgate-production',
    });
    expect(jobs['shipgate-rollback']).toMatchObject({
      environment: { name: 'staging' },
      resource_group: 'shipgate-staging',
    });
    expect(jobs['shipgate-version-tag']).toMatchObject({ resource_group: 'shipgate-version-tag' });
  }, 120_000);

  it('run in a merge request pipeline when the rules input says so', async () => {
    const p = project(work, 'rules-mr', ci(', rules: [{ if: \'$CI_PIPELINE_SOURCE == "merge_request_event"\' }]'), {});
    const mr = await list(p, MR);
    for (const s of STEPS) expect(mr[`shipgate-${s}`]?.when, s).toBe('on_success');
  }, 120_000);
});
