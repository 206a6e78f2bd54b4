// Type-checks, then bundles each step's action and the CLI with ncc. `--out DIR` writes the bundles under DIR
// (same relative paths) so CI can compare a fresh build with the committed one. `--only` is for development.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const outIdx = process.argv.indexOf('--out');
const outRoot = outIdx === -1 ? root : process.argv[outIdx + 1];
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
  } catch {
    process.exit(1); // the command printed its own errors
  }
};

if (!process.argv.includes('--no-check')) run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);

const entries = readdirSync(join(root, 'actions'))
  .filter((step) => existsSync(join(root, 'actions', step, 'src', 'main.ts')))
  .map((step) => [join('actions', step, 'src', 'main.ts'), join('actions', step, 'dist')]);
entries.push([join('cli', 'main.ts'), join('dist', 'cli')]);
// `--only a,b` bundles just those steps (`cli` for the CLI), for work on one step at a time.
const onlyIdx = process.argv.indexOf('--only');
const only = onlyIdx === -1 ? null : process.argv[onlyIdx + 1].split(',');
const wanted = (out) => !only || only.some((name) => out === join('actions', name, 'dist') || (name === 'cli' && out === join('dist', 'cli')));

for (const [entry, out] of entries.filter(([, out]) => wanted(out))) {
  const dir = join(outRoot, out);
  // Bundle beside the target and swap only on success, so a failed build never leaves an empty dist/ behind.
  const next = `${dir}.next`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  run(bin('ncc'), ['build', entry, '-o', next, '--target', 'es2022', '--quiet', '--license', 'licenses.txt']);
  // ncc names ESM output index.js already; keep a stable trailing newline for diffs.
  const file = join(next, 'index.js');
  const text = readFileSync(file, 'utf8');
  if (!text.endsWith('\n')) writeFileSync(file, text + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(next, dir);
  console.log(`built ${out}/index.js`);
}
