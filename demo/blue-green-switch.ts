// Demo: a local HAProxy in front of a blue and a green Node server. Shipgate switches it from blue to green in steps
// while requests keep flowing, then tries to go back to blue — but blue breaks once it takes traffic, and Shipgate
// reverts by itself. HAProxy comes from Debian (shared/src/testing/daemons.ts installs it when missing).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startHaproxy as launchHaproxy } from '../shared/src/traffic/haproxy/testing/haproxy.js';
import type { DemoContext } from './context.js';

export interface ColourState {
  name: string;
  hits: number;
  probes: number;
  server: Server;
}

/** A colour's server: `/` answers with its name, `/healthz` with `health()`. */
export function colourServer(name: string, health: (state: ColourState) => boolean): ColourState {
  const state = { name, hits: 0, probes: 0 } as ColourState;
  state.server = createServer((req, res) => {
    if (req.url === '/healthz') {
      state.probes++;
      const ok = health(state);
      return void res.writeHead(ok ? 200 : 503).end(ok ? 'ok' : 'unhealthy');
    }
    state.hits++;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${name}\n`);
  });
  state.server.keepAliveTimeout = 120_000;
  return state;
}

/** Requests in a loop until stopped, counting answers per colour and failures. */
export function traffic(url: string) {
  const seen: Record<string, number> = { blue: 0, green: 0, failed: 0 };
  let running = true;
  const loops = Array.from({ length: 4 }, async () => {
    while (running) {
      try {
        const res = await fetch(url);
        const body = (await res.text()).trim();
        if (res.ok) seen[body] = (seen[body] ?? 0) + 1;
        else seen.failed++;
      } catch {
        seen.failed++;
      }
    }
  });
  return { seen, stop: async () => ((running = false), await Promise.all(loops), seen) };
}

export function dotenv(work: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(join(work, 'shipgate.env'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

/**
 * Starts HAProxy (the tests' launcher) on a free loopback port in front of `servers` (colour → port, in order: the
 * first gets all the traffic, the others weight 0 in maintenance), with the runtime API on a unix socket.
 */
export async function startHaproxy(servers: Record<string, number>, onExit: DemoContext['onExit']) {
  const haproxy = await launchHaproxy({
    servers: Object.fromEntries(Object.entries(servers).map(([colour, port]) => [colour, `127.0.0.1:${port}`])),
  });
  onExit(() => haproxy.stop());
  return { url: `${haproxy.url}/`, socket: haproxy.socket };
}

export async function demo({ shipgate, work, step, listen, onExit }: DemoContext) {
  // Once set, blue's health fails as soon as blue serves one more request than it had.
  let blueBreaksAfter = Infinity;
  const blue = colourServer('blue', (s) => s.hits <= blueBreaksAfter);
  const green = colourServer('green', () => true);
  const bluePort = await listen(blue.server);
  const greenPort = await listen(green.server);

  const { url, socket } = await startHaproxy({ blue: bluePort, green: greenPort }, onExit);
  const env = {
    SHIPGATE_HEALTH_TIMEOUT: '10s',
    SHIPGATE_PROVIDER: 'haproxy',
    SHIPGATE_HAPROXY_SOCKET: socket,
    SHIPGATE_HAPROXY_BACKEND: 'web',
    GITLAB_USER_LOGIN: 'demo',
  };

  step(`HAProxy on ${url} sends everything to blue; the dry run shows the runtime commands of each step`);
  const dry = await shipgate(['blue-green-switch', '--dry-run', '--steps', '25,100'], env);
  if (dry.code !== 0 || !dry.stdout.includes('set weight web/green 25')) throw new Error(`dry run: exit ${dry.code}`);

  step('Switch to green in steps 25,100 while 4 clients keep sending requests');
  let load = traffic(url);
  const up = await shipgate(
    [
      'blue-green-switch',
      '--steps',
      '25,100',
      '--step-interval',
      '1s',
      '--health-url',
      `http://127.0.0.1:${greenPort}/healthz`,
      '--state-file',
      'web-state.json',
    ],
    env,
  );
  let seen = await load.stop();
  console.log(`\n→ exit ${up.code}; requests answered: blue ${seen.blue}, green ${seen.green}; failed: ${seen.failed}`);
  console.log(`→ outputs: ${JSON.stringify(dotenv(work))}`);
  console.log(`→ web-state.json: ${readFileSync(join(work, 'web-state.json'), 'utf8').trim()}`);
  if (up.code !== 0 || dotenv(work).SHIPGATE_ACTIVE !== 'green' || seen.failed || !seen.green)
    throw new Error('the switch to green did not go as expected');

  step('Back to blue — but blue breaks as soon as it takes traffic: Shipgate reverts to green and fails the job');
  blueBreaksAfter = blue.hits;
  load = traffic(url);
  const back = await shipgate(
    [
      'blue-green-switch',
      '--steps',
      '25,100',
      '--step-interval',
      '1s',
      '--health-url',
      `http://127.0.0.1:${bluePort}/healthz`,
    ],
    env,
  );
  seen = await load.stop();
  const out = dotenv(work);
  console.log(
    `\n→ exit ${back.code} (1 = a check failed and traffic was moved back); requests: blue ${seen.blue}, green ${seen.green}; failed: ${seen.failed}`,
  );
  console.log(`→ outputs: ${JSON.stringify(out)}`);
  if (back.code !== 1 || out.SHIPGATE_REVERTED !== 'true' || out.SHIPGATE_ACTIVE !== 'green' || seen.failed) {
    throw new Error('the automatic revert did not go as expected');
  }
  const now = (await (await fetch(url)).text()).trim();
  console.log(`→ HAProxy now serves: ${now}`);
  if (now !== 'green') throw new Error(`after the revert HAProxy serves ${now}`);
}
