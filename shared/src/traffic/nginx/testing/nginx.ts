// A real NGINX (Debian package) in a temp prefix on loopback: its own config, pid file, logs and temp dirs,
// started in the foreground so the test owns its PID.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listening, program, startDaemon, type Daemon } from '../../../testing/daemons.js';

export interface Nginx extends Daemon {
  /** Port of the first `listen` (the one chosen by startNginx). */
  port: number;
  url: string;
  /** The temp prefix: nginx.conf, logs/, and any files the test writes beside them. */
  dir: string;
  conf: string;
  /** The reload command a step would run (`nginx -p DIR -c CONF -s reload`), as argv. */
  reloadCommand: string[];
  reload(): Promise<void>;
}

/**
 * Starts NGINX with `httpBody` inside `http { … }`. `{port}` in the body is replaced by a free port, which the
 * returned object carries. `{dir}` is replaced by the temp prefix (for include files).
 */
export async function startNginx(httpBody: string): Promise<Nginx> {
  const bin = await program('nginx');
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-nginx-'));
  mkdirSync(join(dir, 'logs'));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
user root;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${httpBody.replaceAll('{port}', String(port)).replaceAll('{dir}', dir)}
}
`,
  );
  const reloadCommand = [bin, '-p', dir, '-c', conf, '-s', 'reload'];
  const daemon = await startDaemon(bin, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { ready: () => listening(port) });
  return {
    ...daemon,
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    conf,
    reloadCommand,
    reload: () =>
      new Promise((resolve, reject) =>
        execFile(reloadCommand[0], reloadCommand.slice(1), (err, _o, stderr) =>
          err ? reject(new Error(stderr || String(err))) : resolve(),
        ),
      ),
  };
}

/**
 * The `http` body of an NGINX in front of a blue/green pair: `/` through the upstream block in `upstreamFile` (which
 * Shipgate rewrites), `/blue/` and `/green/` straight to each colour (for `{color}` health URLs).
 *
 * Client connections: NGINX before 1.31 (no keepalive_min_timeout) closes idle keep-alive connections the moment an
 * old worker exits on reload, and a request the client sent in that instant is reset (nginx/nginx#303, #437): no
 * router setting Shipgate writes can avoid it. So clients get one request per connection, closed with a lingering
 * close, which a reload never resets; bench/blue-green-switch.ts shows the keep-alive numbers too.
 */
export function colourProxy(upstreamFile: string, addresses: { blue: string; green: string }): string {
  return `
  keepalive_timeout 0;
  lingering_close always;
  include ${upstreamFile};
  server {
    listen 127.0.0.1:{port};
    location / { proxy_pass http://web; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location /blue/ { proxy_pass http://${addresses.blue}/; }
    location /green/ { proxy_pass http://${addresses.green}/; }
  }`;
}
