// Deployment routes for the in-process forge servers, following the documented APIs:
//   GitHub  POST /repos/{owner}/{repo}/deployments and /deployments/{id}/statuses (checked against @octokit/openapi in
//           test/integration/forge-deployment.test.ts): 422 for a ref that does not exist or a bad status, 409 when
//           commit checks fail and required_contexts was left out, 403 for a token without deployments: write.
//   GitLab  POST /api/v4/projects/:id/deployments (environment, sha, ref, tag, status all required; status one of
//           running, success, failed, canceled) as lib/api/deployments.rb: the environment is found or created by name,
//           403 below the Developer role; GET /repository/tags?search=^name. A job token is accepted on the
//           deployments API as current GitLab does, or refused with 401 as older versions did (`jobTokenAllowed`).
import type { IncomingMessage } from 'node:http';
import { forgeServer, type ForgeRequest, type ForgeServer, type Reply } from './forge-server.js';
import { gitlabParams } from './forge-releases.js';

export interface StoredDeployment {
  id: number;
  ref: string;
  sha: string;
  environment: string;
  description?: string | null;
  payload?: unknown;
  /** GitLab: the `tag` flag; GitHub: undefined. */
  tag?: boolean;
  /** Every status set, in order (GitHub), or the one status given at creation (GitLab). */
  statuses: { state: string; description?: string; log_url?: string; environment?: string }[];
}

export interface DeploymentServer extends ForgeServer {
  deployments: StoredDeployment[];
  /** GitLab: environments by name, created on first use. */
  environments: Map<string, { id: number; name: string }>;
}

export interface DeploymentForgeOptions {
  /** Commits that exist (full SHAs); the first is the default branch head. */
  commits: string[];
  /** Tag name → commit. */
  tags?: Record<string, string>;
  /** Token that may create deployments. */
  token: string;
  /** Token that is accepted but may not create deployments (GitHub: no deployments: write; GitLab: Reporter). */
  readOnlyToken?: string;
  /** GitHub: status contexts that failed on every commit, so a deployment without required_contexts: [] is refused. */
  failingContexts?: string[];
  /** GitLab: the job token value. */
  jobToken?: string;
  /** GitLab: whether the job token may use the deployments API (current GitLab) or not (older versions: 401). */
  jobTokenAllowed?: boolean;
  /** GitLab: environments that exist before the test. */
  environments?: string[];
}

const body = (req: ForgeRequest) =>
  req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
const iso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const creator = {
  login: 'github-actions[bot]',
  id: 41898282,
  node_id: 'MDM6Qm90NDE4OTgyODI=',
  avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
  gravatar_id: '',
  url: 'https://api.github.com/users/github-actions%5Bbot%5D',
  html_url: 'https://github.com/apps/github-actions',
  followers_url: '',
  following_url: '',
  gists_url: '',
  starred_url: '',
  subscriptions_url: '',
  organizations_url: '',
  repos_url: '',
  events_url: '',
  received_events_url: '',
  type: 'Bot',
  site_admin: false,
};

const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

/** A GitHub API server for `owner/repo` with the deployment routes. */
export async function githubDeploymentServer(
  owner: string,
  repo: string,
  opts: DeploymentForgeOptions,
): Promise<DeploymentServer> {
  const tokens = [opts.token, opts.readOnlyToken].filter(Boolean).map((t) => `token ${t}`);
  const server = await forgeServer((h: IncomingMessage['headers']) => tokens.includes(h.authorization ?? ''));
  const deployments: StoredDeployment[] = [];
  const api = `${server.url}/repos/${owner}/${repo}`;
  const forbidden: Reply = {
    status: 403,
    body: {
      message: 'Resource not accessible by integration',
      documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
      status: '403',
    },
  };
  const resolve = (ref: string) =>
    opts.tags?.[ref] ??
    opts.commits.find((c) => ref.length >= 7 && c.startsWith(ref)) ??
    (ref === 'main' ? opts.commits[0] : undefined);
  const validation = (errors: object[], doc: string): Reply => ({
    status: 422,
    body: {
      message: 'Validation Failed',
      errors,
      documentation_url: `https://docs.github.com/rest/deployments/${doc}`,
    },
  });
  const asJson = (d: StoredDeployment) => ({
    url: `${api}/deployments/${d.id}`,
    id: d.id,
    node_id: `DE_${d.id}`,
    sha: d.sha,
    ref: d.ref,
    task: 'deploy',
    payload: d.payload ?? {},
    original_environment: d.environment,
    environment: d.environment,
    description: d.description ?? null,
    creator,
    created_at: iso(),
    updated_at: iso(),
    statuses_url: `${api}/deployments/${d.id}/statuses`,
    repository_url: api,
    transient_environment: false,
    production_environment: d.environment === 'production',
  });

  server.route('POST', `/repos/${owner}/${repo}/deployments`, (req) => {
    if (req.headers.authorization !== `token ${opts.token}`) return forbidden;
    const b = body(req) as {
      ref?: unknown;
      environment?: string;
      description?: string;
      required_contexts?: string[];
      payload?: unknown;
      auto_merge?: boolean;
    };
    if (typeof b.ref !== 'string' || !b.ref)
      return validation(
        [{ resource: 'Deployment', code: 'missing_field', field: 'ref' }],
        'deployments#create-a-deployment',
      );
    const sha = resolve(b.ref);
    if (!sha)
      return {
        status: 422,
        body: {
          message: `No ref found for: ${b.ref}`,
          documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment',
        },
      };
    // Left out, required_contexts means "every context must have passed"; an empty array skips the check.
    const failing = b.required_contexts
      ? opts.failingContexts?.filter((c) => b.required_contexts!.includes(c))
      : opts.failingContexts;
    if (failing?.length) {
      return {
        status: 409,
        body: {
          message: `Conflict: Commit status checks failed for ${b.ref}.`,
          errors: [
            {
              contexts: failing.map((context) => ({ context, state: 'failure' })),
              resource: 'Deployment',
              field: 'required_contexts',
              code: 'invalid',
            },
          ],
        },
      };
    }
    const d: StoredDeployment = {
      id: deployments.length + 1,
      ref: b.ref,
      sha,
      environment: b.environment ?? 'production',
      description: b.description ?? '',
      payload: b.payload,
      statuses: [],
    };
    deployments.push(d);
    return { status: 201, body: asJson(d) };
  });

  server.route('POST', `/repos/${owner}/${repo}/deployments/:id/statuses`, (req, p) => {
    if (req.headers.authorization !== `token ${opts.token}`) return forbidden;
    const d = deployments.find((x) => x.id === Number(p.id));
    if (!d)
      return {
        status: 404,
        body: {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest/deployments/statuses#create-a-deployment-status',
        },
      };
    const b = body(req) as { state?: string; description?: string; log_url?: string; environment?: string };
    if (!b.state || !DEPLOYMENT_STATES.includes(b.state))
      return validation(
        [{ resource: 'DeploymentStatus', code: 'invalid', field: 'state' }],
        'statuses#create-a-deployment-status',
      );
    if ((b.description ?? '').length > 140) {
      return validation(
        [
          {
            resource: 'DeploymentStatus',
            code: 'custom',
            field: 'description',
            message: 'description is too long (maximum is 140 characters)',
          },
        ],
        'statuses#create-a-deployment-status',
      );
    }
    const n = d.statuses.push({
      state: b.state,
      description: b.description,
      log_url: b.log_url,
      environment: b.environment,
    });
    if (b.environment) d.environment = b.environment;
    return {
      status: 201,
      headers: { location: `${api}/deployments/${d.id}/statuses/${n}` },
      body: {
        url: `${api}/deployments/${d.id}/statuses/${n}`,
        id: n,
        node_id: `DES_${d.id}_${n}`,
        state: b.state,
        creator,
        description: b.description ?? '',
        environment: d.environment,
        target_url: b.log_url ?? '',
        log_url: b.log_url ?? '',
        environment_url: '',
        created_at: iso(),
        updated_at: iso(),
        deployment_url: `${api}/deployments/${d.id}`,
        repository_url: api,
      },
    };
  });
  return Object.assign(server, { deployments, environments: new Map() });
}

const GITLAB_STATUSES = ['running', 'success', 'failed', 'canceled'];

/** A GitLab API server for one project (numeric id) with the deployment and tag-list routes. */
export async function gitlabDeploymentServer(
  projectId: string,
  projectPath: string,
  opts: DeploymentForgeOptions,
): Promise<DeploymentServer> {
  const isJob = (h: IncomingMessage['headers']) => !!opts.jobToken && h['job-token'] === opts.jobToken;
  const server = await forgeServer(
    (h) => [opts.token, opts.readOnlyToken].includes(h['private-token'] as string) || isJob(h),
  );
  const deployments: StoredDeployment[] = [];
  const environments = new Map<string, { id: number; name: string }>();
  const environment = (name: string) => {
    if (!environments.has(name)) environments.set(name, { id: 100 + environments.size, name });
    return environments.get(name)!;
  };
  for (const name of opts.environments ?? []) environment(name);
  const base = `/api/v4/projects/${encodeURIComponent(projectId)}`;
  const commit = (sha: string) => ({
    id: sha,
    short_id: sha.slice(0, 8),
    title: 'commit',
    message: 'commit',
    parent_ids: [],
    created_at: iso(),
  });
  const user = {
    id: 1,
    username: 'project_42_bot',
    name: 'Shipgate bot',
    state: 'active',
    avatar_url: null,
    web_url: `${server.url}/project_42_bot`,
  };

  server.route('POST', `${base}/deployments`, (req) => {
    // Older GitLab ignores JOB-TOKEN on routes that do not allow it, so the request is anonymous: 401.
    if (isJob(req.headers) && !opts.jobTokenAllowed) return { status: 401, body: { message: '401 Unauthorized' } };
    if (!isJob(req.headers) && req.headers['private-token'] !== opts.token)
      return { status: 403, body: { message: '403 Forbidden' } };
    const p = gitlabParams(req);
    for (const field of ['environment', 'sha', 'ref', 'tag', 'status'])
      if (p[field] === undefined || p[field] === '') return { status: 400, body: { error: `${field} is missing` } };
    // Grape coerces Boolean from JSON booleans and from the strings true/false.
    const tag = p.tag === true || p.tag === 'true' ? true : p.tag === false || p.tag === 'false' ? false : undefined;
    if (tag === undefined) return { status: 400, body: { error: 'tag is invalid' } };
    if (!GITLAB_STATUSES.includes(String(p.status)))
      return { status: 400, body: { error: 'status does not have a valid value' } };
    const env = environment(String(p.environment));
    const d: StoredDeployment = {
      id: 40 + deployments.length + 1,
      ref: String(p.ref),
      sha: String(p.sha),
      environment: env.name,
      tag,
      statuses: [{ state: String(p.status) }],
    };
    deployments.push(d);
    const now = new Date().toISOString();
    return {
      status: 201,
      body: {
        id: d.id,
        iid: deployments.length,
        ref: d.ref,
        sha: d.sha,
        created_at: now,
        updated_at: now,
        status: p.status,
        user,
        environment: {
          id: env.id,
          name: env.name,
          slug: env.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase(),
          external_url: null,
          state: 'available',
          tier: env.name === 'production' ? 'production' : 'other',
          created_at: now,
          updated_at: now,
        },
        deployable: null,
      },
    };
  });

  server.route('GET', `${base}/repository/tags`, (req) => {
    const search = req.query.get('search') ?? '';
    const match = (name: string) =>
      search.startsWith('^')
        ? name.startsWith(search.slice(1))
        : search.endsWith('$')
          ? name.endsWith(search.slice(0, -1))
          : name.includes(search);
    const tags = Object.entries(opts.tags ?? {}).filter(([name]) => match(name));
    return {
      status: 200,
      headers: {
        'x-page': '1',
        'x-per-page': '20',
        'x-total': String(tags.length),
        'x-total-pages': '1',
        'x-next-page': '',
        'x-prev-page': '',
      },
      body: tags.map(([name, sha]) => ({
        name,
        message: '',
        target: sha,
        commit: commit(sha),
        release: null,
        protected: false,
        created_at: null,
        commit_path: `/${projectPath}/-/commit/${sha}`,
      })),
    };
  });
  return Object.assign(server, { deployments, environments });
}
