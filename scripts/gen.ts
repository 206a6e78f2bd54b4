// Writes every file generated from the step schemas: each action.yml and the README input tables.
// `--check` writes nothing and exits 1 when a generated file is stale, so CI catches a forgotten `npm run gen`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { steps } from '../cli/steps.js';
import { actionYml, componentYml, readmeInputs } from './generated.js';
import { generateWorkflow, workflows } from './workflows.js';
import { pipelineYml, pipelines } from './pipelines.js';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const stale: string[] = [];
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

function emit(path: string, content: string): void {
  const file = join(root, path);
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // A missing file is stale.
  }
  if (current === content) return;
  stale.push(path);
  if (!check) writeFileSync(file, content);
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
function splice(text: string, name: string, body: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a === -1 || b === -1) return text;
  return text.slice(0, a + start.length) + '\n' + body + '\n' + text.slice(b);
}

for (const step of steps) {
  const dir = join('actions', step.schema.name);
  emit(join(dir, 'action.yml'), actionYml(step.schema));
  emit(join('templates', `${step.schema.name}.yml`), componentYml(step.schema, version));
  const readme = join(dir, 'README.md');
  emit(readme, splice(readFileSync(join(root, readme), 'utf8'), 'inputs', readmeInputs(step.schema)));
}

// GitHub reusable workflows: their input blocks and the Shipgate `uses:` lines (scripts/workflows.ts).
for (const w of workflows) emit(w.file, generateWorkflow(readFileSync(join(root, w.file), 'utf8'), w));

// GitLab whole-pipeline components: service-delivery and multi-service (scripts/pipelines.ts).
for (const p of pipelines(version)) emit(p.file, pipelineYml(p, version));

if (stale.length) {
  console.log(`${check ? 'stale' : 'updated'}: ${stale.join(', ')}`);
  if (check) {
    console.log('Run `npm run gen` and commit the result.');
    process.exit(1);
  }
} else console.log('generated files are up to date');
