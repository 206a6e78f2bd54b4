// The embedded demo: Shipgate's delivery on loopback, each step run through the CLI exactly as a GitLab job runs it
// (SHIPGATE_* variables, dotenv report, summary artifact). One part per step, in pipeline order; `--only <step>` runs one.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'shipgate.js');
const PARTS = ['check-dependencies', 'api-compat', 'perf-baseline', 'version-tag', 'blue-green-switch', 'rollback', 'multi-service'];
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx === -1 ? null : process.argv[onlyIdx + 1];
if (only && !PARTS.includes(only)) {
  console.error(`--only is '${only}'. Expected one of: ${PARTS.join(', ')}.`);
  process.exit(2);
}
const base = mkdtempSync(join(tmpdir(), 'shipgate-demo-'));
const bold = (text) => `\x1b[1m${text}\x1b[0m`;
const cleanups = [];
let failed = 0;

for (const part of PARTS.filter((p) => (only ? p === only : true))) {
  const file = join(root, 'demo', `${part}.mjs`);
  if (!existsSync(file)) continue;
  const work = join(base, part);
  mkdirSync(work);
  let n = 0;
  const ctx = {
    work,
    step: (text) => console.log(`\n${bold(`▶ ${part} ${++n}. ${text}`)}`),
    /** Registers a server for cleanup and resolves the loopback port it listens on. */
    listen: (server) => {
      cleanups.push(() => server.close());
      return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
    },
    /** Registers any other cleanup (a daemon's stop). */
    onExit: (fn) => cleanups.push(fn),
    /** Runs `shipgate <args>` as a GitLab job would, echoing its output; resolves { code, stdout, stderr }. */
    shipgate: (args, env = {}) =>
      new Promise((resolve) => {
        const child = execFile(
          process.execPath,
          [cli, ...args],
          { cwd: work, env: { PATH: process.env.PATH, HOME: process.env.HOME, GITLAB_CI: 'true', CI_JOB_NAME: args[0], ...env }, maxBuffer: 64 * 1024 * 1024 },
          (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        );
        child.stdout.pipe(process.stdout);
        child.stderr.pipe(process.stderr);
      }),
  };
  console.log(`\n${bold(`═══ ${part} ═══`)}  (workspace ${work})`);
  try {
    const { demo } = await import(file);
    await demo(ctx);
    console.log(bold(`✔ ${part}: as expected`));
  } catch (err) {
    failed++;
    console.log(bold(`✘ ${part}: ${err instanceof Error ? err.message : String(err)}`));
  } finally {
    while (cleanups.length) await cleanups.pop()();
  }
}
rmSync(base, { recursive: true, force: true });
console.log(failed ? '\nDemo did not go as expected.' : '\nDemo finished as expected.');
process.exitCode = failed ? 1 : 0;
