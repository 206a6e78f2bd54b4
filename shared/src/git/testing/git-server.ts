import { execFileSync, spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A local GitLab for components: bare repositories under `root` served over git's smart HTTP protocol (the real
// `git http-backend`), and the one API call the CLI loader makes, GET /api/v4/projects/:path/repository/files/:file/raw
// ?ref=<sha>, answered from the same repositories with `git show` (GitLab's contract: the raw file at that commit,
// 404 when the project, ref or file does not exist). `tamper` alters the bytes of the files it names, as a
// compromised mirror or proxy would.
export interface GitServer {
  url: string;
  port: number;
  /** API requests seen, as `project file ref`. */
  requests: string[];
  tamper: Set<string>;
  close(): Promise<void>;
}

function gitHttp(root: string, req: IncomingMessage, res: ServerResponse, url: URL): void {
  const cgi = spawn('git', ['http-backend'], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      REQUEST_METHOD: req.method ?? 'GET',
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
      REMOTE_ADDR: '127.0.0.1',
    },
  });
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let sent = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (sent) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end === -1) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString().split('\r\n')) {
      const [name, ...rest] = line.split(':');
      const value = rest.join(':').trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end + 4));
    sent = true;
  });
  cgi.on('close', () => res.end());
}

export async function gitServer(root: string): Promise<GitServer> {
  const requests: string[] = [];
  const tamper = new Set<string>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/api\/v4\/projects\/([^/]+)\/repository\/files\/([^/]+)\/raw$/.exec(url.pathname);
    if (!api) return gitHttp(root, req, res, url);
    const [project, file, ref] = [
      decodeURIComponent(api[1]),
      decodeURIComponent(api[2]),
      url.searchParams.get('ref') ?? 'HEAD',
    ];
    requests.push(`${project} ${file} ${ref}`);
    try {
      const body = execFileSync('git', ['--git-dir', `${root}/${project}.git`, 'show', `${ref}:${file}`], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(tamper.has(file) ? Buffer.concat([body, Buffer.from('\nconsole.log("TAMPERED");\n')]) : body);
    } catch {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"404 File Not Found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    tamper,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
