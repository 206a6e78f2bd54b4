// NGINX through an upstream include file that Shipgate owns: one `server` per colour, weighted with `weight=`, the
// colour at 0 % marked `down`. The file is replaced atomically and NGINX reloaded (old workers finish their requests);
// a failed reload puts the previous file back and reloads again, so NGINX never keeps a half-made change.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { ConfigError, ExternalError, errorMessage } from '../../errors.js';
import { writeFileAtomic } from '../../fs.js';
import { checkName } from '../../inputs-check.js';
import type { BackendDeps, TrafficBackend, TrafficState, Weights } from '../backend.js';
import { describeWeights, leader, percentages } from '../weights.js';

const RELOAD_TIMEOUT_MS = 30_000;
const HEADER = '# Written by Shipgate on every traffic switch: change the step inputs, not this file.';

/** One `server` line of the upstream block. */
interface ServerLine {
  address: string;
  weight: number;
  down: boolean;
}

/** The `server` lines and the other directives (keepalive, hash…) of `upstream <name> { … }`; undefined when absent. */
export function parseUpstream(text: string, name: string): { servers: ServerLine[]; others: string[] } | undefined {
  const block = new RegExp(
    `(?:^|\\n)\\s*upstream\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\{([^}]*)\\}`,
  ).exec(text);
  if (!block) return undefined;
  const statements = block[1]
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .join(' ')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  const servers: ServerLine[] = [];
  const others: string[] = [];
  for (const s of statements) {
    const words = s.split(/\s+/);
    if (words[0] !== 'server') {
      others.push(`${s};`);
      continue;
    }
    const weight = words.find((w) => w.startsWith('weight='));
    servers.push({
      address: words[1],
      weight: weight ? Number(weight.slice(7)) : 1,
      down: words.includes('down') || words.includes('backup'),
    });
  }
  return { servers, others };
}

/** The whole file for `target`: the colour at 0 % stays listed as `down` so the file always shows both colours. */
export function renderUpstream(name: string, addresses: [string, string][], target: Weights, others: string[]): string {
  const lines = addresses.map(([colour, address]) =>
    target[colour] > 0
      ? `    server ${address} weight=${target[colour]};  # ${colour}`
      : `    server ${address} down;  # ${colour}`,
  );
  return [HEADER, `upstream ${name} {`, ...others.map((o) => `    ${o}`), ...lines, '}', ''].join('\n');
}

/** Runs argv without a shell; rejects with what the command printed, or how it ended. */
function runCommand(argv: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(argv[0], argv.slice(1), { timeout: RELOAD_TIMEOUT_MS }, (err, stdout, stderr) => {
      if (!err) return resolve();
      const { code, killed } = err as { code?: unknown; killed?: boolean };
      const how = killed
        ? `no end after ${RELOAD_TIMEOUT_MS / 1000}s`
        : code === 'ENOENT'
          ? `'${argv[0]}' not found`
          : `exit code ${String(code)}`;
      const said = (stderr || stdout).trim().replace(/\s*\n\s*/g, ' ');
      reject(new Error(said ? `${said} (${how})` : how));
    }),
  );
}

/** The inputs that give the address of the first and the second colour (named after the default colours). */
export const ADDRESS_INPUTS = ['blue-address', 'green-address'] as const;

/** The nginx inputs, parsed (nginx/index.ts). */
export interface NginxSettings {
  colors: [string, string];
  /** The upstream include file Shipgate owns. */
  file: string;
  upstream: string;
  /** host:port (or unix:/path) per colour. */
  addresses: Record<string, string>;
  /** argv of the reload command. */
  reload: string[];
}

export class NginxBackend implements TrafficBackend {
  readonly provider = 'nginx';
  readonly selectorOnly = false;
  private readonly file: string;
  private readonly upstream: string;
  private readonly colors: [string, string];
  private readonly addresses: [string, string][];
  private readonly reload: string[];

  constructor(
    settings: NginxSettings,
    private readonly deps: BackendDeps,
  ) {
    this.file = settings.file;
    this.upstream = settings.upstream;
    this.colors = settings.colors;
    this.reload = settings.reload;
    checkName('nginx', 'nginx-upstream', this.upstream);
    this.addresses = this.colors.map((c, i) => {
      const address = settings.addresses[c];
      // The address lands in the config file: nothing that could end the directive or open a block.
      if (!/^(unix:\/[^\s;{}#]+|[^\s;{}#/]+:\d+)$/.test(address)) {
        throw new ConfigError(
          `Input '${ADDRESS_INPUTS[i]}' is '${address}'. Expected host:port (e.g. 127.0.0.1:8081) or unix:/path.`,
        );
      }
      return [c, address] as [string, string];
    });
    if (this.addresses[0][1] === this.addresses[1][1]) {
      throw new ConfigError(
        `Inputs 'blue-address' and 'green-address' are both '${this.addresses[0][1]}'. Each colour needs its own servers.`,
      );
    }
    if (!this.reload.length)
      throw new ConfigError(`Input 'nginx-reload-command' is empty. Expected a command such as 'nginx -s reload'.`);
  }

  private async read(): Promise<{ text: string; servers: ServerLine[]; others: string[] }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      throw new ExternalError(
        `Cannot read input 'nginx-upstream-file' '${this.file}': ${(err as { code?: string }).code ?? errorMessage(err)}. Create it with an 'upstream ${this.upstream} { … }' block and include it from nginx.conf.`,
      );
    }
    const parsed = parseUpstream(text, this.upstream);
    if (!parsed)
      throw new ExternalError(
        `'${this.file}' (input 'nginx-upstream-file') has no 'upstream ${this.upstream} { … }' block (input 'nginx-upstream').`,
      );
    return { text, ...parsed };
  }

  async active(): Promise<TrafficState> {
    const { servers } = await this.read();
    const raw: Weights = {};
    const details = [`upstream ${this.upstream} in ${this.file}`];
    for (const s of servers) {
      const colour = this.addresses.find(([, a]) => a === s.address)?.[0];
      details.push(
        `server ${s.address}${colour ? ` (${colour})` : ' (no colour)'}: ${s.down ? 'down' : `weight ${s.weight}`}`,
      );
      if (colour && !s.down) raw[colour] = (raw[colour] ?? 0) + s.weight;
    }
    const weights = percentages(raw, this.colors);
    return { active: leader(weights, this.colors), weights, details };
  }

  private async next(target: Weights): Promise<{ before: string; after: string }> {
    const { text, others } = await this.read();
    return { before: text, after: renderUpstream(this.upstream, this.addresses, target, others) };
  }

  async plan(target: Weights): Promise<string[]> {
    const { before, after } = await this.next(target);
    const old = new Set(before.split('\n'));
    const now = new Set(after.split('\n'));
    const diff = [
      ...before
        .split('\n')
        .filter((l) => l.trim() && !now.has(l))
        .map((l) => `- ${l}`),
      ...after
        .split('\n')
        .filter((l) => l.trim() && !old.has(l))
        .map((l) => `+ ${l}`),
    ];
    if (!diff.length) return [`${this.file}: unchanged, no reload`];
    return [`write ${this.file} (temp file + rename):`, ...diff, `run: ${this.reload.join(' ')}`];
  }

  async apply(target: Weights): Promise<void> {
    const { before, after } = await this.next(target);
    if (before === after) return;
    await this.write(after);
    try {
      await runCommand(this.reload);
    } catch (err) {
      const why = errorMessage(err);
      await this.write(before);
      const again = await runCommand(this.reload).then(
        () => 'and reloaded NGINX',
        (e) => `but reloading again failed too: ${errorMessage(e)}`,
      );
      throw new ExternalError(
        `Input 'nginx-reload-command' ('${this.reload.join(' ')}') failed: ${why}. Restored the previous ${this.file} ${again}.`,
      );
    }
  }

  private async write(text: string): Promise<void> {
    this.deps.platform.debug(`writing ${this.file}`);
    try {
      await writeFileAtomic(this.file, text);
    } catch (err) {
      throw new ExternalError(
        `Cannot write input 'nginx-upstream-file' '${this.file}': ${(err as { code?: string }).code ?? errorMessage(err)}.`,
      );
    }
  }

  async verify(target: Weights): Promise<TrafficState> {
    const state = await this.active();
    if (this.colors.some((c) => state.weights[c] !== target[c])) {
      throw new ExternalError(
        `${this.file} routes ${describeWeights(state.weights)} after the change, not ${describeWeights(target)}.`,
      );
    }
    return state;
  }
}
