// A real HAProxy (Debian package) on loopback from a temp config: one frontend, one backend `web` with a server per
// colour, the runtime API on a unix socket (and optionally on 127.0.0.1:port), in the foreground without master-worker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, listening, program, startDaemon, type Daemon } from '../../../testing/daemons.js';

export interface Haproxy extends Daemon {
  port: number;
  url: string;
  dir: string;
  /** The admin-level runtime API socket. */
  socket: string;
  /** `127.0.0.1:port` of the TCP runtime API, when asked for. */
  tcpSocket?: string;
  backend: string;
}

export interface HaproxyOptions {
  /** Server address (host:port) per colour, in order; the first gets weight 100, the others 0 and maintenance. */
  servers: Record<string, string>;
  /** Also open the runtime API on a TCP port. */
  tcpApi?: boolean;
  backend?: string;
  /** More backends with the same servers, e.g. to check that a switch of one never touches another. */
  moreBackends?: string[];
}

export async function startHaproxy(opts: HaproxyOptions): Promise<Haproxy> {
  const bin = await program('haproxy');
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-haproxy-'));
  const port = await freePort();
  const apiPort = opts.tcpApi ? await freePort() : undefined;
  const backend = opts.backend ?? 'web';
  const socket = join(dir, 'admin.sock');
  const servers = Object.entries(opts.servers).map(([colour, address], i) =>
    i === 0 ? `  server ${colour} ${address} weight 100` : `  server ${colour} ${address} weight 0 disabled`,
  );
  const conf = join(dir, 'haproxy.cfg');
  writeFileSync(
    conf,
    [
      'global',
      `  stats socket ${socket} mode 600 level admin`,
      ...(apiPort ? [`  stats socket ipv4@127.0.0.1:${apiPort} level admin`] : []),
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  timeout http-keep-alive 60s',
      '  retries 3',
      '  option redispatch',
      'frontend fe',
      `  bind 127.0.0.1:${port}`,
      `  default_backend ${backend}`,
      `backend ${backend}`,
      '  balance roundrobin',
      ...servers,
      ...(opts.moreBackends ?? []).flatMap((b) => [`backend ${b}`, '  balance roundrobin', ...servers]),
      '',
    ].join('\n'),
  );
  const daemon = await startDaemon(bin, ['-db', '-f', conf], { ready: () => listening(port) });
  return {
    ...daemon,
    port,
    url: `http://127.0.0.1:${port}`,
    dir,
    socket,
    tcpSocket: apiPort ? `127.0.0.1:${apiPort}` : undefined,
    backend,
  };
}

/**
 * Weight per server of `backend` as the runtime API reports it, 0 for a server in maintenance or drain: read
 * independently of Shipgate's HAProxy module, so tests check it against HAProxy itself.
 */
export async function haproxyWeights(h: Haproxy, backend = h.backend): Promise<Record<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    const conn = connect(h.socket);
    let out = '';
    conn.on('connect', () => conn.end(`show servers state ${backend}\n`));
    conn.on('data', (d) => (out += d));
    conn.on('close', () => resolve(out));
    conn.on('error', reject);
  });
  const out: Record<string, number> = {};
  for (const line of text.split('\n').filter((l) => /^\d+ \S+ \d+ /.test(l))) {
    const [, , , name, , , admin, weight] = line.split(/\s+/);
    out[name] = Number(admin) & 0x3b ? 0 : Number(weight);
  }
  return out;
}

/** The one server that takes traffic, or undefined when several (or none) do. */
export async function haproxyActive(h: Haproxy): Promise<string | undefined> {
  const live = Object.entries(await haproxyWeights(h)).filter(([, w]) => w > 0);
  return live.length === 1 ? live[0][0] : undefined;
}
