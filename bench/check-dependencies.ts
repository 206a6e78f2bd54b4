// Benchmark of check-dependencies (prints numbers; no pass/fail). `npm run bench`.
// 1. 300 services, 200 dependencies with health checks that answer after 100 ms on loopback: the step's wall time,
//    against one probe and against a sequential loop over the same probes (as a shell `for … curl` loop does).
// 2. Parse, validate and layer a 5,000-service graph.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDependencies } from '../actions/check-dependencies/src/step.js';
import { realClock } from '../shared/src/clock.js';
import { parseConfig } from '../shared/src/graph/config.js';
import { checkGraph, computeWaves } from '../shared/src/graph/graph.js';
import { attemptOnce } from '../shared/src/http/probe.js';
import { httpGet } from '../shared/src/http/get.js';
import { LocalPlatform } from '../shared/src/platform/index.js';
import { run } from '../shared/src/run.js';

const DELAY = 100;
// The dependencies live in another process, as real services do: their work does not land on the step's core.
const server = spawn(process.execPath, [join(import.meta.dirname, 'slow-server.mjs'), String(DELAY)], {
  stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
});
const port = await new Promise<string>((resolve) => server.stdout!.once('data', (d) => resolve(String(d).trim())));
const base = `http://127.0.0.1:${port}`;

// 300 services in 6 layers of 50; the 200 in the first four layers have health checks; `edge` needs them all.
const lines = ['services:'];
for (let i = 0; i < 300; i++) {
  const layer = Math.floor(i / 50);
  const deps = layer === 0 ? [] : [`s${i - 50}`, `s${(layer - 1) * 50 + ((i + 7) % 50)}`];
  const health = i < 200 ? `, health: "${base}/s${i}/health"` : '';
  lines.push(`  s${i}: { dependencies: [${[...new Set(deps)].join(', ')}]${health} }`);
}
lines.push(`  edge: { dependencies: [${Array.from({ length: 50 }, (_, k) => `s${150 + k}`).join(', ')}] }`);
const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-'));
writeFileSync(join(dir, 'dependency-config.yml'), lines.join('\n') + '\n');
const targets = Array.from({ length: 200 }, (_, i) => ({ name: `s${i}`, url: `${base}/s${i}/health` }));

async function step(concurrency: number): Promise<number> {
  let out = '';
  const platform = new LocalPlatform({
    env: {},
    flags: { config: join(dir, 'dependency-config.yml'), service: 'edge', concurrency: String(concurrency) },
    json: true,
    stdout: (t) => void (out += t),
    stderr: () => {},
  });
  const t0 = performance.now();
  const code = await run(checkDependencies, platform);
  const ms = performance.now() - t0;
  if (code !== 0 || JSON.parse(out).healthy !== 'true') throw new Error(`bench run failed: exit ${code} ${out}`);
  return ms;
}

const median = async (fn: () => Promise<number>, n = 5) => {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await fn());
  return xs.sort((a, b) => a - b)[Math.floor(n / 2)];
};
const opts = { clock: realClock, attemptTimeoutMs: 5000 };
await attemptOnce(targets[0], opts); // warm-up
const one = await (async () => {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await attemptOnce(targets[i], opts);
    xs.push(performance.now() - t);
  }
  return xs.sort((a, b) => a - b)[2];
})();
const t2 = performance.now();
for (const t of targets) await attemptOnce(t, opts);
const sequential = performance.now() - t2;
// The floor on this machine: the same 200 GETs fired at once with bare node:http, no retries, no bookkeeping.
const bare = await median(async () => {
  const t = performance.now();
  await Promise.all(targets.map((x) => httpGet(x.url, { timeoutMs: 5000 })));
  return performance.now() - t;
});
await step(200); // warm-up
const wide = await median(() => step(200));
const narrow = await median(() => step(16), 3);
server.kill();

const f = (ms: number) => `${ms.toFixed(0)} ms`;
console.log(
  `check-dependencies (median of 5 runs): 300 services, 200 dependencies probed, each answering after ${DELAY} ms on loopback`,
);
console.log(`  one probe                           ${f(one)}`);
console.log(
  `  step, concurrency 200               ${f(wide)}   = ${(wide / one).toFixed(2)} × one probe (goal ≤ 2×)   ${(sequential / wide).toFixed(1)}× faster than sequential`,
);
console.log(
  `  step, concurrency 16 (the default)  ${f(narrow)}   = ${(narrow / one).toFixed(2)} × one probe   ${(sequential / narrow).toFixed(1)}× faster than sequential`,
);
console.log(`  sequential loop over the 200 probes ${f(sequential)}`);
console.log(
  `  floor: 200 bare concurrent GETs     ${f(bare)}   = ${(bare / one).toFixed(2)} × one probe (what loopback and 2 cores allow)`,
);

const big = ['services:'];
for (let i = 0; i < 5000; i++) {
  const deps = i < 100 ? [] : [`s${i - 100}`, `s${(i * 7919) % (i - (i % 100))}`];
  big.push(`  s${i}: { level: ${Math.floor(i / 100) + 1}, dependencies: [${[...new Set(deps)].join(', ')}] }`);
}
const text = big.join('\n');
const p0 = performance.now();
const { config } = parseConfig(text, 'big.yml');
const p1 = performance.now();
const { errors, inconsistencies } = checkGraph(config);
const waves = computeWaves(config);
const p2 = performance.now();
if (errors.length || inconsistencies.length)
  throw new Error(`5,000-service graph invalid: ${errors[0]?.message ?? inconsistencies[0]?.message}`);
console.log(`5,000-service graph (${waves.length} waves):`);
console.log(`  parse YAML                          ${f(p1 - p0)}`);
console.log(`  validate (cycles, levels) and layer ${f(p2 - p1)}`);
console.log(`  total                               ${f(p2 - p0)}`);
