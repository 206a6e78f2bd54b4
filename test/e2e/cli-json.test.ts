import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shipgate } from '../helpers/cli.js';
import { ROOT } from '../helpers/run-bundle.js';

// `--json` as a script reads it: typed values, the details behind the verdict, and errors as JSON with their exit.
const SEED = join(ROOT, 'test/fixtures/seed-dependency-config.yml');
const fixture = (f: string) => join(ROOT, 'test/fixtures/api-compat/load/step', f);

describe('--json', () => {
  it('prints arrays and booleans as such, with the probes', async () => {
    const r = await shipgate(['check-dependencies', '--config', SEED, '--check-health', 'false', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.waves).toEqual([
      ['config-center', 'service-registry'],
      ['inventory-service', 'user-service'],
      ['order-service'],
    ]);
    expect(j.healthy).toBe(true);
    expect(j.unhealthy).toEqual([]);
    expect(j.probes).toEqual([]);
    expect(j['child-pipeline-file']).toBe('');
  });

  it('prints api-compat counts as numbers and its findings, with the failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-json-'));
    const r = await shipgate([
      'api-compat',
      '--base',
      fixture('base.yaml'),
      '--head',
      fixture('head-breaking.yaml'),
      '--report-dir',
      dir,
      '--json',
    ]);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.breaking).toBe(true);
    expect(typeof j['breaking-count']).toBe('number');
    expect(j['breaking-count']).toBeGreaterThan(0);
    expect(j.findings.length).toBe(j['change-count']);
    expect(j.findings[0]).toHaveProperty('rule');
    expect(j.failure).toMatch(/breaking/);
  });

  it('prints bad input as an error object with exit 2', async () => {
    const r = await shipgate(['check-dependencies', '--config', join(tmpdir(), 'nope.yml'), '--json']);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.error.exit).toBe(2);
    expect(j.error.message).toContain("Input 'config' is");
  });

  it('prints a mistyped flag as an error object with exit 2', async () => {
    const r = await shipgate(['check-dependencies', '--confg', 'x', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({
      error: { exit: 2, message: expect.stringContaining("Did you mean '--config'?") },
    });
  });
});
