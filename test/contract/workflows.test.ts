import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  actionRef,
  generateWorkflow,
  isStepInput,
  MAJOR_REF,
  RELEASE_REF,
  REPO,
  stepSchemas,
  workflowRef,
  workflows,
} from '../../scripts/workflows.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A Shipgate step action or workflow at the exact release (package.json's `shipgate.github` and `version`). */
const OWN_ACTION = new RegExp(`^${esc(REPO)}/actions/([a-z-]+)@${esc(RELEASE_REF)}$`);
const OWN_ANY = new RegExp(`^${esc(REPO)}/(actions/([a-z-]+)|\\.github/workflows/([\\w.-]+))@${esc(RELEASE_REF)}$`);
import type { InputSpec } from '../../shared/src/inputs.js';
import { expressions } from '../helpers/workflow-expressions.js';
import { ROOT } from '../helpers/run-bundle.js';

// The reusable workflows against the step schemas (one source of truth) and against themselves (the wiring).
type Doc = Record<string, any>;
type Decl = { type: string; default?: unknown; required?: boolean; description: string };

const load = (file: string) => parse(readFileSync(join(ROOT, file), 'utf8')) as Doc;
const declOf = (doc: Doc) => (doc.on.workflow_call.inputs ?? {}) as Record<string, Decl>;
const sameSpec = (a: InputSpec, b: InputSpec) =>
  a.type === b.type &&
  a.default === b.default &&
  (a.required ?? false) === (b.required ?? false) &&
  String(a.options) === String(b.options);

/** Every Shipgate step action a workflow uses, with its job and step. */
function stepUses(doc: Doc): { job: string; step: Doc; name: string }[] {
  return Object.entries(doc.jobs as Record<string, Doc>).flatMap(([job, j]) =>
    (j.steps ?? []).flatMap((step: Doc) => {
      const m = OWN_ACTION.exec(step.uses ?? '');
      return m ? [{ job, step, name: m[1] }] : [];
    }),
  );
}

/** Every string in a node, however deep, with the path it sits at. */
function strings(node: unknown, path = '', out: [string, string][] = []): [string, string][] {
  if (typeof node === 'string') out.push([path, node]);
  else if (Array.isArray(node)) node.forEach((n, i) => strings(n, `${path}[${i}]`, out));
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) strings(v, path ? `${path}.${k}` : k, out);
  return out;
}

/** The outputs actions/create-github-app-token documents (its action.yml). */
const APP_TOKEN_OUTPUTS = ['token', 'installation-id', 'app-slug'];

describe.each(workflows.map((w) => [w.file, w] as const))('%s', (file, spec) => {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const doc = load(file);
  const decl = declOf(doc);
  const byName = new Map(spec.inputs.map((i) => [i.name, i]));
  const used = new Set(stepUses(doc).map((u) => u.name));

  it('is the generated text (npm run gen is not stale)', () => {
    expect(text).toBe(generateWorkflow(text, spec));
  });

  it("declares each step input with the schema's name, default and required flag", () => {
    expect(Object.keys(decl)).toEqual(spec.inputs.map((i) => i.name));
    for (const input of spec.inputs.filter(isStepInput)) {
      const s = stepSchemas[input.from.step].inputs[input.from.input];
      const d = decl[input.name];
      // The rule: the plain name, or `<step>-<name>` when the plain name means something else in this workflow.
      expect([input.from.input, `${input.from.step}-${input.from.input}`], input.name).toContain(input.name);
      expect(d.required, input.name).toBe(s.required ?? false);
      expect(d.default === undefined ? undefined : String(d.default), input.name).toBe(s.default);
      expect(d.type, input.name).toBe(
        s.type === 'boolean' ? 'boolean' : s.type === 'integer' && s.default !== undefined ? 'number' : 'string',
      );
      expect(
        used.has(input.from.step) || file.endsWith('multi-service.yml'),
        `${input.name}: step ${input.from.step} is not used`,
      ).toBe(true);
    }
  });

  it('gives a name one meaning: a prefixed input exists only where another step of the workflow has the plain name', () => {
    for (const input of spec.inputs.filter(isStepInput).filter((i) => i.name !== i.from.input)) {
      const others = [...used].filter((step) => step !== input.from.step && stepSchemas[step].inputs[input.from.input]);
      expect(others, input.name).not.toEqual([]);
      // …and the plain name, when the workflow declares it, is not this step's input.
      const plain = byName.get(input.from.input);
      if (plain && isStepInput(plain)) expect(plain.from.step).not.toBe(input.from.step);
    }
    // Workflow-only inputs never shadow a step input of the workflow's steps.
    for (const input of spec.inputs.filter((i) => !isStepInput(i))) {
      for (const step of used)
        expect(stepSchemas[step].inputs[input.name], `${input.name} shadows ${step}'s input`).toBeUndefined();
    }
  });

  it('passes every workflow input only to the step input it is, one of the same spec, or one it feeds on purpose', () => {
    for (const { step, name } of stepUses(doc)) {
      const schema = stepSchemas[name];
      for (const [key, value] of Object.entries((step.with ?? {}) as Record<string, unknown>)) {
        expect(schema.inputs[key], `${name} has no input '${key}'`).toBeDefined();
        const m = /^\$\{\{ (?:inputs|steps\.settings\.outputs)\.([\w-]+) \}\}$/.exec(String(value));
        if (!m) continue;
        const input = byName.get(m[1]);
        expect(input, `${name}.${key} ← ${m[1]}`).toBeDefined();
        if (!input || !isStepInput(input)) continue;
        const direct = input.from.step === name && input.from.input === key;
        const fed = (input.feeds ?? []).some((f) => f.step === name && f.input === key);
        const shared =
          input.from.input === key &&
          input.name === key &&
          sameSpec(stepSchemas[input.from.step].inputs[key], schema.inputs[key]);
        expect(direct || fed || shared, `${name}.${key} ← ${m[1]} (${input.from.step}.${input.from.input})`).toBe(true);
      }
      for (const [key, s] of Object.entries(schema.inputs))
        if (s.required) expect(step.with?.[key], `${name}: required '${key}'`).toBeDefined();
    }
    for (const input of spec.inputs.filter(isStepInput)) {
      for (const f of input.feeds ?? [])
        expect(stepSchemas[f.step].inputs[f.input].type).toBe(
          stepSchemas[input.from.step].inputs[input.from.input].type,
        );
    }
  });

  it('references step actions as <repository>/actions/<step>@v<version> and workflows as <repository>/.github/workflows/<file>@v<version>', () => {
    for (const [, s] of strings(doc).filter(([p]) => /(^|\.)uses$/.test(p))) {
      if (s.startsWith('actions/')) continue;
      const m = OWN_ANY.exec(s);
      expect(m, s).not.toBeNull();
      if (m![2]) expect(s).toBe(actionRef(m![2]));
      if (m![3]) {
        expect(s).toBe(workflowRef(m![3]));
        expect(existsSync(join(ROOT, '.github/workflows', m![3]))).toBe(true);
      }
      if (m![2]) expect(stepSchemas[m![2]], s).toBeDefined();
    }
  });

  it('wires every needs, job output, step output, input, secret and matrix reference to something that exists', () => {
    const jobs = doc.jobs as Record<string, Doc>;
    const secrets = Object.keys(doc.on.workflow_call.secrets ?? {});
    for (const [path, value] of strings(doc.on.workflow_call.outputs ?? {})) {
      for (const expr of expressions(value)) {
        for (const [, job, out] of expr.matchAll(/\bjobs\.([\w-]+)\.outputs\.([\w-]+)/g))
          expect(Object.keys(jobs[job]?.outputs ?? {}), `${path}: ${expr}`).toContain(out);
      }
    }
    for (const [id, job] of Object.entries(jobs)) {
      const needs: string[] = [].concat(job.needs ?? []);
      for (const n of needs) expect(Object.keys(jobs), `${id} needs ${n}`).toContain(n);
      const stepIds: string[] = (job.steps ?? []).map((s: Doc) => s.id).filter(Boolean);
      const matrixKeys = Object.keys(job.strategy?.matrix ?? {});
      for (const [path, value] of strings(job)) {
        for (const expr of expressions(value)) {
          const at = `${id}.${path}: ${expr}`;
          for (const [, j, o] of expr.matchAll(/\bneeds\.([\w-]+)\.outputs\.([\w-]+)/g)) {
            expect(needs, at).toContain(j);
            expect(Object.keys(jobs[j].outputs ?? {}), at).toContain(o);
          }
          for (const [, s, o] of expr.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
            expect(stepIds, at).toContain(s);
            const step = (job.steps as Doc[]).find((x) => x.id === s)!;
            const action = OWN_ACTION.exec(step.uses ?? '');
            if (action) expect(Object.keys(stepSchemas[action[1]].outputs), at).toContain(o);
            else if (s === 'settings')
              expect(Object.keys(decl), at).toContain(o); // one output per workflow input
            else if (/^actions\/create-github-app-token@/.test(step.uses ?? ''))
              expect(APP_TOKEN_OUTPUTS, at).toContain(o);
            else expect(String(step.run ?? ''), at).toMatch(new RegExp(`\\b${o}(=|<<)`));
          }
          for (const [, s] of expr.matchAll(/\bsteps\.([\w-]+)\.(?:outcome|conclusion)/g))
            expect(stepIds, at).toContain(s);
          for (const [, name] of expr.matchAll(/\binputs\.([\w-]+)/g)) expect(Object.keys(decl), at).toContain(name);
          for (const [, name] of expr.matchAll(/\bsecrets\.([\w-]+)/g)) expect(secrets, at).toContain(name);
          for (const [, name] of expr.matchAll(/\bmatrix\.([\w-]+)/g)) expect(matrixKeys, at).toContain(name);
        }
      }
      // A reusable-workflow job passes only inputs and secrets the called workflow declares, and every required one.
      if (job.uses) {
        const called = load(job.uses.replace(`${REPO}/`, '').replace(`@${RELEASE_REF}`, ''));
        const calledDecl = declOf(called);
        for (const key of Object.keys(job.with ?? {}))
          expect(Object.keys(calledDecl), `${id} passes ${key}`).toContain(key);
        for (const [key, d] of Object.entries(calledDecl))
          if (d.required) expect(job.with?.[key], `${id}: required ${key}`).toBeDefined();
        for (const [key, value] of Object.entries((job.with ?? {}) as Record<string, string>)) {
          const m = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(value);
          if (m)
            expect({ ...decl[m[1]], description: '' }, `${id}.with.${key}`).toEqual({
              ...calledDecl[key],
              description: '',
            });
        }
        expect(Object.keys(job.secrets ?? {}).sort()).toEqual(
          Object.keys(called.on.workflow_call.secrets ?? {}).sort(),
        );
      }
    }
  });

  it('keeps expressions out of run: scripts (values reach them through env:)', () => {
    const runs = strings(doc).filter(([p]) => p.endsWith('.run'));
    expect(runs.length).toBeGreaterThan(0);
    for (const [path, script] of runs) expect(script, path).not.toContain('${{');
  });

  it('asks each job for the least permissions, with a concurrency group per service or environment', () => {
    expect(doc.permissions).toEqual({});
    const writes = new Set(['contents: write', 'packages: write', 'pull-requests: write', 'deployments: write']);
    for (const [id, job] of Object.entries(doc.jobs as Record<string, Doc>)) {
      expect(job.permissions, id).toBeDefined();
      for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
        if (level === 'read') continue;
        expect(writes.has(`${scope}: ${level}`), `${id}: ${scope}: ${level}`).toBe(true);
        const names = stepUses({ jobs: { [id]: job } }).map((u) => u.name);
        const why: Record<string, string[]> = {
          contents: ['version-tag'],
          packages: ['version-tag'],
          'pull-requests': ['api-compat'],
          deployments: ['rollback'],
        };
        // A write scope only where a step that needs it runs (or the called wave workflow, which runs rollback).
        if (!job.uses)
          expect(
            names.some((n) => why[scope].includes(n)),
            `${id}: ${scope}: write`,
          ).toBe(true);
      }
    }
    const groups = [
      doc.concurrency,
      ...Object.values(doc.jobs as Record<string, Doc>).map((j) => j.concurrency),
    ].filter(Boolean);
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      expect(g.group).toMatch(/inputs\.environment/);
      expect(g['cancel-in-progress']).toBe(false);
    }
  });
});

describe('shipgate-service-delivery.yml', () => {
  const doc = load('.github/workflows/shipgate-service-delivery.yml');
  const jobs = doc.jobs as Record<string, Doc>;

  it('chains check-dependencies → api-compat ∥ perf-baseline → version-tag → blue-green-switch → rollback watch', () => {
    const chain = Object.fromEntries(Object.entries(jobs).map(([id, j]) => [id, [].concat(j.needs ?? [])]));
    expect(chain).toEqual({
      dependencies: [],
      'api-compat': ['dependencies'],
      'perf-baseline': ['dependencies'],
      release: ['api-compat', 'perf-baseline'],
      switch: ['release'],
      rollback: ['switch'],
    });
    expect(stepUses(doc).map((u) => `${u.job}:${u.name}`)).toEqual([
      'dependencies:check-dependencies',
      'api-compat:api-compat',
      'perf-baseline:perf-baseline',
      'release:version-tag',
      'switch:blue-green-switch',
      'switch:blue-green-switch',
      'switch:rollback',
      'rollback:rollback',
    ]);
    expect(jobs.rollback.if).toContain("needs.switch.outputs.switched == 'true'");
    expect(jobs.switch.environment).toBe('${{ inputs.environment }}');
    expect(jobs.rollback.environment).toBe('${{ inputs.environment }}');
    const restore = (jobs.switch.steps as Doc[]).find((s) => s.id === 'restore')!;
    expect(restore.if).toMatch(/failure\(\) \|\| cancelled\(\)/);
  });
});

describe('shipgate-multi-service.yml', () => {
  const doc = load('.github/workflows/shipgate-multi-service.yml');
  const wave = load('.github/workflows/shipgate-wave.yml');

  it('deploys the waves from check-dependencies one after another, the services of a wave in parallel, and always collects the statuses', () => {
    expect(doc.jobs.wave.strategy).toEqual({
      'max-parallel': 1,
      'fail-fast': true,
      matrix: { services: '${{ fromJSON(needs.plan.outputs.waves) }}' },
    });
    expect(wave.jobs.deploy.strategy).toEqual({
      'fail-fast': false,
      matrix: { service: '${{ fromJSON(inputs.services) }}' },
    });
    expect(wave.jobs.deploy.needs).toBe('gate');
    expect(doc.jobs.statuses.if).toBe('always()');
    expect(doc.jobs.statuses.needs).toEqual(['plan', 'wave']);
  });
});

describe.each(['examples/github/service-delivery.yml', 'examples/github/multi-service.yml'])('example %s', (file) => {
  const doc = load(file);

  it('calls a Shipgate workflow with inputs and secrets it declares, every required one given, no ${{ }} in run:', () => {
    const calls = Object.values(doc.jobs as Record<string, Doc>).filter((j) => j.uses);
    expect(calls.length).toBe(1);
    for (const job of calls) {
      // Callers pin the major tag (`@v1`), which the release moves to the release commit.
      expect(job.uses).toMatch(new RegExp(`^${esc(REPO)}/\\.github/workflows/[\\w.-]+@${esc(MAJOR_REF)}$`));
      const called = load(job.uses.replace(`${REPO}/`, '').replace(`@${MAJOR_REF}`, ''));
      const decl = declOf(called);
      for (const key of Object.keys(job.with)) expect(Object.keys(decl), key).toContain(key);
      for (const [key, d] of Object.entries(decl)) if (d.required) expect(job.with[key], key).toBeDefined();
      for (const key of Object.keys(job.secrets ?? {}))
        expect(Object.keys(called.on.workflow_call.secrets), key).toContain(key);
    }
    for (const [path, script] of strings(doc).filter(([p]) => p.endsWith('.run')))
      expect(script, path).not.toContain('${{');
  });
});
