// HAProxy through its runtime API (`stats socket … level admin`): one server per colour in one backend, moved by
// `set weight` and `set server … state`. The old colour is drained before it goes to maintenance, so requests it is
// still serving finish.
import net from 'node:net';
import { ConfigError, ExternalError, errorMessage, withHint } from '../../errors.js';
import { checkName, shown } from '../../inputs-check.js';
import type { BackendDeps, TrafficBackend, TrafficState, Weights } from '../backend.js';
import { describeWeights, leader, percentages } from '../weights.js';

/** How long one runtime API command may take. */
const COMMAND_TIMEOUT_MS = 5000;
/** How long a drained server may keep serving its in-flight requests before it goes to maintenance anyway. */
const DRAIN_TIMEOUT_MS = 30_000;
const DRAIN_POLL_MS = 200;

/** One server as `show servers state` reports it. */
interface ServerState {
  name: string;
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping. */
  op: number;
  /** srv_admin_state bit field: 0x01/0x02/0x20 maintenance, 0x08/0x10 drain (0x04 only remembers `disabled` in the config). */
  admin: number;
  weight: number;
}

// HAProxy's SRV_ADMF_MAINT and SRV_ADMF_DRAIN masks.
const MAINT = 0x01 | 0x02 | 0x20;
const DRAIN = 0x08 | 0x10;

/** Where the runtime API listens: a unix socket path, or host:port (IPv6 as [::1]:port). */
export function socketAddress(text: string): net.NetConnectOpts {
  const tcp = /^\[?([^[\]/]+?)\]?:(\d+)$/.exec(text);
  if (tcp && !text.startsWith('/') && !text.startsWith('.')) return { host: tcp[1], port: Number(tcp[2]) };
  return { path: text };
}

/**
 * The runtime API reads `;` and a line end as the end of a command: one in a command would run a second one. Names
 * are checked with the inputs; this refuses any line that slipped past, before anything is sent.
 */
export function checkCommandLine(command: string): void {
  if (/[;\x00-\x1f\x7f]/.test(command) || /\s\s/.test(command) || command !== command.trim()) {
    throw new Error(
      `Refused to send HAProxy runtime command ${shown(command)}: it holds a ';', a control character or a stray blank, so it could carry a second command.`,
    );
  }
}

/** Sends one command and resolves with the whole answer (the API closes the connection after it). */
export function runtimeCommand(socket: string, command: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    checkCommandLine(command);
    const conn = net.connect(socketAddress(socket));
    let out = '';
    const timer = setTimeout(() => conn.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    conn.setEncoding('utf8');
    conn.on('connect', () => conn.end(`${command}\n`));
    conn.on('data', (d: string) => (out += d));
    conn.on('close', () => (clearTimeout(timer), resolve(out)));
    conn.on('error', (err) => {
      clearTimeout(timer);
      conn.destroy();
      const code = (err as { code?: string }).code;
      const message = `HAProxy runtime API at '${socket}' (input 'haproxy-socket') failed on '${command}': ${code ?? errorMessage(err)}`;
      reject(
        new ExternalError(
          withHint(message, err, {
            input: "input 'haproxy-socket'",
            value: socket,
            kind: 'path' in socketAddress(socket) ? 'socket' : 'url',
          }),
        ),
      );
    });
  });
}

/** Parses `show servers state <backend>` (format version 1). */
export function parseServersState(text: string): ServerState[] {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const header = lines.find((l) => l.startsWith('# '));
  if (lines[0] !== '1' || !header) throw new Error(`unexpected answer: ${text.trim().slice(0, 200) || '(empty)'}`);
  const cols = header.slice(2).split(/\s+/);
  const at = (name: string) => cols.indexOf(name);
  return lines
    .filter((l) => !l.startsWith('#') && l !== '1')
    .map((l) => l.split(/\s+/))
    .map((f) => ({
      name: f[at('srv_name')],
      op: Number(f[at('srv_op_state')]),
      admin: Number(f[at('srv_admin_state')]),
      weight: Number(f[at('srv_uweight')]),
    }));
}

/** The share a server really gets: none in maintenance, drained, or stopped by its health check. */
function effectiveWeight(s: ServerState): number {
  return s.admin & (MAINT | DRAIN) || s.op === 0 ? 0 : s.weight;
}

function describeServer(s: ServerState): string {
  const admin = s.admin & MAINT ? 'maint' : s.admin & DRAIN ? 'drain' : 'ready';
  const op = ['DOWN', 'starting', 'UP', 'stopping'][s.op] ?? `op ${s.op}`;
  return `server ${s.name}: weight ${s.weight}, ${admin}, ${op}`;
}

/** The haproxy inputs, parsed (haproxy/index.ts). */
export interface HaproxySettings {
  colors: [string, string];
  /** The runtime API: a unix socket path or host:port. */
  socket: string;
  /** The backend holding one server per colour. */
  backend: string;
}

export class HaproxyBackend implements TrafficBackend {
  readonly provider = 'haproxy';
  readonly selectorOnly = false;
  private readonly socket: string;
  private readonly backend: string;
  private readonly colors: [string, string];

  constructor(
    settings: HaproxySettings,
    private readonly deps: BackendDeps,
  ) {
    this.socket = settings.socket;
    this.backend = settings.backend;
    this.colors = settings.colors;
    // Each becomes one word of a runtime command: checked again here, whoever built the settings.
    checkName('haproxy', 'haproxy-backend', this.backend);
    for (const c of this.colors) checkName('haproxy', 'colors', c);
  }

  private async command(cmd: string): Promise<string> {
    this.deps.platform.debug(`haproxy> ${cmd}`);
    return runtimeCommand(this.socket, cmd);
  }

  /** A `set …` command answers nothing on success; anything else is HAProxy saying why not. */
  private async set(cmd: string): Promise<void> {
    const answer = (await this.command(cmd)).trim();
    if (answer) throw new ExternalError(`HAProxy refused '${cmd}': ${answer}`);
  }

  private async servers(): Promise<ServerState[]> {
    const answer = await this.command(`show servers state ${this.backend}`);
    if (/can't find backend/i.test(answer)) {
      throw new ConfigError(
        `Input 'haproxy-backend' is '${this.backend}', but HAProxy at '${this.socket}' has no such backend. Set it to the backend in haproxy.cfg that holds one server per colour.`,
      );
    }
    let all: ServerState[];
    try {
      all = parseServersState(answer);
    } catch (err) {
      throw new ExternalError(
        `HAProxy at '${this.socket}' answered 'show servers state ${this.backend}' with an ${errorMessage(err)}`,
      );
    }
    const missing = this.colors.filter((c) => !all.some((s) => s.name === c));
    if (missing.length) {
      throw new ConfigError(
        `HAProxy backend '${this.backend}' has no server named ${missing.map((m) => `'${m}'`).join(' or ')} (it has: ${all.map((s) => s.name).join(', ') || 'none'}). Input 'colors' names the servers: one per colour.`,
      );
    }
    return this.colors.map((c) => all.find((s) => s.name === c)!);
  }

  async active(): Promise<TrafficState> {
    const servers = await this.servers();
    const weights = percentages(Object.fromEntries(servers.map((s) => [s.name, effectiveWeight(s)])), this.colors);
    return {
      active: leader(weights, this.colors),
      weights,
      details: [`backend ${this.backend}`, ...servers.map(describeServer)],
    };
  }

  /**
   * The runtime commands for `target`, in order: the colours gaining traffic first, so capacity never dips. A colour
   * going to 0 % is drained now and put in maintenance once its in-flight requests have finished.
   */
  private commands(target: Weights): { now: string[]; afterDrain: { server: string; command: string }[] } {
    const ref = (c: string) => `${this.backend}/${c}`;
    const gaining = [...this.colors].sort((x, y) => target[y] - target[x]);
    const now: string[] = [];
    const afterDrain: { server: string; command: string }[] = [];
    for (const c of gaining) {
      if (target[c] > 0) now.push(`set weight ${ref(c)} ${target[c]}`, `set server ${ref(c)} state ready`);
      else {
        now.push(`set weight ${ref(c)} 0`, `set server ${ref(c)} state drain`);
        afterDrain.push({ server: c, command: `set server ${ref(c)} state maint` });
      }
    }
    return { now, afterDrain };
  }

  async plan(target: Weights): Promise<string[]> {
    const { now, afterDrain } = this.commands(target);
    return [
      ...now,
      ...afterDrain.map(
        (d) => `${d.command}   # once its in-flight requests have finished (at most ${DRAIN_TIMEOUT_MS / 1000}s)`,
      ),
    ];
  }

  async apply(target: Weights): Promise<void> {
    const { now, afterDrain } = this.commands(target);
    for (const cmd of now) await this.set(cmd);
    for (const { server, command } of afterDrain) {
      await this.waitIdle(server);
      await this.set(command);
    }
  }

  /** Waits until a drained server has no request in flight (`scur` in `show stat`), bounded by DRAIN_TIMEOUT_MS. */
  private async waitIdle(server: string): Promise<void> {
    const { clock, platform } = this.deps;
    const deadline = clock.now() + DRAIN_TIMEOUT_MS;
    for (;;) {
      const current = await this.currentSessions(server);
      if (current === 0) return;
      if (clock.now() >= deadline) {
        platform.warning(
          `HAProxy server ${this.backend}/${server} still had ${current} sessions after ${DRAIN_TIMEOUT_MS / 1000}s of draining.`,
        );
        return;
      }
      await clock.sleep(DRAIN_POLL_MS);
    }
  }

  private async currentSessions(server: string): Promise<number> {
    // type 4: server rows only
    const csv = await this.command(`show stat ${this.backend} 4 -1`);
    const lines = csv.split('\n');
    const cols = (lines[0] ?? '').replace(/^# /, '').split(',');
    const row = lines.map((l) => l.split(',')).find((f) => f[0] === this.backend && f[1] === server);
    const n = Number(row?.[cols.indexOf('scur')]);
    if (!row || !Number.isFinite(n))
      throw new ExternalError(`HAProxy at '${this.socket}' did not list ${this.backend}/${server} in 'show stat'.`);
    return n;
  }

  async verify(target: Weights): Promise<TrafficState> {
    const state = await this.active();
    if (this.colors.some((c) => state.weights[c] !== target[c])) {
      throw new ExternalError(
        `HAProxy backend '${this.backend}' routes ${describeWeights(state.weights)} after the change, not ${describeWeights(target)} (${state.details.slice(1).join('; ')}).`,
      );
    }
    return state;
  }
}
