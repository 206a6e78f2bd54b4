// Benchmark of perf-baseline (prints numbers; no pass/fail): `npx tsx bench/perf-baseline.ts [duration]` (default 60s).
// One run each, side by side on the same NGINX (Debian package) serving a small file: the action's bundle, run as the
// GitHub runner runs it (with 1 and with 2 worker threads), against wrk (Debian package) with the same connections and
// duration. Printed: req/s, p50 and p99 of each, the ratios (goal: req/s ≥ 0.8 × wrk, p50 within 20 %), Shipgate's peak
// memory (goal: under 200 MB for a 60 s run), and the CPU that other processes used meanwhile (the machine is shared).
// One more row for the open model (`rate`): the highest rate it holds with fewer than 1 % late requests, found by
// doubling and then bisecting the rate over short probes (PROBE_SECONDS each).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDuration } from '../shared/src/duration.js';
import { program } from '../shared/src/testing/daemons.js';
import { startNginx } from '../shared/src/traffic/nginx/testing/nginx.js';
import { ROOT } from '../test/helpers/run-bundle.js';

const duration = process.argv[2] ?? '60s';
const seconds = (parseDuration(duration) ?? 60_000) / 1000;
const CONNECTIONS = 32;
const ACTION = join(ROOT, 'actions/perf-baseline/dist/index.js');
const PROBE_SECONDS = Math.min(seconds, 5);
/** The open model holds a rate when fewer than this share of its requests leave late. */
const LATE_SHARE = 0.01;

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = f.map(Number);
  const idle = n[3] + n[4];
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** utime + stime of a process (and its threads), in jiffies; 0 when it is gone. */
function processCpu(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

function peakRssKb(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** Jiffies the tool's process used; peak RSS in KB (Shipgate only). */
  cpu: number;
  peakKb?: number;
  /** Jiffies the whole machine was busy during the run. */
  machineBusy: number;
  machineTotal: number;
  nginxCpu: number;
}

/** Runs a command, sampling its CPU and peak memory until it exits. */
async function sampled(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  nginxPid: number,
): Promise<{ stdout: string } & Omit<Measured, 'rps' | 'p50' | 'p99'>> {
  const before = machineCpu();
  const nginxBefore = processCpu(nginxPid) + childrenCpu(nginxPid);
  const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'] }); // Shipgate's log and summary go to stderr
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  let cpu = 0;
  let peakKb = 0;
  const timer = setInterval(() => {
    cpu = Math.max(cpu, processCpu(child.pid!));
    peakKb = Math.max(peakKb, peakRssKb(child.pid!));
  }, 100);
  await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(timer);
  const after = machineCpu();
  return {
    stdout,
    cpu,
    peakKb,
    machineBusy: after.busy - before.busy,
    machineTotal: after.total - before.total,
    nginxCpu: processCpu(nginxPid) + childrenCpu(nginxPid) - nginxBefore,
  };
}

/** CPU of NGINX's worker processes (children of the master). */
function childrenCpu(pid: number): number {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
    return kids.reduce((n, k) => n + processCpu(k), 0);
  } catch {
    return 0;
  }
}

/** wrk's latency like `812.00us`, `1.21ms`, `1.02s` → ms. */
function wrkMs(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text)!;
  return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]];
}

async function runWrk(bin: string, url: string, nginxPid: number, threads: number): Promise<Measured> {
  const r = await sampled(
    bin,
    [`-t${threads}`, `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', url],
    process.env,
    nginxPid,
  );
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1]);
  const p50 = wrkMs(/^\s+50%\s+(\S+)/m.exec(r.stdout)![1]);
  const p99 = wrkMs(/^\s+99%\s+(\S+)/m.exec(r.stdout)![1]);
  return { ...r, rps, p50, p99 };
}

/** The autocannon CLI itself, one thread: the ceiling of the library Shipgate drives. */
async function runAutocannon(url: string, nginxPid: number): Promise<Measured> {
  const bin = join(ROOT, 'node_modules', '.bin', 'autocannon');
  const r = await sampled(bin, ['-c', String(CONNECTIONS), '-d', String(seconds), '-j', url], process.env, nginxPid);
  const j = JSON.parse(r.stdout) as { requests: { average: number }; latency: { p50: number; p99: number } };
  return { ...r, rps: j.requests.average, p50: j.latency.p50, p99: j.latency.p99 };
}

async function runShipgate(
  url: string,
  workers: number,
  dir: string,
  nginxPid: number,
  open?: { rate: number; seconds: number },
) {
  const env = {
    PATH: process.env.PATH,
    SHIPGATE_URL: url,
    SHIPGATE_CONNECTIONS: String(CONNECTIONS),
    SHIPGATE_DURATION: `${open?.seconds ?? seconds}s`,
    // a probe is a fresh process: its first second (JIT, the bundle's start-up) is not what the rate is judged on
    SHIPGATE_WARMUP: open ? '1s' : '0',
    SHIPGATE_WORKERS: String(workers),
    SHIPGATE_SAVE: join(dir, `w${workers}.json`),
    SHIPGATE_HISTORY: join(dir, 'history.jsonl'),
    // the open model may open more connections when all are busy, as an arrival-rate executor adds VUs
    ...(open ? { SHIPGATE_RATE: String(open.rate), SHIPGATE_MAX_CONNECTIONS: String(CONNECTIONS * 4) } : {}),
  };
  const r = await sampled(process.execPath, [ACTION, '--json'], env, nginxPid);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const responses = Number(out.rps) * (open?.seconds ?? seconds);
  return {
    ...r,
    rps: Number(out.rps),
    p50: Number(out['p50-ms']),
    p99: Number(out['p99-ms']),
    lateShare: responses ? (Number(out.late) + Number(out.dropped)) / responses : 1,
  };
}

/**
 * The highest rate the open model holds (fewer than 1 % of requests late or dropped) on one thread: doubled from
 * 100/s until it fails, then bisected three times. Returns the last rate that held, as measured.
 */
async function highestOpenRate(url: string, dir: string, nginxPid: number): Promise<{ rate: number; m: Measured }> {
  const probe = (rate: number) => runShipgate(url, 1, dir, nginxPid, { rate, seconds: PROBE_SECONDS });
  let good: { rate: number; m: Measured } | undefined;
  let bad = 0;
  for (let rate = 100; !bad; rate *= 2) {
    const m = await probe(rate);
    console.log(`  open model at ${rate}/s: ${(m.lateShare * 100).toFixed(2)} % late, p99 ${m.p99.toFixed(2)} ms`);
    if (m.lateShare < LATE_SHARE) good = { rate, m };
    else bad = rate;
  }
  for (let i = 0; i < 3 && good; i++) {
    const rate = Math.round((good.rate + bad) / 2);
    const m = await probe(rate);
    console.log(`  open model at ${rate}/s: ${(m.lateShare * 100).toFixed(2)} % late, p99 ${m.p99.toFixed(2)} ms`);
    if (m.lateShare < LATE_SHARE) good = { rate, m };
    else bad = rate;
  }
  if (!good)
    console.log('  the open model did not hold even 100/s with fewer than 1 % late requests: the machine is saturated');
  return good ?? { rate: 0, m: await probe(100) };
}

const wrk = await program('wrk');
if (!existsSync(ACTION)) throw new Error(`${ACTION} is missing: node scripts/build.mjs --only perf-baseline`);
const nginx = await startNginx('server { listen 127.0.0.1:{port}; root {dir}/www; location / { } }');
try {
  mkdirSync(join(nginx.dir, 'www'));
  writeFileSync(
    join(nginx.dir, 'www', 'orders.json'),
    JSON.stringify({ orders: Array.from({ length: 8 }, (_, i) => ({ id: i, total: 12.5 })) }),
  );
  const url = `${nginx.url}/orders.json`;
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-perf-'));
  // warm NGINX's file cache and the CPU frequency before the first measured tool
  await new Promise((resolve) => execFile(wrk, ['-t1', '-c4', '-d2s', url], resolve));

  console.log(
    `perf-baseline vs wrk on NGINX ${url}: ${CONNECTIONS} connections, ${seconds}s each, ${availableParallelism()} cores`,
  );
  // Each load generator is compared with wrk running as many threads: one core against one core, two against two.
  const rows: [string, Measured, number][] = [];
  rows.push(['wrk -t1', await runWrk(wrk, url, nginx.pid, 1), 1]);
  rows.push(['wrk -t2', await runWrk(wrk, url, nginx.pid, 2), 2]);
  rows.push(['autocannon CLI', await runAutocannon(url, nginx.pid), 1]);
  rows.push(['shipgate (1 thread)', await runShipgate(url, 1, dir, nginx.pid), 1]);
  rows.push(['shipgate (workers 2)', await runShipgate(url, 2, dir, nginx.pid), 2]);
  console.log(`Searching the highest rate the open model holds with < 1 % late requests (${PROBE_SECONDS}s probes):`);
  const open = await highestOpenRate(url, dir, nginx.pid);
  rows.push([`shipgate open ${open.rate}/s`, open.m, 1]);

  const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
  const wrkWith = (threads: number) => rows[threads - 1][1];
  console.log(
    '\ntool                   req/s     p50 ms   p99 ms   ratio req/s   ratio p50   peak MB   tool CPU   NGINX CPU   other CPU',
  );
  for (const [name, m, threads] of rows) {
    const w = wrkWith(threads);
    const others = m.machineBusy - m.cpu - m.nginxCpu;
    console.log(
      [
        name.padEnd(20),
        m.rps.toFixed(0).padStart(8),
        m.p50.toFixed(3).padStart(9),
        m.p99.toFixed(3).padStart(8),
        (m.rps / w.rps).toFixed(2).padStart(13),
        (m.p50 / w.p50).toFixed(2).padStart(11),
        (m.peakKb ? (m.peakKb / 1024).toFixed(0) : '-').padStart(9),
        pct(m.cpu / m.machineTotal).padStart(10),
        pct(m.nginxCpu / m.machineTotal).padStart(11),
        pct(Math.max(0, others) / m.machineTotal).padStart(11),
      ].join(' '),
    );
  }
  console.log('\nRatios are against wrk with as many threads (goal: req/s ≥ 0.80, p50 ≤ 1.20).');
  console.log(
    `"shipgate open N/s": the highest rate the open model (rate, 1 thread, ${CONNECTIONS} connections growing up to ${CONNECTIONS * 4}) held with < 1 % late requests; its p50/p99 count from the intended send times.`,
  );
  console.log(
    'CPU columns: share of the whole machine (all cores) during that run; "other" is everything but the tool and NGINX.',
  );
} finally {
  await nginx.stop();
}
