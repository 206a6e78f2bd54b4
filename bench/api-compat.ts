// Benchmark of api-compat (prints numbers; no pass/fail): `npx tsx bench/api-compat.ts`.
// 1. GitHub Enterprise Server 3.17 → 3.18 (@octokit/openapi, 11 MB of JSON each).
// 2. 3.18 against a copy with the 20 scripted breaking edits of test/fixtures/api-compat/edits.ts: found or not.
// 3. Schema DAGs (test/fixtures/api-compat/dag.ts), one leaf type changed: 22 levels of components each `$ref`-ing
//    the previous twice, and YAML anchors 16 deep each aliased twice. Expanded, millions of schemas; the verdict is
//    due within 5 s and 400 MB.
// BENCH_OPENAPI_DIFF=0 leaves the openapi-diff rows out.
// Each tool runs in its own process, side by side in the same run: Shipgate's committed action bundle and the
// openapi-diff CLI (heap capped at 4 GB, 3 minutes at most). Wall time from here, peak RSS from /usr/bin/time -v
// (or, without it, from a wrapper that reads process.resourceUsage()).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anchorDag, refDag } from '../test/fixtures/api-compat/dag.js';
import { EDITS } from '../test/fixtures/api-compat/edits.js';

const root = new URL('..', import.meta.url).pathname;
const ghes = (v: string) => join(root, 'node_modules/@octokit/openapi/generated', `ghes-${v}.json`);
const shipgate = join(root, 'actions/api-compat/dist/index.js');
const openapiDiff = join(root, 'node_modules/openapi-diff/dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'shipgate-bench-api-'));
const TIME_LIMIT = Number(process.env.BENCH_TIME_LIMIT_S ?? 120) * 1000;
const RUNS = Number(process.argv[2] ?? 3);

interface Measured {
  code: number | null;
  signal: string | null;
  /** Stopped at the time limit. */
  killed: boolean;
  ms: number;
  rssMb: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `node [nodeArgs] script args` and measures it. */
function measure(nodeArgs: string[], script: string, args: string[]): Promise<Measured> {
  const timeBin = '/usr/bin/time';
  const rssFile = join(work, `rss-${Math.random().toString(36).slice(2)}`);
  const useTime = existsSync(timeBin);
  const [cmd, argv] = useTime
    ? [timeBin, ['-v', '-o', rssFile, process.execPath, ...nodeArgs, script, ...args]]
    : [process.execPath, [...nodeArgs, join(root, 'bench/api-compat-maxrss.mjs'), rssFile, script, ...args]];
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: work, env: { PATH: process.env.PATH ?? '', HOME: work } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // Kill the measured node process, not /usr/bin/time: time then still writes the peak RSS so far.
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      const kids = useTime ? childrenOf(child.pid!) : [];
      for (const pid of kids) process.kill(pid, 'SIGKILL');
      if (!kids.length) child.kill('SIGKILL');
    }, TIME_LIMIT);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      let rssMb: number | undefined;
      try {
        const text = readFileSync(rssFile, 'utf8');
        const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(text);
        rssMb = kb ? Number(kb[1]) / 1024 : Number(text) / 1024 / 1024;
      } catch {
        // Killed before it could write: no figure.
      }
      resolve({ code, signal, killed, ms, rssMb, stdout, stderr });
    });
  });
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const fmt = (m: Measured) =>
  `${(m.ms / 1000).toFixed(2)} s, ${m.rssMb === undefined ? '?' : `${Math.round(m.rssMb)} MB`} peak RSS`;

function median(xs: Measured[]): Measured {
  return [...xs].sort((a, b) => a.ms - b.ms)[Math.floor(xs.length / 2)];
}

async function runShipgate(base: string, head: string, label: string): Promise<{ m: Measured; report: any }> {
  const runs: Measured[] = [];
  const dir = join(work, `reports-${label}`);
  for (let i = 0; i < RUNS; i++) {
    runs.push(
      await measure([], shipgate, [
        '--base',
        base,
        '--head',
        head,
        '--fail-on',
        'never',
        '--report-dir',
        dir,
        '--json',
      ]),
    );
  }
  const m = median(runs);
  if (m.code !== 0) throw new Error(`shipgate failed (exit ${m.code}): ${m.stderr.slice(-2000)}`);
  return { m, report: JSON.parse(readFileSync(join(dir, 'api-compat.json'), 'utf8')) };
}

async function runOpenapiDiff(base: string, head: string): Promise<string> {
  if (process.env.BENCH_OPENAPI_DIFF === '0') return 'not run (BENCH_OPENAPI_DIFF=0)';
  const m = await measure(['--max-old-space-size=4096'], openapiDiff, [base, head]);
  let what: string;
  if (m.killed)
    what = `unfinished, killed at the ${TIME_LIMIT / 1000} s limit${(m.rssMb ?? 0) > 3500 ? ' with its heap near the 4 GB cap' : ''}`;
  else if (/heap out of memory|Allocation failed/i.test(m.stderr))
    what = 'aborted: JavaScript heap out of memory (4 GB cap)';
  else if (m.code === 0 || m.code === 1) {
    const breaking = /(\d+) breaking/i.exec(m.stdout + m.stderr);
    what = `finished (exit ${m.code}${breaking ? `, ${breaking[1]} breaking` : ''})`;
  } else what = `failed (exit ${m.code ?? m.signal}): ${(m.stderr.trim().split('\n').pop() ?? '').slice(0, 160)}`;
  return `${fmt(m)} — ${what}`;
}

// The edited copy of 3.18.
const edited = JSON.parse(readFileSync(ghes('3.18'), 'utf8'));
for (const e of EDITS) e.apply(edited);
const editedFile = join(work, 'ghes-3.18-edited.json');
writeFileSync(editedFile, JSON.stringify(edited, null, 2));

console.log(
  `api-compat benchmark on ${process.platform}/${process.arch}, node ${process.version}, ${RUNS} Shipgate runs (median)\n`,
);

console.log('1. GHES 3.17 → 3.18');
const pair = await runShipgate(ghes('3.17'), ghes('3.18'), 'pair');
console.log(
  `   shipgate      ${fmt(pair.m)} — ${pair.report.changeCount} changes, ${pair.report.breakingCount} breaking, ${pair.report.warningCount} warnings`,
);
console.log(`   openapi-diff  ${await runOpenapiDiff(ghes('3.17'), ghes('3.18'))}`);

console.log(`\n2. GHES 3.18 → 3.18 with ${EDITS.length} scripted breaking edits`);
const ed = await runShipgate(ghes('3.18'), editedFile, 'edits');
const found = EDITS.filter((e) =>
  ed.report.findings.some((f: { rule: string; severity: string }) => f.rule === e.rule && f.severity === 'error'),
);
console.log(
  `   shipgate      ${fmt(ed.m)} — ${ed.report.breakingCount} breaking findings; edits found: ${found.length} of ${EDITS.length}`,
);
for (const e of EDITS.filter((x) => !found.includes(x))) console.log(`     missed: ${e.name} (${e.rule})`);
console.log(`   openapi-diff  ${await runOpenapiDiff(ghes('3.18'), editedFile)}`);

console.log('\n3. Schema DAGs, one leaf type changed');
for (const [name, gen, depth] of [
  ['$ref DAG, 22 levels', refDag, 22],
  ['YAML anchors, 16 levels', anchorDag, 16],
] as const) {
  const label = name.startsWith('$') ? 'ref' : 'anchor';
  const b = join(work, `dag-${label}-base.yaml`);
  const h = join(work, `dag-${label}-head.yaml`);
  writeFileSync(b, gen(depth, 'integer'));
  writeFileSync(h, gen(depth, 'string'));
  const r = await runShipgate(b, h, `dag-${label}`);
  console.log(
    `   shipgate      ${name}: ${fmt(r.m)} — ${r.report.changeCount} changes, ${r.report.breakingCount} breaking`,
  );
}
