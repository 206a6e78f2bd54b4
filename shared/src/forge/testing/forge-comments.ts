// In-process GitHub issue-comment and GitLab merge-request-note APIs, as documented: paths, methods, request bodies,
// status codes (201 on create), auth headers and pagination (GitHub's Link header; GitLab's x-* headers and Link).
// The GitHub routes are checked against GitHub's own OpenAPI description in test/integration/api-compat-comment.test.ts.
import type { IncomingMessage } from 'node:http';
import { forgeServer, type ForgeRequest, type ForgeServer, type Reply } from './forge-server.js';

export interface StoredComment {
  id: number;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface CommentServer extends ForgeServer {
  /** Comments (GitHub) or notes (GitLab) of each PR/MR number, in creation order. */
  threads: Map<number, StoredComment[]>;
  /** Adds comments written by someone else, e.g. to force several pages. */
  seed(number: number, count: number, body?: (i: number) => string): void;
}

const iso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** `page` and `per_page` as both APIs read them, with each API's default and cap of 100. */
function pageOf(query: URLSearchParams, defaultPer: number): { page: number; per: number } {
  const page = Math.max(1, Number(query.get('page')) || 1);
  const per = Math.min(100, Math.max(1, Number(query.get('per_page')) || defaultPer));
  return { page, per };
}

function linkHeader(base: string, req: ForgeRequest, page: number, last: number): string {
  const at = (p: number, rel: string) => {
    const q = new URLSearchParams(req.query);
    q.set('page', String(p));
    return `<${base}${req.path}?${q}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(at(page + 1, 'next'), at(last, 'last'));
  if (page > 1) links.push(at(1, 'first'), at(page - 1, 'prev'));
  return links.join(', ');
}

function bodyText(req: ForgeRequest): string | undefined {
  if (req.body && typeof req.body === 'object' && typeof (req.body as { body?: unknown }).body === 'string')
    return (req.body as { body: string }).body;
  // GitLab also takes form-encoded bodies.
  if (typeof req.body === 'string' && req.body) return new URLSearchParams(req.body).get('body') ?? undefined;
  return undefined;
}

function threadsStore() {
  const threads = new Map<number, StoredComment[]>();
  let next = 1000;
  const add = (n: number, body: string): StoredComment => {
    const c = { id: ++next, body, created_at: iso(), updated_at: iso() };
    threads.set(n, [...(threads.get(n) ?? []), c]);
    return c;
  };
  return { threads, add };
}

/**
 * GitHub's REST API for issue comments (a PR's conversation comments are issue comments). Accepts
 * `authorization: token <t>` or `Bearer <t>`, and needs a User-Agent, as GitHub does.
 */
export async function githubComments(opts: {
  token: string;
  owner: string;
  repo: string;
  pulls: number[];
}): Promise<CommentServer> {
  const store = threadsStore();
  const server = await forgeServer(
    (h: IncomingMessage['headers']) =>
      h.authorization === `token ${opts.token}` || h.authorization === `Bearer ${opts.token}`,
  );
  const url = (c: StoredComment, n: number) => ({
    id: c.id,
    node_id: `IC_${Buffer.from(String(c.id)).toString('base64')}`,
    url: `${server.url}/repos/${opts.owner}/${opts.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${opts.owner}/${opts.repo}/pull/${n}#issuecomment-${c.id}`,
    issue_url: `${server.url}/repos/${opts.owner}/${opts.repo}/issues/${n}`,
    body: c.body,
    user: { login: 'github-actions[bot]', id: 41898282, type: 'Bot' },
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: 'NONE',
  });
  const known = (p: Record<string, string>) => p.owner === opts.owner && p.repo === opts.repo;
  const notFound: Reply = {
    status: 404,
    body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
  };
  const invalid: Reply = {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
    },
  };
  const needsAgent = (req: ForgeRequest): Reply | undefined =>
    req.headers['user-agent']
      ? undefined
      : {
          status: 403,
          body: {
            message:
              'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.',
          },
        };

  server.route('GET', '/repos/:owner/:repo/issues/:issue_number/comments', (req, p) => {
    const n = Number(p.issue_number);
    if (needsAgent(req)) return needsAgent(req)!;
    if (!known(p) || !opts.pulls.includes(n)) return notFound;
    const all = store.threads.get(n) ?? [];
    const { page, per } = pageOf(req.query, 30);
    const last = Math.max(1, Math.ceil(all.length / per));
    const link = linkHeader(server.url, req, page, last);
    return {
      status: 200,
      body: all.slice((page - 1) * per, page * per).map((c) => url(c, n)),
      headers: link ? { link } : {},
    };
  });
  server.route('POST', '/repos/:owner/:repo/issues/:issue_number/comments', (req, p) => {
    const n = Number(p.issue_number);
    if (needsAgent(req)) return needsAgent(req)!;
    if (!known(p) || !opts.pulls.includes(n)) return notFound;
    const body = bodyText(req);
    if (body === undefined) return invalid;
    return {
      status: 201,
      body: url(store.add(n, body), n),
      headers: {
        location: `${server.url}/repos/${opts.owner}/${opts.repo}/issues/comments/${store.threads.get(n)!.at(-1)!.id}`,
      },
    };
  });
  server.route('PATCH', '/repos/:owner/:repo/issues/comments/:comment_id', (req, p) => {
    if (needsAgent(req)) return needsAgent(req)!;
    if (!known(p)) return notFound;
    const body = bodyText(req);
    if (body === undefined) return invalid;
    for (const [n, list] of store.threads) {
      const c = list.find((x) => x.id === Number(p.comment_id));
      if (c) {
        Object.assign(c, { body, updated_at: iso() });
        return { status: 200, body: url(c, n) };
      }
    }
    return notFound;
  });
  return Object.assign(server, { threads: store.threads, seed: seeder(store) });
}

/**
 * GitLab's REST API v4 for merge request notes. Accepts `PRIVATE-TOKEN`, `JOB-TOKEN` or `Authorization: Bearer`.
 * The project id may be the number or the URL-encoded path.
 */
export async function gitlabNotes(opts: {
  token: string;
  project: string;
  mergeRequests: number[];
}): Promise<CommentServer> {
  const store = threadsStore();
  const server = await forgeServer(
    (h) =>
      h['private-token'] === opts.token || h['job-token'] === opts.token || h.authorization === `Bearer ${opts.token}`,
  );
  const note = (c: StoredComment, iid: number) => ({
    id: c.id,
    type: null,
    body: c.body,
    attachment: null,
    author: { id: 1, username: 'project_1_bot', name: 'Shipgate bot', state: 'active' },
    created_at: c.created_at,
    updated_at: c.updated_at,
    system: false,
    noteable_id: 5000 + iid,
    noteable_type: 'MergeRequest',
    noteable_iid: iid,
    project_id: 1,
    resolvable: false,
    confidential: false,
    internal: false,
  });
  const base = '/api/v4/projects/:id/merge_requests/:iid/notes';
  const known = (p: Record<string, string>) =>
    (p.id === opts.project || p.id === '1') && opts.mergeRequests.includes(Number(p.iid));
  const notFound: Reply = { status: 404, body: { message: '404 Not found' } };
  const missing: Reply = { status: 400, body: { error: 'body is missing' } };

  server.route('GET', base, (req, p) => {
    if (!known(p)) return notFound;
    const iid = Number(p.iid);
    const all = store.threads.get(iid) ?? [];
    const { page, per } = pageOf(req.query, 20);
    const pages = Math.max(1, Math.ceil(all.length / per));
    const headers: Record<string, string> = {
      'x-page': String(page),
      'x-per-page': String(per),
      'x-total': String(all.length),
      'x-total-pages': String(pages),
      'x-next-page': page < pages ? String(page + 1) : '',
      'x-prev-page': page > 1 ? String(page - 1) : '',
    };
    const link = linkHeader(server.url, req, page, pages);
    if (link) headers.link = link;
    return { status: 200, body: all.slice((page - 1) * per, page * per).map((c) => note(c, iid)), headers };
  });
  server.route('POST', base, (req, p) => {
    if (!known(p)) return notFound;
    const body = bodyText(req) ?? req.query.get('body') ?? undefined;
    if (!body) return missing;
    return { status: 201, body: note(store.add(Number(p.iid), body), Number(p.iid)) };
  });
  server.route('PUT', `${base}/:note_id`, (req, p) => {
    if (!known(p)) return notFound;
    const list = store.threads.get(Number(p.iid)) ?? [];
    const c = list.find((x) => x.id === Number(p.note_id));
    if (!c) return notFound;
    const body = bodyText(req) ?? req.query.get('body') ?? undefined;
    if (!body) return missing;
    Object.assign(c, { body, updated_at: iso() });
    return { status: 200, body: note(c, Number(p.iid)) };
  });
  return Object.assign(server, { threads: store.threads, seed: seeder(store) });
}

function seeder(store: ReturnType<typeof threadsStore>) {
  return (n: number, count: number, body: (i: number) => string = (i) => `comment ${i + 1} by a reviewer`) => {
    for (let i = 0; i < count; i++) store.add(n, body(i));
  };
}
