// Where a service's own pipeline lives when the service has its own repository: the `project`, `ref`, `workflow`,
// `variables` and `inputs` keys of a service in dependency-config.yml. Every value ends up in generated YAML or in an
// API request, so each is held to a strict pattern here, before anything is generated or sent.

/** A service whose pipeline runs in another repository. */
export interface ServicePipeline {
  /** GitLab project path (`microservices/order-service`, subgroups allowed) or GitHub `owner/repo`. */
  project: string;
  /** Branch or tag to run; absent: the control pipeline's own ref. */
  ref?: string;
  /** GitHub workflow file in `.github/workflows/` of the service repository. */
  workflow: string;
  /** GitLab: variables the bridge job passes to the downstream pipeline. */
  variables: Record<string, string>;
  /** GitHub: `workflow_dispatch` inputs of the service's workflow. */
  inputs: Record<string, string>;
}

/** The keys of a service that describe its pipeline, besides `project`. */
export const PIPELINE_KEYS = ['project', 'ref', 'workflow', 'variables', 'inputs'] as const;
export type PipelineKey = (typeof PIPELINE_KEYS)[number];
export const DEFAULT_WORKFLOW = 'deploy.yml';

/** GitLab path segment rules: letters, digits, `_`, `-`, `.`; no leading `-` or `.`, no trailing `.`, no `.git`/`.atom`. */
const SEGMENT = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;
/** GitHub owner: letters, digits and single hyphens, at most 39 characters. */
const OWNER_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** A branch or tag name as git allows it, further limited to characters safe in YAML and URLs. */
const REF = /^(?![-/.])(?!.*\.\.)(?!.*\/\/)(?!.*@\{)[A-Za-z0-9._/+-]+(?<![./])$/;
const WORKFLOW = /^[A-Za-z0-9_][A-Za-z0-9_.-]*\.ya?ml$/;
/** GitLab variable names; SHIPGATE_ ones are set by Shipgate itself. */
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** GitHub input names; `shipgate-*` ones are sent by Shipgate itself. */
const INPUT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** GitHub accepts at most 25 inputs per dispatch; Shipgate sends four of its own (shipgate-id, -service, -wave, -version). */
export const MAX_USER_INPUTS = 21;

/** Why `path` is no project path, or undefined when it is one. */
export function projectProblem(path: string): string | undefined {
  const segments = path.split('/');
  const bad = segments.length < 2 || segments.some((s) => !SEGMENT.test(s) || /\.(git|atom)$/.test(s));
  return bad
    ? `is not a project path. Use the GitLab path (group/project, subgroups allowed, e.g. microservices/order-service) or the GitHub owner/repo: letters, digits, '_', '-' and '.'.`
    : undefined;
}

/** Why `project` cannot name a GitHub repository, or undefined when it can. */
export function githubRepoProblem(project: string): string | undefined {
  const [owner, repo, ...rest] = project.split('/');
  if (rest.length || !repo || !OWNER_NAME.test(owner) || !SEGMENT.test(repo)) {
    return `is not a GitHub repository. Use owner/repo, e.g. acme/order-service (GitLab subgroup paths do not exist on GitHub).`;
  }
  return undefined;
}

/**
 * Checks one pipeline key of service `name` and stores it in `into`; returns the problem, without the file and line.
 * `project` is checked as either platform's syntax here; the GitHub-only rule is applied where GitHub is used.
 */
export function parsePipelineKey(
  name: string,
  key: PipelineKey,
  value: unknown,
  into: Partial<ServicePipeline>,
): string | undefined {
  const where = `Service '${name}': '${key}'`;
  const text = typeof value === 'string' ? value : undefined;
  switch (key) {
    case 'project': {
      if (!text) return `${where} must be a project path such as microservices/${name}.`;
      const bad = projectProblem(text);
      if (bad) return `${where} '${text}' ${bad}`;
      into.project = text;
      return undefined;
    }
    case 'ref':
      if (!text || !REF.test(text))
        return `${where} ${text ? `'${text}' ` : ''}must be a branch or tag name such as main or v1.4.2.`;
      into.ref = text;
      return undefined;
    case 'workflow':
      if (!text || !WORKFLOW.test(text))
        return `${where} ${text ? `'${text}' ` : ''}must be a workflow file name in .github/workflows/, such as ${DEFAULT_WORKFLOW}.`;
      into.workflow = text;
      return undefined;
    case 'variables':
    case 'inputs': {
      const isMap = typeof value === 'object' && value !== null && !Array.isArray(value);
      if (!isMap) return `${where} must be a map of name → value, e.g. { DEPLOY_ENV: production }.`;
      const pattern = key === 'variables' ? VARIABLE : INPUT;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) {
        if (!pattern.test(k))
          return `${where} has the name '${k}'. Use letters, digits and '_'${key === 'inputs' ? " or '-'" : ''}, not starting with a digit.`;
        if (/^shipgate[_-]/i.test(k))
          return `${where} has the name '${k}': names starting with ${key === 'variables' ? 'SHIPGATE_' : 'shipgate-'} are Shipgate's own.`;
        if (!['string', 'number', 'boolean'].includes(typeof v))
          return `${where}: '${k}' must be a string, number or boolean.`;
        out[k] = String(v);
      }
      if (key === 'inputs' && Object.keys(out).length > MAX_USER_INPUTS) {
        return `${where} has ${Object.keys(out).length} entries; GitHub takes at most 25 inputs, ${25 - MAX_USER_INPUTS} of them Shipgate's. Keep ${MAX_USER_INPUTS} or fewer.`;
      }
      into[key] = out;
      return undefined;
    }
  }
}

/** The pipeline of a service from its parsed keys; a problem when keys other than `project` come without it. */
export function servicePipeline(
  name: string,
  keys: Partial<ServicePipeline>,
): { pipeline?: ServicePipeline; problem?: string } {
  const given = Object.keys(keys) as PipelineKey[];
  if (!given.length) return {};
  if (!keys.project) {
    return {
      problem: `Service '${name}' has '${given.join("', '")}' but no 'project': say where its pipeline lives, e.g. project: microservices/${name}.`,
    };
  }
  return {
    pipeline: {
      project: keys.project,
      ref: keys.ref,
      workflow: keys.workflow ?? DEFAULT_WORKFLOW,
      variables: keys.variables ?? {},
      inputs: keys.inputs ?? {},
    },
  };
}
