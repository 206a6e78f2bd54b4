// The embedded demo: Shipgate's delivery on loopback, each step run through the CLI exactly as a GitLab job runs it
// (SHIPGATE_* variables, dotenv report, summary artifact). One part per step, in pipeline order; `--only <step>` runs one.
// Run with tsx (`npm run demo`): the parts import the same launchers as the tests (shared/src/*/testing/).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { steps } from '../actions/index.js';
import type { DemoContext, DemoPart, ShipgateRun } from './context.js';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'shipgate.js');
// One part per step, from the one list of steps, then the whole delivery of several services.
const PARTS = [...steps.map((s) => s.schema.name), 'multi-service'];
const load = (part: string): Promise<{ demo: DemoPart }> => import(`./${part}.js`);
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx === -1 ? null : process.argv[onlyIdx + 1];
if (only && !PARTS.includes(only)) {
  console.error(`--only is '${only}'. Expected one of: ${PARTS.join(', ')}.`);
  process.exit(2);
}
const base = mkdtempSync(join(tmpdir(), 'shipgate-demo-'));
const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;
const cleanups: (() => unknown)[] = [];
let failed = 0;

for (const part of PARTS.filter((p) => (only ? p === only : true))) {
  const work = join(base, part);
  mkdirSync(work);
  let n = 0;
  const ctx: DemoContext = {
    work,
    step: (text) => console.log(`\n${bold(`▶ ${part} ${++n}. ${text}`)}`),
    listen: (server) => {
      cleanups.push(() => server.close());
      return new Promise((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
      );
    },
    onExit: (fn) => void cleanups.push(fn),
    shipgate: (args, env = {}) =>
      new Promise<ShipgateRun>((resolve) => {
        const child = execFile(
          process.execPath,
          [cli, ...args],
          {
            cwd: work,
            env: { PATH: process.env.PATH, HOME: process.env.HOME, GITLAB_CI: 'true', CI_JOB_NAME: args[0], ...env },
            maxBuffer: 64 * 1024 * 1024,
          },
          (err, stdout, stderr) =>
            resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        );
        child.stdout?.pipe(process.stdout);
        child.stderr?.pipe(process.stderr);
      }),
  };
  console.log(`\n${bold(`═══ ${part} ═══`)}  (workspace ${work})`);
  try {
    const { demo } = await load(part);
    await demo(ctx);
    console.log(bold(`✔ ${part}: as expected`));
  } catch (err) {
    failed++;
    console.log(bold(`✘ ${part}: ${err instanceof Error ? err.message : String(err)}`));
  } finally {
    while (cleanups.length) await cleanups.pop()!();
  }
}
rmSync(base, { recursive: true, force: true });
console.log(failed ? '\nDemo did not go as expected.' : '\nDemo finished as expected.');
process.exitCode = failed ? 1 : 0;
