// Real programs from Debian's packages (HAProxy, NGINX, Prometheus, the Docker registry, wrk), installed on demand
// and started on loopback by the tests, the benches and the demo: the project's one apt installer. Each started
// process is ended by its own PID.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

/** The checkout, where installs take their lock (`.cache/apt.lock`). */
const ROOT = new URL('../../..', import.meta.url).pathname;

/** Debian package of each program the tests start, and where the package puts it. */
export const PROGRAMS = {
  haproxy: { pkg: 'haproxy', bin: '/usr/sbin/haproxy' },
  nginx: { pkg: 'nginx', bin: '/usr/sbin/nginx' },
  prometheus: { pkg: 'prometheus', bin: '/usr/bin/prometheus' },
  'docker-registry': { pkg: 'docker-registry', bin: '/usr/bin/docker-registry' },
  wrk: { pkg: 'wrk', bin: '/usr/bin/wrk' },
  rsync: { pkg: 'rsync', bin: '/usr/bin/rsync' },
  openssl: { pkg: 'openssl', bin: '/usr/bin/openssl' },
  // The reusable workflows' run: scripts use jq, as GitHub's hosted runners have it.
  jq: { pkg: 'jq', bin: '/usr/bin/jq' },
  // Debian's kubectl; machines that already have one (GitHub's runners, Google's apt repository) keep theirs.
  kubectl: { pkg: 'kubernetes-client', bin: '/usr/bin/kubectl' },
} as const;

export type Program = keyof typeof PROGRAMS;

/**
 * Path of a program's binary, installing its Debian package first when it is missing
 * (`apt-get update && apt-get install -y`). Test files run in parallel workers, so installs are serialised by a lock dir.
 */
export async function program(name: Program): Promise<string> {
  const { pkg, bin } = PROGRAMS[name];
  if (existsSync(bin)) return bin;
  const lock = join(ROOT, '.cache', 'apt.lock');
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!existsSync(bin)) {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
      execFileSync('apt-get', ['install', '-y', '--no-install-recommends', pkg], { stdio: 'inherit', env });
    }
  } finally {
    rmdirSync(lock);
  }
  if (!existsSync(bin)) throw new Error(`Installing the Debian package ${pkg} did not provide ${bin}.`);
  return bin;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns true (or a truthy value), or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface Daemon {
  pid: number;
  /** What the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Ends this process (SIGTERM, then SIGKILL after 3 s) and waits for it. */
  stop(): Promise<void>;
}

/**
 * Starts a long-running program in the foreground and waits until `ready` says it serves.
 * Fails with the program's own output when it exits early.
 */
export async function startDaemon(
  cmd: string,
  args: string[],
  opts: { ready: () => Promise<boolean>; cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Daemon> {
  const child: ChildProcess = spawn(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  let exited: number | null | undefined;
  const done = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code), resolve())));
  const daemon: Daemon = {
    pid: child.pid ?? -1,
    output: () => out,
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => exited === undefined && child.kill('SIGKILL'), 3000);
      await done;
      clearTimeout(timer);
    },
  };
  try {
    await waitFor(
      `${cmd} to be ready`,
      async () => {
        if (exited !== undefined) throw new Error(`${cmd} exited with ${exited}:\n${out}`);
        return opts.ready();
      },
      opts.timeoutMs ?? 20_000,
    );
  } catch (err) {
    await daemon.stop();
    throw new Error(`${String(err)}\n--- output of ${cmd} ---\n${out}`);
  }
  return daemon;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
