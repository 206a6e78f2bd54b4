// Fails when a committed bundle or generated file differs from a fresh build of the sources.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = mkdtempSync(join(tmpdir(), 'shipgate-dist-'));
try {
  execFileSync('node', [join(root, 'scripts/build.mjs'), '--out', out], { cwd: root, stdio: 'inherit' });
  const stale = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const rel = relative(out, p);
        const committed = join(root, rel);
        if (!existsSync(committed) || !readFileSync(committed).equals(readFileSync(p))) stale.push(rel);
      }
    }
  };
  walk(out);
  // A chunk the fresh build no longer makes (chunk names carry a hash of their content) is stale too.
  const bundleDirs = [
    join('dist', 'cli'),
    ...readdirSync(join(root, 'actions')).map((s) => join('actions', s, 'dist')),
  ];
  for (const dir of bundleDirs.filter((d) => existsSync(join(root, d)))) {
    for (const f of readdirSync(join(root, dir)))
      if (!existsSync(join(out, dir, f))) stale.push(`${join(dir, f)} (no longer built: delete it)`);
  }
  if (stale.length) {
    console.error(`Stale bundles (run \`npm run build\` and commit them):\n  ${stale.join('\n  ')}`);
    process.exit(1);
  }
  console.log('dist/ bundles match a fresh build');
} finally {
  rmSync(out, { recursive: true, force: true });
}
execFileSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/gen.ts'), '--check'], {
  cwd: root,
  stdio: 'inherit',
});
