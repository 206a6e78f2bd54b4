// `npm run bench` runs every step's benchmark in pipeline order, one process each; `npm run bench -- <step>` runs one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { steps } from '../actions/index.js';

const root = new URL('..', import.meta.url).pathname;
const names = steps.map((s) => s.schema.name).filter((name) => existsSync(join(root, 'bench', `${name}.ts`)));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !names.includes(w));
if (unknown.length) {
  console.error(`No benchmark named ${unknown.join(', ')}. Expected one of: ${names.join(', ')}.`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : names) {
  console.log(`\n=== bench: ${name} ===`);
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'bench', `${name}.ts`)], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
