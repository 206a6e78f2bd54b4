// version-tag on a big history: 5,000 tags, then 20,000 commits since the last release tag, built with git fast-import.
// Prints the time to compute the next version (the step in-process, the action bundle and the CLI as processes, all dry
// runs) next to a bare `git log --format=%B <tag>..HEAD` over the same range. Goal: the step within 3x of the bare log.
//   npx tsx bench/version-tag.ts [--commits 20000] [--tags 5000] [--runs 5]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { versionTag } from '../actions/version-tag/src/step.js';
import { LocalPlatform } from '../shared/src/platform/index.js';
import { run } from '../shared/src/run.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const COMMITS = arg('commits', 20_000);
const TAGS = arg('tags', 5_000);
const RUNS = arg('runs', 5);
const root = new URL('..', import.meta.url).pathname;

const MESSAGES = [
  'chore(deps): bump lodash',
  'docs: explain the retry loop',
  'refactor(core): split the parser\n\nNo behaviour change.',
  'test: cover the empty case',
  'fix(api): handle empty bodies\n\nCloses #12',
  'perf(db): batch the inserts',
  "Merge branch 'topic'",
  'ci: cache node_modules',
];

/** The fast-import stream: TAGS tagged commits (release, rc and other-prefix tags), then COMMITS untagged ones. */
function stream(): string {
  const parts: string[] = [];
  const total = TAGS + COMMITS;
  for (let i = 1; i <= total; i++) {
    // a single feat near the end decides the bump; everything else is noise the parser must read
    const message = i === total - 100 ? 'feat(search): fuzzy matching' : MESSAGES[i % MESSAGES.length];
    const data = Buffer.byteLength(message);
    const file = `services/svc${i % 10}/state.txt`;
    const content = `${i}\n`;
    parts.push(
      `commit refs/heads/main\nmark :${i}\ncommitter Dev <dev@example.com> ${1_600_000_000 + i} +0000\ndata ${data}\n${message}\n` +
        (i > 1 ? `from :${i - 1}\n` : '') +
        `M 644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`,
    );
    if (i <= TAGS) {
      const kind = i % 10;
      const tag = kind === 0 ? `v1.${i}.0-rc.1` : kind === 1 ? `other-service/v2.${i}.0` : `v1.${i}.0`;
      parts.push(`reset refs/tags/${tag}\nfrom :${i}\n\n`);
    }
  }
  return parts.join('');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const samples: number[] = [];
  await fn(); // warm the page cache and the JIT
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

const dir = mkdtempSync(join(tmpdir(), 'shipgate-bench-vt-'));
const keep = process.argv.includes('--keep');
try {
  const t0 = performance.now();
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', dir]);
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream(), maxBuffer: 1 << 30 });
  execFileSync('git', ['checkout', '--quiet', 'main'], { cwd: dir });
  // as a clone has them: git clone writes every ref into packed-refs
  execFileSync('git', ['pack-refs', '--all'], { cwd: dir });
  const lastTag = execFileSync(
    'git',
    ['describe', '--tags', '--abbrev=0', '--match', 'v*[0-9]', '--exclude', '*-rc.*', 'HEAD'],
    { cwd: dir, encoding: 'utf8' },
  ).trim();
  console.log(
    `repository: ${TAGS + COMMITS} commits, ${TAGS} tags, built in ${((performance.now() - t0) / 1000).toFixed(1)} s; last release ${lastTag}`,
  );

  const bare = await time(() =>
    execFileSync('git', ['log', '--format=%B', `${lastTag}..HEAD`], { cwd: dir, maxBuffer: 1 << 30 }),
  );
  let outputs: Record<string, string> = {};
  const step = await time(async () => {
    let out = '';
    const platform = new LocalPlatform({
      env: {},
      flags: { 'dry-run': 'true' },
      json: true,
      cwd: dir,
      stdout: (t) => void (out += t),
      stderr: () => undefined,
    });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const code = await run(versionTag, platform);
      if (code !== 0) throw new Error(`version-tag exited ${code}`);
    } finally {
      process.chdir(cwd);
    }
    outputs = JSON.parse(out.trim().split('\n').pop()!);
  });
  // The bundles as a runner starts them; a bundle not built yet is reported, not timed.
  const processTime = async (bundle: string) =>
    existsSync(join(root, bundle))
      ? time(() =>
          execFileSync(
            process.execPath,
            [join(root, bundle), ...(bundle.startsWith('bin') ? ['version-tag'] : []), '--dry-run', '--json'],
            { cwd: dir, maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] },
          ),
        )
      : undefined;
  const action = await processTime('actions/version-tag/dist/index.js');
  const cli = existsSync(join(root, 'dist/cli/index.js')) ? await processTime('bin/shipgate.js') : undefined;
  if (outputs['previous-tag'] !== lastTag || outputs.bump !== 'minor')
    throw new Error(`unexpected result: ${JSON.stringify(outputs)}`);

  console.log(`next version: ${outputs['previous-tag']} → ${outputs.tag} (${outputs.bump}) over ${COMMITS} commits`);
  console.log(`bare git log --format=%B ${lastTag}..HEAD   ${bare.toFixed(0).padStart(6)} ms`);
  console.log(
    `version-tag, in-process (dry run)          ${step.toFixed(0).padStart(6)} ms   ${(step / bare).toFixed(2)}x  (goal ≤ 3x)`,
  );
  const row = (label: string, ms: number | undefined, note: string) =>
    console.log(
      `${label.padEnd(43)}${ms === undefined ? '   (not built: node scripts/build.mjs --only version-tag,cli)' : `${ms.toFixed(0).padStart(6)} ms   ${(ms / bare).toFixed(2)}x  (${note})`}`,
    );
  row('action bundle as a process (dry run)', action, 'includes Node start-up');
  row('shipgate CLI as a process (dry run)', cli, 'includes loading every step');
  console.log(`median of ${RUNS} runs after one warm-up`);
} finally {
  if (keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
