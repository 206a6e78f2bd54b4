import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiCompat } from '../../actions/api-compat/src/step.js';
import { RULES } from '../../actions/api-compat/src/diff/index.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import { ROOT } from '../helpers/run-bundle.js';

const fixtures = join(ROOT, 'test/fixtures/api-compat/load/step');
const at = (f: string) => join(fixtures, f);

/** Runs the step in-process as a terminal runs it; returns the exit code, the outputs and what was printed. */
async function step(inputs: Record<string, string>) {
  const reports = mkdtempSync(join(tmpdir(), 'shipgate-api-'));
  const out: string[] = [];
  const err: string[] = [];
  const flags = { 'report-dir': join(reports, 'out'), ...inputs };
  const platform = new LocalPlatform({
    env: {},
    flags,
    json: true,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  });
  const code = await run(apiCompat, platform);
  const outputs: Record<string, string> = { ...platform.outputs };
  const read = (name: string) => readFileSync(join(flags['report-dir'], name), 'utf8');
  return { code, outputs, log: err.join(''), reports: flags['report-dir'], read };
}

describe('verdict and outputs', () => {
  it('fails on a breaking change with fail-on breaking, and names it', async () => {
    const r = await step({ base: at('base.yaml'), head: at('head-breaking.yaml') });
    expect(r.code).toBe(1);
    expect(r.outputs).toEqual({
      breaking: 'true',
      'breaking-count': '1',
      'warning-count': '0',
      'change-count': '2',
      'suggested-bump': 'major',
      report: join(r.reports, 'api-compat.json'),
    });
    expect(r.log).toContain('error: 1 breaking change (fail-on: breaking).');
    expect(r.log).toMatch(/\| `api-operation-removed` \| `DELETE \/pets\/\{id\}` \| .* \| .*head-breaking\.yaml:15 \|/);
    expect(r.log.indexOf('❌ **1 breaking change**')).toBeLessThan(r.log.indexOf('### Breaking changes (1)'));
    expect(r.log.indexOf('### Breaking changes (1)')).toBeLessThan(r.log.indexOf('### Other changes (1)'));
  });

  it('passes the same change with fail-on never, still reporting it', async () => {
    const r = await step({ base: at('base.yaml'), head: at('head-breaking.yaml'), 'fail-on': 'never' });
    expect(r.code).toBe(0);
    expect(r.outputs.breaking).toBe('true');
  });

  it('fails on warnings only with fail-on warning', async () => {
    const soft = await step({ base: at('base.yaml'), head: at('head-warning.yaml') });
    expect(soft.code).toBe(0);
    expect(Number(soft.outputs['warning-count'])).toBeGreaterThan(0);
    expect(soft.outputs['suggested-bump']).toBe('patch');
    const strict = await step({ base: at('base.yaml'), head: at('head-warning.yaml'), 'fail-on': 'warning' });
    expect(strict.code).toBe(1);
    expect(strict.log).toContain(`${soft.outputs['warning-count']} warnings (fail-on: warning).`);
  });

  it('suggests minor for additions and none when nothing changed', async () => {
    expect((await step({ base: at('base.yaml'), head: at('head-addition.yaml') })).outputs['suggested-bump']).toBe(
      'minor',
    );
    const same = await step({ base: at('base.yaml'), head: at('base.yaml') });
    expect(same.outputs).toMatchObject({ breaking: 'false', 'change-count': '0', 'suggested-bump': 'none' });
    expect(same.read('api-compat.junit.xml')).toContain(
      '<testcase name="no changes between base and head" classname="api-compat"/>',
    );
  });
});

describe('deprecation policy', () => {
  it('lets an operation be deprecated without a sunset by default, and asks for one when days of notice are set', async () => {
    const open = await step({ base: at('base.yaml'), head: at('head-deprecated.yaml') });
    expect(open.code).toBe(0);
    const strict = await step({
      base: at('base.yaml'),
      head: at('head-deprecated.yaml'),
      'deprecation-days-stable': '180',
    });
    expect(strict.code).toBe(1);
    expect(strict.log).toMatch(/`api-deprecated-sunset-missing` \| `DELETE \/pets\/\{id\}`/);
    expect(strict.log).toContain('the policy asks for 180 days of notice');
    // The beta policy does not apply to an operation without a level (stable).
    const beta = await step({ base: at('base.yaml'), head: at('head-deprecated.yaml'), 'deprecation-days-beta': '30' });
    expect(beta.code).toBe(0);
  });

  it('names a negative day count and exits 2 before writing anything', async () => {
    const r = await step({ base: at('base.yaml'), head: at('head-deprecated.yaml'), 'deprecation-days-stable': '-3' });
    expect(r.code).toBe(2);
    expect(r.log).toContain("Input 'deprecation-days-stable' is '-3'");
    expect(existsSync(r.reports)).toBe(false);
  });
});

describe('reports', () => {
  it('writes JSON, JUnit, SARIF and code quality, all pointing at the head file and line', async () => {
    const r = await step({ base: at('base.yaml'), head: at('head-breaking.yaml') });
    const json = JSON.parse(r.read('api-compat.json'));
    expect(json).toMatchObject({
      breakingCount: 1,
      changeCount: 2,
      suggestedBump: 'major',
      failed: true,
      failOn: 'breaking',
    });
    const removed = json.findings.find((f: { rule: string }) => f.rule === 'api-operation-removed');
    expect(removed).toMatchObject({
      severity: 'error',
      method: 'DELETE',
      path: '/pets/{id}',
      document: 'base',
      line: 15,
    });
    expect(removed.file).toMatch(/head-breaking\.yaml$/);

    const junit = r.read('api-compat.junit.xml');
    expect(junit).toContain('<testsuite name="api-compat" tests="2" failures="1"');
    expect(junit).toMatch(
      /<testcase name="api-operation-removed DELETE \/pets\/\{id\}" classname="api-compat\.api-operation-removed">\s*<failure message="[^"]+" type="breaking-change">/,
    );
    expect(junit).toContain(
      '<testcase name="api-operation-added GET /owners" classname="api-compat.api-operation-added"/>',
    );

    const sarif = JSON.parse(r.read('api-compat.sarif'));
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.rules.length).toBeGreaterThanOrEqual(RULES.length);
    const result = run0.results.find((x: { ruleId: string }) => x.ruleId === 'api-operation-removed');
    expect(result.level).toBe('error');
    expect(run0.tool.driver.rules[result.ruleIndex].id).toBe('api-operation-removed');
    expect(result.locations[0].physicalLocation.region.startLine).toBe(15);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toMatch(/head-breaking\.yaml$/);

    const quality = JSON.parse(r.read('api-compat.codequality.json'));
    expect(quality).toHaveLength(2);
    expect(quality[0]).toMatchObject({
      check_name: 'api-operation-removed',
      severity: 'critical',
      location: { lines: { begin: 15 } },
    });
    expect(quality[0].fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(quality.map((q: { fingerprint: string }) => q.fingerprint)).size).toBe(2);
  });
});

describe('exceptions', () => {
  it('downgrades a matched finding and lists it as accepted; expired entries stop applying and are reported', async () => {
    const r = await step({ base: at('base.yaml'), head: at('head-breaking.yaml'), exceptions: at('exceptions.yml') });
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      breaking: 'false',
      'breaking-count': '0',
      'change-count': '2',
      'suggested-bump': 'minor',
    });
    expect(r.log).toContain('### Accepted by exceptions (1)');
    expect(r.log).toContain('Deleting pets moved to the admin API (ADR-12)');
    expect(r.log).toContain('### Expired exceptions (1)');
    expect(r.log).toMatch(
      /warning: .*exceptions\.yml:8: Exception for api-operation-removed \/legacy\/\*\* expired on 2001-01-31/,
    );
    const json = JSON.parse(r.read('api-compat.json'));
    const accepted = json.findings.find((f: { rule: string }) => f.rule === 'api-operation-removed');
    expect(accepted).toMatchObject({
      severity: 'info',
      originalSeverity: 'error',
      accepted: { reason: 'Deleting pets moved to the admin API (ADR-12)', line: 3 },
    });
    expect(json.exceptions.expired).toEqual([expect.objectContaining({ path: '/legacy/**', expires: '2001-01-31' })]);
  });

  it('rejects a malformed exceptions file with every problem and its line, before writing anything', async () => {
    const r = await step({
      base: at('base.yaml'),
      head: at('head-breaking.yaml'),
      exceptions: at('exceptions-bad.yml'),
    });
    expect(r.code).toBe(2);
    expect(r.log).toContain("exceptions-bad.yml:3: Exception 1: 'method' is 'YEET'.");
    expect(r.log).toContain("exceptions-bad.yml:7: Exception 2: 'expires' is 'someday'.");
    expect(r.log).toContain("Exception 3: unknown field 'reasn' is ignored. Did you mean 'reason'?");
    expect(existsSync(r.reports)).toBe(false);
  });
});

describe('bad input', () => {
  it('reports both documents when both are bad, exits 2 and writes no report', async () => {
    const r = await step({
      base: at('missing.yaml'),
      head: join(ROOT, 'test/fixtures/api-compat/load/syntax-error.yaml'),
    });
    expect(r.code).toBe(2);
    expect(r.log).toContain(`Input 'base' is '${at('missing.yaml')}': no such file`);
    expect(r.log).toMatch(/syntax-error\.yaml:8:3: YAML syntax error: missed comma/);
    expect(r.outputs).toEqual({});
    expect(existsSync(r.reports)).toBe(false);
  });

  it('names an unknown fail-on value and the choices', async () => {
    const r = await step({ base: at('base.yaml'), head: at('base.yaml'), 'fail-on': 'errors' });
    expect(r.code).toBe(2);
    expect(r.log).toContain("Input 'fail-on' is 'errors'. Expected one of: breaking, warning, never.");
  });

  it('warns, and does not fail, when comment is true without a token', async () => {
    const r = await step({ base: at('base.yaml'), head: at('head-addition.yaml'), comment: 'true' });
    expect(r.code).toBe(0);
    expect(r.log).toContain("warning: Input 'comment' is true, but no token is available, so no comment was posted.");
  });
});

describe('report-dir', () => {
  it('names the input when the reports cannot be written', async () => {
    const r = await step({ base: at('base.yaml'), head: at('base.yaml'), 'report-dir': at('base.yaml') });
    expect(r.code).toBe(2);
    expect(r.log).toContain(`Input 'report-dir' is '${at('base.yaml')}': the reports cannot be written there (EEXIST)`);
  });
});
