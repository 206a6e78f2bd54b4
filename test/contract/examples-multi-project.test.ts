import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../shared/src/graph/config.js';
import { githubRepoProblem } from '../../shared/src/graph/remote.js';
import { gitlabCiProblems } from '../helpers/gitlab-ci-schema.js';
import { ROOT } from '../helpers/run-bundle.js';

// The multi-project examples: five services as five repositories and the control repository. Each service side
// accepts exactly what the control side sends; the GitLab files follow GitLab's CI schema.
const SERVICES = ['config-center', 'service-registry', 'inventory-service', 'user-service', 'order-service'];
const GITLAB = join(ROOT, 'examples/gitlab/multi-project');
const GITHUB = join(ROOT, 'examples/github/multi-project');
const yaml = (file: string) => parse(readFileSync(file, 'utf8'));

describe('examples/gitlab/multi-project', () => {
  it('puts every service in its own GitLab project', () => {
    const { config, warnings } = loadConfig(join(GITLAB, 'control/dependency-config.yml'));
    expect(warnings).toEqual([]);
    expect([...config.services.values()].map((s) => s.pipeline?.project)).toEqual(
      SERVICES.map((s) => `microservices/${s}`),
    );
  });

  it("has a control pipeline and five service pipelines that follow GitLab's CI schema, each run by the bridge", () => {
    expect(gitlabCiProblems(yaml(join(GITLAB, 'control/.gitlab-ci.yml')))).toEqual([]);
    for (const s of SERVICES) {
      const doc = yaml(join(GITLAB, 'services', s, '.gitlab-ci.yml'));
      expect(gitlabCiProblems(doc), s).toEqual([]);
      expect(JSON.stringify(doc), s).toContain('$CI_PIPELINE_SOURCE == \\"pipeline\\"');
    }
  });
});

describe('examples/github/multi-project', () => {
  const { config } = loadConfig(join(GITHUB, 'control/dependency-config.yml'));

  it('puts every service in its own GitHub repository', () => {
    for (const s of SERVICES) expect(githubRepoProblem(config.services.get(s)!.pipeline!.project), s).toBeUndefined();
  });

  it('declares in each service workflow exactly the inputs the control side sends, and shows shipgate-id in the run name', () => {
    for (const s of SERVICES) {
      const doc = yaml(join(GITHUB, 'services', s, '.github/workflows/deploy.yml'));
      const sent = [
        'shipgate-id',
        'shipgate-service',
        'shipgate-wave',
        'shipgate-version',
        ...Object.keys(config.services.get(s)!.pipeline!.inputs),
      ];
      expect(Object.keys(doc.on.workflow_dispatch.inputs).sort(), s).toEqual(sent.sort());
      expect(doc['run-name'], s).toContain('${{ inputs.shipgate-id }}');
    }
  });

  it('calls the multi-service workflow with inputs and secrets it declares', () => {
    const called = yaml(join(ROOT, '.github/workflows/shipgate-multi-service.yml')).on.workflow_call;
    const job = yaml(join(GITHUB, 'control/.github/workflows/deliver.yml')).jobs.deliver;
    for (const k of Object.keys(job.with)) expect(Object.keys(called.inputs)).toContain(k);
    for (const k of Object.keys(job.secrets)) expect(Object.keys(called.secrets)).toContain(k);
  });
});
