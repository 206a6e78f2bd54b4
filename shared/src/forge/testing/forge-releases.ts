// Tag and release routes for the in-process forge servers, following the documented APIs:
//   GitHub  POST /repos/{owner}/{repo}/git/tags, /git/refs, /releases  (checked against @octokit/openapi in
//           test/integration/forge-release.test.ts: paths, methods, request fields, response required fields)
//   GitLab  POST /api/v4/projects/:id/repository/tags (tag_name, ref, message) and /api/v4/projects/:id/releases
//           (tag_name, name, description, ref), with GitLab's error answers: 400 for an existing tag, 409 for an
//           existing release, 403 for a token without the role, 422 for a release of a missing tag without ref.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { forgeServer, type ForgeRequest, type ForgeServer, type Reply } from './forge-server.js';

/** What a repository holds; tests read it to see what was created. */
export interface RepoState {
  /** Commits that exist (full SHAs); the first is the default branch head. */
  commits: string[];
  /** Tag name → commit SHA it points to, and the annotation when annotated. */
  tags: Map<string, { sha: string; message?: string; tagObject?: string }>;
  releases: Map<string, { name?: string; notes?: string; prerelease: boolean }>;
}

export interface ReleaseForgeOptions {
  commits: string[];
  /** Token accepted with write permission. */
  token: string;
  /** Token accepted for reads only: writes answer 403. */
  readOnlyToken?: string;
  /** GitLab: the job token value; it may create releases but not tags, as on gitlab.com. */
  jobToken?: string;
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const body = (req: ForgeRequest) =>
  req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};

/** GitLab's API (Grape) takes parameters from the query string and the body alike; Gitbeaker sends some in each. */
export function gitlabParams(req: ForgeRequest): Record<string, unknown> {
  return { ...Object.fromEntries(req.query), ...body(req) };
}

function newState(commits: string[]): RepoState {
  return { commits, tags: new Map(), releases: new Map() };
}

const FORBIDDEN: Reply = {
  status: 403,
  body: {
    message: 'Resource not accessible by integration',
    documentation_url: 'https://docs.github.com/rest',
    status: '403',
  },
};

const user = {
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

/** A GitHub API server for `owner/repo` with tag and release routes. */
export async function githubReleaseServer(
  owner: string,
  repo: string,
  opts: ReleaseForgeOptions,
): Promise<ForgeServer & { state: RepoState }> {
  const tokens = [opts.token, opts.readOnlyToken].filter(Boolean).map((t) => `token ${t}`);
  const server = await forgeServer((h: IncomingMessage['headers']) => tokens.includes(h.authorization ?? ''));
  const state = newState(opts.commits);
  const canWrite = (req: ForgeRequest) => req.headers.authorization === `token ${opts.token}`;
  const api = `${server.url}/repos/${owner}/${repo}`;
  const invalid = (message: string): Reply => ({
    status: 422,
    body: { message, documentation_url: 'https://docs.github.com/rest/git/refs#create-a-reference' },
  });
  const tagObjects = new Map<string, { tag: string; message: string; sha: string }>();

  server.route('POST', `/repos/${owner}/${repo}/git/tags`, (req) => {
    if (!canWrite(req)) return FORBIDDEN;
    const { tag, message, object, type } = body(req) as {
      tag?: string;
      message?: string;
      object?: string;
      type?: string;
    };
    if (!tag || message === undefined || !object || type !== 'commit') return invalid('Invalid request.');
    if (!state.commits.includes(object)) return invalid('Object does not exist');
    const sha = sha1(`tag ${tag}\n${object}\n${message}`);
    tagObjects.set(sha, { tag, message, sha: object });
    const tagger = {
      name: user.login,
      email: '41898282+github-actions[bot]@users.noreply.github.com',
      date: new Date().toISOString(),
    };
    return {
      status: 201,
      body: {
        node_id: `TAG_${sha}`,
        tag,
        sha,
        url: `${api}/git/tags/${sha}`,
        message,
        tagger,
        object: { type: 'commit', sha: object, url: `${api}/git/commits/${object}` },
        verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
    };
  });

  server.route('POST', `/repos/${owner}/${repo}/git/refs`, (req) => {
    if (!canWrite(req)) return FORBIDDEN;
    const { ref, sha } = body(req) as { ref?: string; sha?: string };
    if (!ref || !/^refs\/[^/]+\/.+/.test(ref))
      return invalid("Reference name must start with 'refs/' and have at least two slashes.");
    const annotated = sha ? tagObjects.get(sha) : undefined;
    if (!sha || (!annotated && !state.commits.includes(sha))) return invalid('Object does not exist');
    const name = ref.replace(/^refs\/tags\//, '');
    if (state.tags.has(name)) return invalid('Reference already exists');
    state.tags.set(name, annotated ? { sha: annotated.sha, message: annotated.message, tagObject: sha } : { sha });
    return {
      status: 201,
      body: {
        ref,
        node_id: `REF_${sha1(ref)}`,
        url: `${api}/git/${ref}`,
        object: { type: annotated ? 'tag' : 'commit', sha, url: `${api}/git/${annotated ? 'tags' : 'commits'}/${sha}` },
      },
    };
  });

  let nextId = 1;
  server.route('POST', `/repos/${owner}/${repo}/releases`, (req) => {
    if (!canWrite(req)) return FORBIDDEN;
    const b = body(req) as {
      tag_name?: string;
      name?: string;
      body?: string;
      prerelease?: boolean;
      draft?: boolean;
      target_commitish?: string;
    };
    if (!b.tag_name)
      return {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'missing_field', field: 'tag_name' }],
        },
      };
    if (state.releases.has(b.tag_name)) {
      return {
        status: 422,
        body: {
          message: 'Validation Failed',
          errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }],
          documentation_url: 'https://docs.github.com/rest/releases/releases#create-a-release',
        },
      };
    }
    // a release of a missing tag creates it at target_commitish, by default the default branch's head
    if (!state.tags.has(b.tag_name)) state.tags.set(b.tag_name, { sha: b.target_commitish ?? state.commits[0] });
    state.releases.set(b.tag_name, { name: b.name, notes: b.body, prerelease: b.prerelease ?? false });
    const id = nextId++;
    const now = new Date().toISOString();
    return {
      status: 201,
      body: {
        url: `${api}/releases/${id}`,
        html_url: `https://github.com/${owner}/${repo}/releases/tag/${b.tag_name}`,
        assets_url: `${api}/releases/${id}/assets`,
        upload_url: `${api}/releases/${id}/assets{?name,label}`,
        tarball_url: `${api}/tarball/${b.tag_name}`,
        zipball_url: `${api}/zipball/${b.tag_name}`,
        id,
        node_id: `RE_${id}`,
        tag_name: b.tag_name,
        target_commitish: b.target_commitish ?? 'main',
        name: b.name ?? null,
        body: b.body ?? null,
        draft: b.draft ?? false,
        prerelease: b.prerelease ?? false,
        created_at: now,
        published_at: now,
        author: user,
        assets: [],
      },
    };
  });
  return Object.assign(server, { state });
}

/** A GitLab API server for one project (numeric id or URL-encoded path) with tag and release routes. */
export async function gitlabReleaseServer(
  projectId: string,
  projectPath: string,
  opts: ReleaseForgeOptions,
): Promise<ForgeServer & { state: RepoState }> {
  const ok = (h: IncomingMessage['headers']) =>
    [opts.token, opts.readOnlyToken].includes(h['private-token'] as string) ||
    (!!opts.jobToken && h['job-token'] === opts.jobToken);
  const server = await forgeServer(ok);
  const state = newState(opts.commits);
  const forbidden: Reply = { status: 403, body: { message: '403 Forbidden' } };
  const base = `/api/v4/projects/${encodeURIComponent(projectId)}`;
  const resolve = (ref: string) =>
    state.commits.includes(ref) ? ref : (state.tags.get(ref)?.sha ?? (ref === 'main' ? state.commits[0] : undefined));
  const commit = (sha: string) => ({
    id: sha,
    short_id: sha.slice(0, 8),
    title: 'commit',
    message: 'commit',
    parent_ids: [],
    created_at: new Date().toISOString(),
  });

  server.route('POST', `${base}/repository/tags`, (req) => {
    if (req.headers['private-token'] !== opts.token) return forbidden;
    const { tag_name, ref, message } = gitlabParams(req) as { tag_name?: string; ref?: string; message?: string };
    if (!tag_name || !ref) return { status: 400, body: { error: `${!tag_name ? 'tag_name' : 'ref'} is missing` } };
    if (state.tags.has(tag_name)) return { status: 400, body: { message: `Tag ${tag_name} already exists` } };
    const sha = resolve(ref);
    if (!sha) return { status: 400, body: { message: 'Target ' + ref + ' is invalid' } };
    state.tags.set(tag_name, { sha, ...(message && { message }) });
    return {
      status: 201,
      body: {
        name: tag_name,
        message: message ?? '',
        target: message ? sha1(`tag ${tag_name}`) : sha,
        commit: commit(sha),
        release: null,
        protected: false,
        created_at: new Date().toISOString(),
      },
    };
  });

  server.route('POST', `${base}/releases`, (req) => {
    const asJob = !!opts.jobToken && req.headers['job-token'] === opts.jobToken;
    if (req.headers['private-token'] !== opts.token && !asJob) return forbidden;
    const { tag_name, name, description, ref } = gitlabParams(req) as {
      tag_name?: string;
      name?: string;
      description?: string;
      ref?: string;
    };
    if (!tag_name) return { status: 400, body: { error: 'tag_name is missing' } };
    if (state.releases.has(tag_name)) return { status: 409, body: { message: 'Release already exists' } };
    if (!state.tags.has(tag_name)) {
      const sha = ref ? resolve(ref) : undefined;
      if (!ref) return { status: 422, body: { message: 'Ref is not specified' } };
      if (!sha) return { status: 422, body: { message: 'Ref is invalid' } };
      state.tags.set(tag_name, { sha });
    }
    state.releases.set(tag_name, { name, notes: description, prerelease: false });
    const sha = state.tags.get(tag_name)!.sha;
    const now = new Date().toISOString();
    return {
      status: 201,
      body: {
        tag_name,
        name: name ?? tag_name,
        description: description ?? null,
        created_at: now,
        released_at: now,
        upcoming_release: false,
        author: { id: 1, username: 'ci', name: 'CI' },
        commit: commit(sha),
        milestones: [],
        commit_path: `/${projectPath}/-/commit/${sha}`,
        tag_path: `/${projectPath}/-/tags/${tag_name}`,
        assets: { count: 0, sources: [], links: [] },
        evidences: [],
        _links: { self: `${server.url}/${projectPath}/-/releases/${encodeURIComponent(tag_name)}` },
      },
    };
  });
  return Object.assign(server, { state });
}
