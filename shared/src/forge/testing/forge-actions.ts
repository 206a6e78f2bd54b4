// GitHub Actions workflow runs for the in-process GitHub server, as the REST API documents them:
//   POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches  204, or 200 with the run's id when
//        `return_run_details` is true (github.com); 404 for an unknown workflow, 422 for an undeclared input or ref
//   GET  /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs       filtered by event and created (>=ISO)
//   GET  /repos/{owner}/{repo}/actions/runs/{run_id}, …/jobs, POST …/cancel (202; 409 when already completed)
// Each dispatch gets a scripted lifecycle. Every request and every answer is checked against @octokit/openapi; what
// does not match is collected in `problems`, which a test expects to be empty.
import type { IncomingMessage } from 'node:http';
import { forgeServer, type ForgeRequest, type ForgeServer, type Reply } from './forge-server.js';
import { githubSpec, schemaProblems, type GitHubSpec } from './github-openapi.js';

/** How one dispatched run behaves. */
export interface RunScript {
  /** States the run goes through, one per read of the run, ending in a conclusion: e.g. ['queued', 'in_progress', 'success']. */
  states: string[];
  /** The run is not created at all (e.g. no runner picks the workflow up). */
  never?: boolean;
  /** The correlation id is shown in a step name, not in the run name (workflows without run-name). */
  inStepName?: boolean;
}

export interface StoredRun {
  id: number;
  repo: string;
  workflow: string;
  ref: string;
  inputs: Record<string, string>;
  created: string;
  title: string;
  script: RunScript;
  /** Index into script.states. */
  at: number;
  cancelled: boolean;
}

export interface ActionsServer extends ForgeServer {
  runs: StoredRun[];
  problems: string[];
  /** The next this many reads of a run answer 500, as GitHub now and then does. */
  failReads: number;
}

export interface ActionsOptions {
  /** Token with actions: write on every repository. */
  token: string;
  /** owner/repo → workflow file → its declared workflow_dispatch inputs. */
  workflows: Record<string, Record<string, string[]>>;
  /** The lifecycle of each dispatch, from its inputs. */
  script: (inputs: Record<string, string>, repo: string) => RunScript;
  /** Answer `return_run_details` with the run's id (github.com) or ignore it and answer 204 (GitHub Enterprise Server). */
  runDetails?: boolean;
}

const CONCLUSIONS = ['success', 'failure', 'cancelled', 'timed_out', 'neutral', 'skipped', 'action_required'];
let nextId = 9000;

/** The smallest value `schema` accepts: required properties only, each its type's zero. */
function skeleton(spec: GitHubSpec, schema: any): unknown {
  const s = schema.$ref
    ? schema.$ref
        .split('/')
        .slice(1)
        .reduce((o: any, k: string) => o[k], spec)
    : schema;
  if (s.$ref) return skeleton(spec, s);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((p: any) => skeleton(spec, p)));
  if (s.anyOf || s.oneOf) return skeleton(spec, (s.anyOf ?? s.oneOf)[0]);
  if (s.nullable) return null;
  if (s.type === 'object' || s.properties)
    return Object.fromEntries((s.required ?? []).map((k: string) => [k, skeleton(spec, s.properties?.[k] ?? {})]));
  if (s.type === 'array') return [];
  return s.type === 'integer' || s.type === 'number'
    ? 0
    : s.type === 'boolean'
      ? false
      : s.type === 'string'
        ? ''
        : null;
}

export async function actionsServer(opts: ActionsOptions): Promise<ActionsServer> {
  const spec = githubSpec();
  const runs: StoredRun[] = [];
  const problems: string[] = [];
  const server = await forgeServer((h: IncomingMessage['headers']) => h.authorization === `token ${opts.token}`);
  const url = () => server.url;
  const runSchema =
    spec.paths['/repos/{owner}/{repo}/actions/runs/{run_id}'].get.responses['200'].content['application/json'].schema;
  const base = skeleton(spec, runSchema) as Record<string, unknown>;

  /** Registers a route whose requests and answers are held to the documented operation `template`. */
  const route = (
    method: string,
    template: string,
    pattern: string,
    handler: (req: ForgeRequest, p: Record<string, string>) => Reply,
  ) =>
    server.route(method, pattern, (req, p) => {
      const op = spec.paths[template]?.[method.toLowerCase()];
      if (!op) problems.push(`${method} ${template} is not in GitHub's API`);
      const bodySchema = op?.requestBody?.content?.['application/json']?.schema;
      if (bodySchema) problems.push(...schemaProblems(spec, req.body, bodySchema, `${method} ${template} request`));
      const reply = handler(req, p);
      const documented = op?.responses?.[String(reply.status)];
      // GitHub documents only some of the 4xx it sends (the dispatch's 404 and 422 are not); those carry basic-error.
      if (!documented && reply.status < 400)
        problems.push(`${method} ${template} answered ${reply.status}, which GitHub does not document`);
      if (reply.status >= 400)
        problems.push(
          ...schemaProblems(
            spec,
            reply.body,
            spec.components.schemas['basic-error'],
            `${method} ${template} ${reply.status}`,
          ),
        );
      const answer = documented?.content?.['application/json']?.schema;
      if (answer && reply.status < 300)
        problems.push(...schemaProblems(spec, reply.body, answer, `${method} ${template} ${reply.status}`));
      return reply;
    });

  const view = (r: StoredRun) => {
    const state = r.cancelled ? 'cancelled' : r.script.states[Math.min(r.at, r.script.states.length - 1)];
    const done = CONCLUSIONS.includes(state);
    const [owner, name] = r.repo.split('/');
    const html = `${url()}/${r.repo}/actions/runs/${r.id}`;
    return {
      ...base,
      id: r.id,
      name: 'deploy',
      display_title: r.title,
      event: 'workflow_dispatch',
      head_branch: r.ref,
      path: `.github/workflows/${r.workflow}`,
      status: done ? 'completed' : state,
      conclusion: done ? state : null,
      created_at: r.created,
      updated_at: r.created,
      html_url: html,
      url: `${url()}/repos/${r.repo}/actions/runs/${r.id}`,
      repository: {
        ...(base.repository as object),
        name,
        full_name: r.repo,
        owner: { ...((base.repository as any).owner as object), login: owner },
      },
    };
  };
  const find = (p: Record<string, string>) =>
    runs.find((r) => r.id === Number(p.run_id) && r.repo === `${p.owner}/${p.repo}`);

  route(
    'POST',
    '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
    '/repos/:owner/:repo/actions/workflows/:workflow/dispatches',
    (req, p) => {
      const repo = `${p.owner}/${p.repo}`;
      const declared = opts.workflows[repo]?.[p.workflow];
      if (!declared)
        return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } };
      const body = req.body as { ref: string; inputs?: Record<string, string>; return_run_details?: boolean };
      const inputs = body.inputs ?? {};
      const extra = Object.keys(inputs).filter((k) => !declared.includes(k));
      if (extra.length)
        return {
          status: 422,
          body: { message: `Unexpected inputs provided: ${JSON.stringify(extra)}`, documentation_url: '' },
        };
      const script = opts.script(inputs, repo);
      const id = nextId++;
      const correlation = inputs['shipgate-id'] ?? '';
      const run: StoredRun = {
        id,
        repo,
        workflow: p.workflow,
        ref: body.ref,
        inputs,
        created: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        title: script.inStepName ? 'deploy' : `deploy ${correlation}`,
        script,
        at: 0,
        cancelled: false,
      };
      if (!script.never) runs.push(run);
      if (body.return_run_details && opts.runDetails && !script.never) {
        return {
          status: 200,
          body: {
            workflow_run_id: id,
            run_url: `${url()}/repos/${repo}/actions/runs/${id}`,
            html_url: `${url()}/${repo}/actions/runs/${id}`,
          },
        };
      }
      return { status: 204 };
    },
  );

  route(
    'GET',
    '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
    '/repos/:owner/:repo/actions/workflows/:workflow/runs',
    (req, p) => {
      const since = (req.query.get('created') ?? '').replace(/^>=/, '');
      const event = req.query.get('event');
      const list = runs
        .filter(
          (r) =>
            r.repo === `${p.owner}/${p.repo}` &&
            r.workflow === p.workflow &&
            (!event || event === 'workflow_dispatch') &&
            (!since || r.created >= since.replace(/\.\d+Z$/, 'Z')),
        )
        .reverse()
        .map(view);
      return { status: 200, body: { total_count: list.length, workflow_runs: list } };
    },
  );

  route('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', '/repos/:owner/:repo/actions/runs/:run_id', (_req, p) => {
    const r = find(p);
    if (!r) return { status: 404, body: { message: 'Not Found' } };
    if (actions.failReads > 0) {
      actions.failReads--;
      return { status: 500, body: { message: 'Server Error', documentation_url: '' } };
    }
    const body = view(r);
    // Each read moves the run one state on: the simulated runner's progress.
    r.at = Math.min(r.at + 1, r.script.states.length - 1);
    return { status: 200, body };
  });

  route(
    'GET',
    '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
    '/repos/:owner/:repo/actions/runs/:run_id/jobs',
    (_req, p) => {
      const r = find(p);
      if (!r) return { status: 404, body: { message: 'Not Found' } };
      const jobSchema =
        spec.paths['/repos/{owner}/{repo}/actions/jobs/{job_id}'].get.responses['200'].content['application/json']
          .schema;
      const step = {
        name: r.script.inStepName ? `correlation ${r.inputs['shipgate-id']}` : 'Deploy',
        status: 'completed',
        conclusion: 'success',
        number: 1,
      };
      const job = {
        ...(skeleton(spec, jobSchema) as object),
        id: r.id * 10,
        run_id: r.id,
        name: 'deploy',
        status: 'in_progress',
        steps: [step],
      };
      return { status: 200, body: { total_count: 1, jobs: [job] } };
    },
  );

  route(
    'POST',
    '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel',
    '/repos/:owner/:repo/actions/runs/:run_id/cancel',
    (_req, p) => {
      const r = find(p);
      if (!r) return { status: 404, body: { message: 'Not Found' } };
      if (view(r).status === 'completed')
        return { status: 409, body: { message: 'Cannot cancel a workflow run that is completed.' } };
      r.cancelled = true;
      return { status: 202, body: {} };
    },
  );

  const actions: ActionsServer = Object.assign(server, { runs, problems, failReads: 0 });
  return actions;
}
