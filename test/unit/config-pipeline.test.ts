import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { parseConfig } from '../../shared/src/graph/config.js';
import { githubRepoProblem } from '../../shared/src/graph/remote.js';

// dependency-config.yml saying where a service's own pipeline lives: project, ref, workflow, variables, inputs.
const parse = (text: string) => parseConfig(text, 'dependency-config.yml');
const problems = (text: string): string => {
  try {
    parse(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('dependency-config.yml: services in their own repositories', () => {
  it('reads project, ref, workflow, variables and inputs; services without project stay local', () => {
    const { config, warnings } = parse(`services:
  config-center: { project: microservices/platform/config-center }
  order-service:
    dependencies: [config-center]
    project: acme/order-service
    ref: release/2.x
    workflow: ship.yaml
    variables: { DEPLOY_ENV: production, REPLICAS: 3 }
    inputs: { environment: production, dry-run: false }
  local-job: { dependencies: [order-service] }
`);
    expect(warnings).toEqual([]);
    expect(config.services.get('config-center')!.pipeline).toEqual({
      project: 'microservices/platform/config-center',
      ref: undefined,
      workflow: 'deploy.yml',
      variables: {},
      inputs: {},
    });
    expect(config.services.get('order-service')!.pipeline).toEqual({
      project: 'acme/order-service',
      ref: 'release/2.x',
      workflow: 'ship.yaml',
      variables: { DEPLOY_ENV: 'production', REPLICAS: '3' },
      inputs: { environment: 'production', 'dry-run': 'false' },
    });
    expect(config.services.get('local-job')!.pipeline).toBeUndefined();
  });

  it('reports every bad value with its line and the fix', () => {
    const text = problems(`services:
  a:
    project: order-service
  b:
    project: "group/../x"
  c:
    project: acme/c
    ref: "main branch"
  d:
    project: acme/d
    workflow: deploy.sh
  e:
    project: acme/e
    variables: { "BAD NAME": x }
  f:
    project: acme/f
    inputs: { shipgate-id: x }
  g:
    ref: main
  h:
    project: acme/h
    variables: [A]
`);
    expect(text).toContain("dependency-config.yml:3: Service 'a': 'project' 'order-service' is not a project path.");
    expect(text).toContain("dependency-config.yml:5: Service 'b': 'project' 'group/../x' is not a project path.");
    expect(text).toContain("dependency-config.yml:8: Service 'c': 'ref' 'main branch' must be a branch or tag name");
    expect(text).toContain(
      "dependency-config.yml:11: Service 'd': 'workflow' 'deploy.sh' must be a workflow file name",
    );
    expect(text).toContain("dependency-config.yml:14: Service 'e': 'variables' has the name 'BAD NAME'.");
    expect(text).toContain(
      "dependency-config.yml:17: Service 'f': 'inputs' has the name 'shipgate-id': names starting with shipgate- are Shipgate's own.",
    );
    expect(text).toContain("dependency-config.yml:18: Service 'g' has 'ref' but no 'project'");
    expect(text).toContain("dependency-config.yml:22: Service 'h': 'variables' must be a map");
    expect(text).toMatch(/^8 problems/);
  });

  it('suggests the key meant by a typo', () => {
    const { warnings } = parse('services:\n  a: { projcet: acme/a, workflows: deploy.yml }\n');
    expect(warnings.map((w) => w.message)).toEqual([
      "Service 'a': unknown field 'projcet' is ignored. Did you mean 'project'?",
      "Service 'a': unknown field 'workflows' is ignored. Did you mean 'workflow'?",
    ]);
  });

  it('holds a GitHub repository to owner/repo', () => {
    expect(githubRepoProblem('acme/order-service')).toBeUndefined();
    expect(githubRepoProblem('microservices/platform/config-center')).toContain('is not a GitHub repository');
    expect(githubRepoProblem('-acme/x')).toContain('is not a GitHub repository');
  });
});
