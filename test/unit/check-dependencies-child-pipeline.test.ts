import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { checkDependencies } from '../../actions/check-dependencies/src/step.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';

// check-dependencies writing the GitLab child pipeline of a deploy in waves; each gate's script runs in a real sh.
const SEED = `services:
  config-center: { paths: [services/config/**] }
  service-registry: {}
  inventory-service: { dependencies: [config-center, service-registry], paths: [services/inventory/**] }
  user-service: { dependencies: [config-center, service-registry] }
  order-service: { dependencies: [inventory-service, user-service] }
`;

type Job = {
  stage: string;
  extends?: string;
  needs?: string[];
  variables?: Record<string, string>;
  script?: string[];
  after_script?: string[];
};

async function plan(config: string, flags: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-child-'));
  writeFileSync(join(dir, 'deps.yml'), config);
  const io = { out: '', err: '' };
  const platform = new LocalPlatform({
    env: {},
    flags: {
      config: join(dir, 'deps.yml'),
      'check-health': 'false',
      'child-pipeline': join(dir, 'child.yml'),
      ...flags,
    },
    json: true,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
  });
  const code = await run(checkDependencies, platform);
  const outputs: Record<string, string> = { ...platform.outputs };
  const text = code === 0 && outputs['child-pipeline-file'] ? readFileSync(join(dir, 'child.yml'), 'utf8') : '';
  return {
    code,
    dir,
    outputs,
    log: io.err,
    text,
    doc: (text ? load(text) : {}) as Record<string, Job> & { stages: string[]; include?: unknown },
  };
}

/** Runs a gate job's script as the runner would: its variables (with the hidden job's) in the environment. */
function gate(doc: Record<string, Job>, job: string, cwd: string) {
  const base = doc['.shipgate-gate'];
  const env = { PATH: process.env.PATH!, ...base.variables, ...doc[job].variables };
  const r = spawnSync('sh', ['-ec', base.script!.join('\n')], { cwd, env, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, summary: readFileSync(join(cwd, 'shipgate-summary.md'), 'utf8') };
}

describe('check-dependencies child-pipeline', () => {
  it('writes one stage per wave, one job per service extending the hidden job, and a gate after each wave', async () => {
    const r = await plan(SEED, { 'child-include': '.gitlab/deploy-service.yml' });
    expect(r.code).toBe(0);
    expect(r.outputs['child-pipeline-file']).toBe(join(r.dir, 'child.yml'));
    expect(r.doc.stages).toEqual(['wave-1', 'wave-2', 'wave-3', 'summary']);
    expect(r.doc.include).toEqual([{ local: '.gitlab/deploy-service.yml' }]);
    expect(r.doc['deploy-inventory-service']).toMatchObject({
      stage: 'wave-2',
      extends: '.deploy-service',
      needs: ['shipgate-wave-1-gate'],
      variables: { SERVICE: 'inventory-service', WAVE: '2' },
    });
    expect(r.doc['deploy-config-center'].needs).toEqual([]);
    expect(r.doc['shipgate-wave-2-gate'].needs).toEqual([
      'shipgate-wave-1-gate',
      'deploy-inventory-service',
      'deploy-user-service',
    ]);
    expect(r.doc['shipgate-summary']).toMatchObject({
      stage: 'summary',
      needs: ['shipgate-wave-2-gate', 'deploy-order-service'],
    });
    expect(r.log).toContain('Child pipeline written to');
  });

  it('deploys only the services a change affects, in their waves', async () => {
    const r = await plan(SEED, { 'child-extends': '.ship', 'changed-files': 'services/inventory/app.ts' });
    expect(r.code).toBe(0);
    expect(r.doc.stages).toEqual(['wave-1', 'wave-2', 'summary']);
    expect(r.doc['deploy-inventory-service']).toMatchObject({ stage: 'wave-1', extends: '.ship', needs: [] });
    expect(r.doc['deploy-order-service']).toMatchObject({ stage: 'wave-2', needs: ['shipgate-wave-1-gate'] });
    expect(r.doc['deploy-user-service']).toBeUndefined();
    expect(r.doc.include).toBeUndefined();
  });

  it('gates: a failed service pauses the later waves, and the summary lists every service', async () => {
    const r = await plan(SEED, {});
    const status = join(r.dir, 'shipgate-status');
    mkdirSync(status);
    for (const s of ['config-center', 'service-registry']) writeFileSync(join(status, s), 'success\n');
    const first = gate(r.doc, 'shipgate-wave-1-gate', r.dir);
    expect(first.code).toBe(0);
    expect(first.summary).toContain('| 1 | config-center | ✅ deployed |');
    expect(first.summary).toContain('| 3 | order-service | ⏳ next |');
    expect(first.summary).toContain('Wave 1 deployed; wave 2 starts.');

    writeFileSync(join(status, 'inventory-service'), 'success\n');
    writeFileSync(join(status, 'user-service'), 'failed\n');
    const second = gate(r.doc, 'shipgate-wave-2-gate', r.dir);
    expect(second.code).toBe(1);
    expect(second.summary).toContain('| 2 | user-service | ❌ failed |');
    expect(second.summary).toContain('| 2 | inventory-service | ✅ deployed |');
    expect(second.summary).toContain('| 3 | order-service | ⏸ paused |');
    expect(second.summary).toContain(
      '**Deployment paused after wave 2:** user-service (failed). Later waves do not start.',
    );

    // GitLab still runs the last gate (when: always): the skipped service has no status.
    const last = gate(r.doc, 'shipgate-summary', r.dir);
    expect(last.code).toBe(1);
    expect(last.summary).toContain('| 3 | order-service | ⏸ not started |');
  });

  it('records a service job status from $CI_JOB_STATUS in its after_script', async () => {
    const r = await plan(SEED, {});
    const script = r.doc['deploy-order-service'].after_script!.join('\n');
    execFileSync('sh', ['-ec', script], { cwd: r.dir, env: { PATH: process.env.PATH!, CI_JOB_STATUS: 'success' } });
    expect(readFileSync(join(r.dir, 'shipgate-status', 'order-service'), 'utf8')).toBe('success\n');
  });

  it('passes when every wave deployed', async () => {
    const r = await plan('services:\n  db: {}\n', {});
    mkdirSync(join(r.dir, 'shipgate-status'));
    writeFileSync(join(r.dir, 'shipgate-status', 'db'), 'success\n');
    const last = gate(r.doc, 'shipgate-summary', r.dir);
    expect(last.code).toBe(0);
    expect(last.summary).toContain('### Deploy of 1 service in 1 wave: status after wave 1');
    expect(last.summary).toContain('**All services deployed.**');
  });

  it('rejects a service name that cannot name a job, and a child-extends that is not a hidden job, before writing', async () => {
    const bad = await plan('services:\n  "my service": {}\n', {});
    expect(bad.code).toBe(2);
    // Refused when dependency-config.yml is read, on every path, before the child pipeline is planned.
    expect(bad.log).toContain("Service 'my service': the name is not a service name: letters, digits");
    const ext = await plan('services:\n  db: {}\n', { 'child-extends': 'deploy' });
    expect(ext.code).toBe(2);
    expect(ext.log).toContain("Input 'child-extends' is 'deploy'. Expected the name of a hidden job");
    expect(() => readFileSync(join(ext.dir, 'child.yml'))).toThrow();
  });

  it('writes nothing and an empty output without child-pipeline', async () => {
    const r = await plan('services:\n  db: {}\n', { 'child-pipeline': '' });
    expect(r.code).toBe(0);
    expect(r.outputs['child-pipeline-file']).toBe('');
  });
});
