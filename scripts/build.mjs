// Type-checks, then bundles each step's action and the CLI with esbuild. `--out DIR` writes the bundles under DIR
// (same relative paths) so CI can compare a fresh build with the committed one. `--only` is for development.
//
// Minified ES modules, split at the dynamic imports: what only one backend or forge needs (the Kubernetes client,
// Octokit, gitbeaker) is a chunk that is read when that code runs, so a step starts by parsing only its own code.
// Tree-shaking keeps the parts of a library the code names; no source maps ship (a stack trace keeps the names).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

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
const wanted = (out) =>
  !only ||
  only.some((name) => out === join('actions', name, 'dist') || (name === 'cli' && out === join('dist', 'cli')));

// CommonJS dependencies call require() for Node's modules; an ES module has none, so each file makes its own.
const banner =
  "import { createRequire as __shipgateRequire } from 'node:module'; const require = __shipgateRequire(import.meta.url);";

/**
 * @actions/http-client (and undici under it, 400 kB) has no side effects when loaded, but as CommonJS the bundler
 * cannot know: said here, it goes only where a client is made (Octokit's lazy chunk), not into every step's start
 * through @actions/core, whose OIDC client Shipgate never uses.
 */
const pure = {
  name: 'pure-http-client',
  setup(build) {
    build.onResolve({ filter: /^@actions\/http-client(\/|$)/ }, async (args) => {
      if (args.pluginData === 'pure') return undefined;
      const { path, errors } = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'pure',
      });
      return errors.length ? { errors } : { path, sideEffects: false };
    });
  },
};

/** The license texts of every npm package that went into the bundle, one file per bundle. */
function licenses(inputs) {
  const packages = new Map();
  for (const file of Object.keys(inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(file);
    if (m && !packages.has(m[1]))
      packages.set(m[1], JSON.parse(readFileSync(join(root, m[1], 'package.json'), 'utf8')));
  }
  const parts = [];
  for (const [dir, pkg] of [...packages].sort(([, a], [, b]) => a.name.localeCompare(b.name))) {
    const file = readdirSync(join(root, dir)).find((f) => /^(licen[cs]e|copying)/i.test(f));
    parts.push(
      `${pkg.name}\n${pkg.license ?? 'UNKNOWN'}\n${file ? readFileSync(join(root, dir, file), 'utf8').trim() : ''}`,
    );
  }
  return parts.join('\n\n') + '\n';
}

for (const [entry, out] of entries.filter(([, out]) => wanted(out))) {
  const dir = join(outRoot, out);
  // Bundle beside the target and swap only on success, so a failed build never leaves an empty dist/ behind.
  const next = `${dir}.next`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(dirname(next), { recursive: true });
  let result;
  try {
    result = await build({
      absWorkingDir: root,
      entryPoints: { index: entry },
      outdir: next,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      splitting: true,
      chunkNames: 'chunk-[hash]',
      minify: true,
      keepNames: true,
      legalComments: 'none',
      banner: { js: banner },
      plugins: [pure],
      alias: { 'whatwg-url': './scripts/whatwg-url.mjs' },
      metafile: true,
      logLevel: 'warning',
    });
  } catch {
    process.exit(1); // esbuild printed its own errors
  }
  // `--meta` keeps esbuild's account of what went where, for looking into a bundle's size (esbuild.github.io/analyze).
  if (process.argv.includes('--meta')) writeFileSync(`${dir}.meta.json`, JSON.stringify(result.metafile));
  writeFileSync(join(next, 'licenses.txt'), licenses(result.metafile.inputs));
  writeFileSync(join(next, 'package.json'), '{\n  "type": "module"\n}\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(next, dir);
  console.log(`built ${out}/index.js`);
}
