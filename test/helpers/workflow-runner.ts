// Runs a Shipgate reusable workflow the way GitHub's runner would, as far as these workflows need it: jobs in `needs`
// order with their `if:`, matrices (fail-fast, max-parallel), nested reusable workflows, and steps — the committed step
// bundles under Node 24 with INPUT_*/GITHUB_OUTPUT/GITHUB_STEP_SUMMARY/GITHUB_ENV, `run:` scripts under bash as the runner
// starts them, and checkout/upload-artifact/download-artifact done on the local disk. Every `${{ }}` is the
// workflow's own, evaluated by workflow-expressions.ts. No GitHub, no Docker: the workspace is the caller's checkout.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { asString, condition, interpolate, interpolateDeep, type Scope, type Value } from './workflow-expressions.js';
import { node24, ROOT, runProcess } from './run-bundle.js';

export type Result = 'success' | 'failure' | 'skipped' | 'cancelled';

export interface StepRun {
  id?: string;
  name: string;
  /** The Shipgate step an action step ran, e.g. `blue-green-switch`. */
  step?: string;
  outcome: Result;
  with: Record<string, string>;
  outputs: Record<string, string>;
  log: string;
}

export interface JobRun {
  job: string;
  matrix?: Record<string, Value>;
  result: Result;
  outputs: Record<string, string>;
  steps: StepRun[];
  summary: string;
  /** The run of the workflow a `uses:` job called. */
  nested?: WorkflowRun;
}

export interface WorkflowRun {
  file: string;
  jobs: Record<string, JobRun[]>;
  outputs: Record<string, string>;
  /** `job/step-id: outcome` in the order things ran (legs of a matrix running in parallel interleave). */
  events: string[];
}

export interface RunOptions {
  /** The caller's checkout: every job's working directory. */
  workspace: string;
  secrets?: Record<string, string>;
  /** Extra variables of the runner's environment (e.g. GITHUB_ACTOR). */
  env?: Record<string, string>;
  /** Where uploaded artifacts live; shared by nested workflows of one run. */
  artifacts?: string;
  events?: string[];
}

type Doc = Record<string, any>;

/** `name=value` and `name<<DELIM` lines of GITHUB_OUTPUT / GITHUB_ENV files. */
export function commandFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(file)) return out;
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value: string[] = [];
      while (i + 1 < lines.length && lines[++i] !== heredoc[2]) value.push(lines[i]);
      out[heredoc[1]] = value.join('\n');
    } else {
      const eq = lines[i].indexOf('=');
      if (eq > 0) out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return out;
}

/** A Shipgate reference (`OWNER/shipgate/actions/<step>@v1`, `…/.github/workflows/<file>@v1`) → the local path. */
function shipgatePath(uses: string): { action?: string; workflow?: string } {
  const action = /^[\w.-]+\/[\w.-]+\/actions\/([a-z-]+)@[\w.-]+$/.exec(uses);
  if (action) return { action: action[1] };
  const workflow = /^[\w.-]+\/[\w.-]+\/(\.github\/workflows\/shipgate-[\w.-]+)@[\w.-]+$/.exec(uses);
  if (workflow) return { workflow: join(ROOT, workflow[1]) };
  return {};
}

function declaredInputs(doc: Doc, given: Record<string, Value>): Record<string, Value> {
  const decl = (doc.on?.workflow_call?.inputs ?? {}) as Record<
    string,
    { type: string; default?: Value; required?: boolean }
  >;
  const out: Record<string, Value> = {};
  for (const [name, d] of Object.entries(decl)) {
    if (d.required && given[name] === undefined) throw new Error(`required input '${name}' not given`);
    out[name] = given[name] ?? d.default ?? (d.type === 'boolean' ? false : d.type === 'number' ? 0 : '');
  }
  for (const name of Object.keys(given)) if (!(name in decl)) throw new Error(`input '${name}' is not declared`);
  return out;
}

/** One job's matrix legs: each key's evaluated list, crossed (include/exclude are not used by these workflows). */
function legs(strategy: Doc | undefined, scope: Scope): Record<string, Value>[] {
  const matrix = strategy?.matrix ? (interpolateDeep(strategy.matrix, scope) as Record<string, Value[]>) : undefined;
  if (!matrix) return [{}];
  let out: Record<string, Value>[] = [{}];
  for (const [k, values] of Object.entries(matrix)) out = out.flatMap((l) => values.map((v) => ({ ...l, [k]: v })));
  return out;
}

export async function runWorkflow(file: string, inputs: Record<string, Value>, opts: RunOptions): Promise<WorkflowRun> {
  const doc = parse(readFileSync(file, 'utf8')) as Doc;
  const artifacts = opts.artifacts ?? mkdtempSync(join(tmpdir(), 'shipgate-artifacts-'));
  const events = opts.events ?? [];
  const base: Record<string, Value> = {
    inputs: declaredInputs(doc, inputs),
    secrets: opts.secrets ?? {},
    github: { token: '', repository: 'acme/shop', actor: 'octocat', run_id: '1' },
    vars: {},
  };
  const run: WorkflowRun = { file, jobs: {}, outputs: {}, events };
  const jobs = doc.jobs as Record<string, Doc>;
  const pending = Object.keys(jobs);
  while (pending.length) {
    const id = pending.find((j) => ([] as string[]).concat(jobs[j].needs ?? []).every((n) => run.jobs[n]));
    if (!id) throw new Error(`jobs ${pending.join(', ')} wait on each other`);
    pending.splice(pending.indexOf(id), 1);
    run.jobs[id] = await runJob(id, jobs[id], run, base, { ...opts, artifacts, events });
  }
  const scope: Scope = {
    contexts: {
      ...base,
      jobs: Object.fromEntries(
        Object.entries(run.jobs).map(([k, v]) => [k, { outputs: v.at(-1)!.outputs, result: v.at(-1)!.result }]),
      ),
    },
  };
  for (const [name, o] of Object.entries((doc.on?.workflow_call?.outputs ?? {}) as Record<string, { value: string }>))
    run.outputs[name] = asString(interpolate(o.value, scope));
  return run;
}

/** A job's result over its legs: failure wins, then cancelled, then success; all skipped is skipped. */
function overall(results: Result[]): Result {
  for (const r of ['failure', 'cancelled', 'success'] as Result[]) if (results.includes(r)) return r;
  return 'skipped';
}

async function runJob(
  id: string,
  job: Doc,
  run: WorkflowRun,
  base: Record<string, Value>,
  opts: RunOptions & { artifacts: string; events: string[] },
): Promise<JobRun[]> {
  const needs = ([] as string[]).concat(job.needs ?? []);
  const needsCtx = Object.fromEntries(
    needs.map((n) => {
      const r = run.jobs[n];
      return [n, { result: overall(r.map((l) => l.result)), outputs: r.at(-1)!.outputs }];
    }),
  );
  const status = needs.every((n) => needsCtx[n].result === 'success') ? 'success' : 'failure';
  const scope: Scope = { contexts: { ...base, needs: needsCtx }, status };
  const skipped = (): JobRun[] => {
    opts.events.push(`${id}: skipped`);
    return [{ job: id, result: 'skipped', outputs: {}, steps: [], summary: '' }];
  };
  if (!condition(job.if, scope)) return skipped();
  const matrix = legs(job.strategy, scope);
  const failFast = job.strategy?.['fail-fast'] ?? true;
  const sequential = job.strategy?.['max-parallel'] === 1;
  const results: JobRun[] = new Array(matrix.length);
  let failed = false;
  const leg = async (i: number) => {
    if (failed && failFast) {
      results[i] = { job: id, matrix: matrix[i], result: 'cancelled', outputs: {}, steps: [], summary: '' };
      opts.events.push(`${id}[${i}]: cancelled`);
      return;
    }
    const legScope: Scope = {
      ...scope,
      contexts: { ...scope.contexts, matrix: matrix[i], strategy: { 'job-index': i, 'job-total': matrix.length } },
    };
    results[i] = job.uses ? await callWorkflow(id, job, legScope, opts) : await runSteps(id, job, legScope, opts);
    results[i].matrix = matrix[i];
    if (results[i].result === 'failure') failed = true;
  };
  if (sequential) for (let i = 0; i < matrix.length; i++) await leg(i);
  else await Promise.all(matrix.map((_, i) => leg(i)));
  return results;
}

async function callWorkflow(
  id: string,
  job: Doc,
  scope: Scope,
  opts: RunOptions & { artifacts: string; events: string[] },
): Promise<JobRun> {
  const { workflow } = shipgatePath(job.uses);
  if (!workflow) throw new Error(`job ${id}: only Shipgate's own workflows can be called here, not ${job.uses}`);
  const inputs = interpolateDeep(job.with ?? {}, scope) as Record<string, Value>;
  const secrets = Object.fromEntries(
    Object.entries(job.secrets ?? {}).map(([k, v]) => [k, asString(interpolate(String(v), scope))]),
  );
  const nested = await runWorkflow(workflow, inputs, { ...opts, secrets });
  const result = overall(Object.values(nested.jobs).flatMap((ls) => ls.map((l) => l.result)));
  opts.events.push(`${id}: ${result}`);
  return { job: id, result, outputs: nested.outputs, steps: [], summary: '', nested };
}

async function runSteps(
  id: string,
  job: Doc,
  scope: Scope,
  opts: RunOptions & { artifacts: string; events: string[] },
): Promise<JobRun> {
  const temp = mkdtempSync(join(tmpdir(), `shipgate-job-${id}-`));
  const summaryFile = join(temp, 'summary.md');
  const envFile = join(temp, 'env');
  writeFileSync(summaryFile, '');
  writeFileSync(envFile, '');
  const steps: Record<string, { outputs: Record<string, string>; outcome: Result; conclusion: Result }> = {};
  const ran: StepRun[] = [];
  let status: 'success' | 'failure' = 'success';
  const label =
    scope.contexts.matrix && Object.keys(scope.contexts.matrix as object).length
      ? `${id}(${Object.values(scope.contexts.matrix as object).join(',')})`
      : id;
  for (const [n, step] of (job.steps as Doc[]).entries()) {
    const stepScope: Scope = { contexts: { ...scope.contexts, steps, runner: { temp } }, status };
    const name = step.name ? asString(interpolate(step.name, stepScope)) : (step.id ?? step.uses ?? `step ${n + 1}`);
    const record: StepRun = { id: step.id, name, outcome: 'skipped', with: {}, outputs: {}, log: '' };
    if (condition(step.if, stepScope)) {
      record.with = Object.fromEntries(
        Object.entries(step.with ?? {}).map(([k, v]) => [k, asString(interpolate(String(v), stepScope))]),
      );
      const env = {
        ...commandFile(envFile),
        ...(Object.fromEntries(
          Object.entries(step.env ?? {}).map(([k, v]) => [k, asString(interpolate(String(v), stepScope))]),
        ) as Record<string, string>),
      };
      const r = await runStep(step, record, env, {
        temp,
        summaryFile,
        envFile,
        artifacts: opts.artifacts,
        workspace: opts.workspace,
        runnerEnv: opts.env ?? {},
      });
      record.outcome = r.ok ? 'success' : 'failure';
      record.outputs = r.outputs;
      record.log = r.log;
      if (!r.ok && !step['continue-on-error']) status = 'failure';
    }
    opts.events.push(`${label}/${step.id ?? name}: ${record.outcome}`);
    if (step.id) steps[step.id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.outcome };
    ran.push(record);
  }
  const outScope: Scope = { contexts: { ...scope.contexts, steps } };
  const outputs = Object.fromEntries(
    Object.entries(job.outputs ?? {}).map(([k, v]) => [k, asString(interpolate(String(v), outScope))]),
  );
  return { job: id, result: status, outputs, steps: ran, summary: readFileSync(summaryFile, 'utf8') };
}

interface StepEnv {
  temp: string;
  summaryFile: string;
  envFile: string;
  artifacts: string;
  workspace: string;
  runnerEnv: Record<string, string>;
}

async function runStep(
  step: Doc,
  record: StepRun,
  env: Record<string, string>,
  ctx: StepEnv,
): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
  const outputFile = join(ctx.temp, `output-${Math.random().toString(36).slice(2)}`);
  writeFileSync(outputFile, '');
  const runnerEnv = {
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKSPACE: ctx.workspace,
    RUNNER_TEMP: ctx.temp,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: ctx.summaryFile,
    GITHUB_ENV: ctx.envFile,
    ...ctx.runnerEnv,
    ...env,
  };
  if (step.run !== undefined) {
    const script = join(ctx.temp, `script-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(script, String(step.run));
    const r = await runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      env: runnerEnv,
      cwd: ctx.workspace,
    });
    return { ok: r.code === 0, outputs: commandFile(outputFile), log: r.stdout + r.stderr };
  }
  const uses = String(step.uses);
  const { action } = shipgatePath(uses);
  if (action) {
    record.step = action;
    const inputs = Object.fromEntries(Object.entries(record.with).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
    const bundle = join(ROOT, 'actions', action, 'dist', 'index.js');
    const r = await runProcess(node24(), [bundle], {
      env: { ...runnerEnv, ...inputs },
      cwd: ctx.workspace,
      timeoutMs: 180_000,
    });
    return { ok: r.code === 0, outputs: commandFile(outputFile), log: r.stdout + r.stderr };
  }
  if (uses.startsWith('actions/checkout@')) return { ok: true, outputs: {}, log: 'the workspace is the checkout' };
  if (uses.startsWith('actions/upload-artifact@')) {
    const src = join(ctx.workspace, record.with.path);
    if (!existsSync(src))
      return { ok: record.with['if-no-files-found'] !== 'error', outputs: {}, log: `no files at ${record.with.path}` };
    const dest = join(ctx.artifacts, record.with.name);
    mkdirSync(dest, { recursive: true });
    cpSync(src, join(dest, basename(src)), { recursive: true });
    return { ok: true, outputs: {}, log: `uploaded ${record.with.path} as ${record.with.name}` };
  }
  if (uses.startsWith('actions/download-artifact@')) {
    const prefix = record.with.pattern.replace(/\*$/, '');
    const dest = join(ctx.workspace, record.with.path);
    mkdirSync(dest, { recursive: true });
    const names = readdirSync(ctx.artifacts).filter((n) => n.startsWith(prefix));
    for (const n of names)
      cpSync(join(ctx.artifacts, n), record.with['merge-multiple'] === 'true' ? dest : join(dest, n), {
        recursive: true,
      });
    return { ok: true, outputs: { 'download-path': dest }, log: `downloaded ${names.length} artifacts` };
  }
  throw new Error(`step uses ${uses}: not something this runner knows`);
}
