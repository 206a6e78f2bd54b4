// Writes every file generated from the step schemas: each action.yml and the README input tables.
// `--check` writes nothing and exits 1 when a generated file is stale, so CI catches a forgotten `npm run gen`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { steps } from '../actions/index.js';
import { actionYml, componentYml, readmeInputs } from './generated.js';
import { generateWorkflow, workflows } from './workflows.js';
import { pipelineYml, pipelines } from './pipelines.js';
import { distribution } from './distribution.js';
import { STAMPED, stampReferences } from './references.js';

const root = new URL('..', import.meta.url).pathname;
const check = process.argv.includes('--check');
const stale: string[] = [];
const dist = distribution(root);

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

// Where Shipgate is published (package.json), in every README, example and workflow comment (scripts/references.ts).
const stepNames = steps.map((s) => s.schema.name);
const components = readdirSync(join(root, 'templates')).map((f) => f.replace(/\.yml$/, ''));
const stamp = (text: string) => stampReferences(text, dist, stepNames, components);

for (const step of steps) {
  const dir = join('actions', step.schema.name);
  emit(join(dir, 'action.yml'), actionYml(step.schema));
  emit(join('templates', `${step.schema.name}.yml`), componentYml(step.schema, dist));
  const readme = join(dir, 'README.md');
  emit(readme, stamp(splice(readFileSync(join(root, readme), 'utf8'), 'inputs', readmeInputs(step.schema))));
}

// The READMEs, examples and demo outside the step folders.
const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
const workflowFiles = new Set(workflows.map((w) => w.file));
for (const file of tracked.filter(
  (f) => STAMPED.test(f) && !workflowFiles.has(f) && !/^actions\/[a-z-]+\/README\.md$/.test(f),
)) {
  emit(file, stamp(readFileSync(join(root, file), 'utf8')));
}

// GitHub reusable workflows: their input blocks and the Shipgate `uses:` lines at the release (scripts/workflows.ts).
for (const w of workflows) emit(w.file, generateWorkflow(stamp(readFileSync(join(root, w.file), 'utf8')), w));

// GitLab whole-pipeline components: service-delivery and multi-service (scripts/pipelines.ts).
for (const p of pipelines(dist)) emit(p.file, pipelineYml(p, dist));

if (stale.length) {
  console.log(`${check ? 'stale' : 'updated'}: ${stale.join(', ')}`);
  if (check) {
    console.log('Run `npm run gen` and commit the result.');
    process.exit(1);
  }
} else console.log('generated files are up to date');
