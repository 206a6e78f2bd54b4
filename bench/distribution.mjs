// What ships and how fast it starts: the size of each action's dist/, the npm tarball's unpacked size, and the
// cold start of `shipgate --version` and of each action's `--help`, as a ratio to `node -e 0` on the same machine.
// An action starts from its step's entry (the schema): help, flags and input errors are answered from it, and the
// step's own code is read once the inputs parsed, so this is the time until a job's first answer. Targets: dist/ ≤ 3 MB, tarball ≤ 6 MB unpacked, start ≤ 2× node.
// Usage: node bench/distribution.mjs [runs]  (after `node scripts/build.mjs`). Exits 1 when a target is missed.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const runs = Number(process.argv[2] ?? 30);
const MB = 1024 * 1024;
let missed = 0;
const verdict = (ok) => {
  if (!ok) missed++;
  return ok ? 'ok' : 'OVER TARGET';
};

const bytes = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? bytes(join(dir, e.name)) : statSync(join(dir, e.name)).size),
    0,
  );
const steps = readdirSync(join(root, 'actions')).filter((s) => statSync(join(root, 'actions', s)).isDirectory());

console.log('size of what ships (target: each action dist/ ≤ 3 MB, tarball unpacked ≤ 6 MB)');
for (const step of steps) {
  const size = bytes(join(root, 'actions', step, 'dist'));
  console.log(`  actions/${step}/dist`.padEnd(36) + `${(size / MB).toFixed(2)} MB  ${verdict(size <= 3 * MB)}`);
}
const [pack] = JSON.parse(
  execFileSync('npm', ['pack', '--dry-run', '--json'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }),
);
console.log(
  '  npm tarball'.padEnd(36) +
    `${(pack.size / MB).toFixed(2)} MB packed, ${(pack.unpackedSize / MB).toFixed(2)} MB unpacked  ${verdict(pack.unpackedSize <= 6 * MB)}`,
);

// Commands run in turns, so a burst of load on the machine hits all of them alike; the median of each is compared.
const env = { PATH: process.env.PATH, HOME: '/tmp', GITHUB_ACTIONS: 'true' };
const cli = join(root, 'bin', 'shipgate.js');
const commands = [
  ['node -e 0', ['-e', '0']],
  ['shipgate --version', [cli, '--version']],
  // `--help` starts the action and prints, without the work of a step (git, network) in the figure.
  ...steps.map((s) => [`action ${s} --help`, [join(root, 'actions', s, 'dist', 'index.js'), '--help']]),
  // Runs that read their step's code and stop in loadConfig on a missing file (exit 2): what a start costs once the
  // inputs parsed. Printed for comparison, without a verdict: the target is the start until the first answer.
  [
    'shipgate api-compat (no such file)',
    [cli, 'api-compat', '--base', '/nonexistent.yaml', '--head', '/nonexistent.yaml'],
    'info',
  ],
  [
    'shipgate perf-baseline (no such file)',
    [cli, 'perf-baseline', '--url', 'http://127.0.0.1:9/', '--body', '@/nonexistent'],
    'info',
  ],
];
// Wall time swings when other work shares the cores; the CPU time the child used (user + system, from the kernel's
// count for waited-for children, in clock ticks) is steadier, so the verdict is on it.
const childCpuMs = () => {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime at 100 ticks/s
};
const times = commands.map(() => []);
const cpu = commands.map(() => 0);
for (let i = 0; i < runs + 2; i++) {
  commands.forEach(([, args], c) => {
    const t = process.hrtime.bigint();
    const before = childCpuMs();
    spawnSync(process.execPath, args, { env, cwd: '/tmp', stdio: 'ignore' });
    if (i < 2) return; // the first two warm the file cache
    times[c].push(Number(process.hrtime.bigint() - t) / 1e6);
    cpu[c] += childCpuMs() - before;
  });
}
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times[0]);
console.log(`\ncold start over ${runs} runs: median wall time, mean CPU time (target: CPU ≤ 2.0× node -e 0)`);
commands.forEach(([name, , info], c) => {
  const m = median(times[c]);
  const ratio = cpu[c] / cpu[0];
  const line = `${m.toFixed(1)} ms (${(m / base).toFixed(2)}×)  CPU ${(cpu[c] / runs).toFixed(1)} ms (${ratio.toFixed(2)}×)`;
  console.log(`  ${name}`.padEnd(40) + line + (info ? '  (no target)' : c ? `  ${verdict(ratio <= 2)}` : ''));
});
process.exitCode = missed ? 1 : 0;
