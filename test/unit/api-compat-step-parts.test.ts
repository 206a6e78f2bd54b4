import { describe, expect, it } from 'vitest';
import { applyExceptions } from '../../actions/api-compat/src/exceptions.js';
import { parseExceptions } from '../../actions/api-compat/src/exceptions-file.js';
import type { LocatedFinding } from '../../actions/api-compat/src/locations.js';
import type { Finding, OpenApiDoc, RuleId, RuleInfo } from '../../actions/api-compat/src/model.js';
import { outcomeOf } from '../../actions/api-compat/src/outcome.js';
import { renderComment, renderFindings, SUMMARY_LIMITS } from '../../actions/api-compat/src/summary.js';
import { ConfigError } from '../../shared/src/errors.js';

// The outcome tests use a catalog of their own, so their rule ids are not the step's.
const finding = (rule: string, method: string, path: string, severity: Finding['severity'] = 'error'): Finding => ({
  rule: rule as RuleId,
  severity,
  method,
  path,
  message: `${method} ${path}: ${rule}`,
  location: `#/paths/${path.replace(/\//g, '~1')}/${method.toLowerCase()}`,
  document: 'base',
});

describe('exception matching', () => {
  const { exceptions } = parseExceptions(
    `exceptions:
  - { rule: api-operation-removed, method: delete, path: '/users/{id}', reason: a }
  - { rule: '*', path: '/admin/**', reason: b }
  - { rule: api-path-removed, path: /v1/*, reason: c }
`,
    'ex.yml',
    ['api-operation-removed', 'api-path-removed'],
  );
  const now = new Date('2026-01-01T00:00:00Z');
  const accepted = (f: Finding) => applyExceptions([f], exceptions, now).accepted.length === 1;

  it('matches method case-insensitively and {param} templates literally, whatever the parameter is called', () => {
    expect(accepted(finding('api-operation-removed', 'DELETE', '/users/{id}'))).toBe(true);
    expect(accepted(finding('api-operation-removed', 'DELETE', '/users/{userId}'))).toBe(false);
    expect(accepted(finding('api-operation-removed', 'GET', '/users/{id}'))).toBe(false);
  });

  it('matches a glob path: ** any depth, * one segment, and never everything below a plain path', () => {
    expect(accepted(finding('anything-at-all', 'GET', '/admin/a/b/{c}'))).toBe(true);
    expect(accepted(finding('api-path-removed', 'GET', '/v1/pets'))).toBe(true);
    expect(accepted(finding('api-path-removed', 'GET', '/v1/pets/{id}'))).toBe(false);
    expect(accepted(finding('api-operation-removed', 'DELETE', '/users/{id}/photo'))).toBe(false);
  });

  it('applies until the end of the expiry day, then lists the entry as expired and unused entries apart', () => {
    const { exceptions: ex } = parseExceptions(
      '- { rule: r, reason: ok, expires: 2025-12-31 }\n- { rule: s, reason: spare }\n',
      'ex.yml',
      [],
    );
    const f = finding('r', 'GET', '/a');
    expect(applyExceptions([f], ex, new Date('2025-12-31T23:59:00Z')).accepted).toHaveLength(1);
    const late = applyExceptions([f], ex, new Date('2026-01-01T00:00:01Z'));
    expect(late.accepted).toHaveLength(0);
    expect(late.findings[0].severity).toBe('error');
    expect(late.expired.map((e) => e.rule)).toEqual(['r']);
    expect(late.unused.map((e) => e.rule)).toEqual(['s']);
  });

  it('warns about an unknown rule id with the nearest known one, and rejects YAML that does not parse', () => {
    const { warnings } = parseExceptions('- { rule: api-operation-remove, reason: x }\n', 'ex.yml', [
      'api-operation-removed',
    ]);
    expect(warnings[0]).toMatchObject({
      line: 1,
      message:
        "Exception 1: rule 'api-operation-remove' is not a known rule id, so it matches nothing. Did you mean 'api-operation-removed'?",
    });
    expect(() => parseExceptions('exceptions:\n  - rule: [unclosed\n', 'ex.yml', [])).toThrow(ConfigError);
    expect(() => parseExceptions('exceptions: 5\n', 'ex.yml', [])).toThrow(
      /ex\.yml:1: Expected a list of entries under 'exceptions:'/,
    );
  });
});

describe('outcome', () => {
  const rules = [
    { id: 'gone', severity: 'error' as const, title: 'gone' },
    { id: 'added', severity: 'info' as const, title: 'added', addition: true },
    { id: 'doc', severity: 'info' as const, title: 'doc' },
  ] as unknown as RuleInfo[];
  it('suggests major, minor, patch or none, and fails per fail-on', () => {
    expect(outcomeOf([finding('gone', 'GET', '/a')], rules, 'breaking')).toMatchObject({
      bump: 'major',
      failure: '1 breaking change (fail-on: breaking).',
    });
    expect(outcomeOf([finding('added', 'GET', '/a', 'info')], rules, 'warning')).toMatchObject({
      bump: 'minor',
      failure: undefined,
    });
    expect(outcomeOf([finding('doc', 'GET', '/a', 'info')], rules, 'breaking').bump).toBe('patch');
    expect(outcomeOf([], rules, 'breaking')).toEqual({
      breaking: 0,
      warnings: 0,
      changes: 0,
      bump: 'none',
      failure: undefined,
    });
    expect(outcomeOf([finding('gone', 'GET', '/a')], rules, 'never').failure).toBeUndefined();
  });
});

describe('summary and comment', () => {
  const doc = (source: string): OpenApiDoc => ({ version: '3.0', root: {}, source });
  const many = (n: number): LocatedFinding[] =>
    Array.from({ length: n }, (_, i) => ({ ...finding('gone', 'GET', `/r${i}`), file: 'openapi.yaml', line: i + 1 }));
  const data = (findings: LocatedFinding[]) => ({
    base: doc('git:origin/main:openapi.yaml'),
    head: doc('openapi.yaml'),
    outcome: outcomeOf(findings, [], 'breaking'),
    findings,
    applied: { findings, accepted: [], expired: [], unused: [] },
    reportPath: 'shipgate-reports/api-compat.json',
  });

  it('shows 50 rows of a table in the comment and folds the rest into <details>', () => {
    const body = renderComment(data(many(120)), '');
    const [open, folded] = body.split('<details>');
    expect(open.match(/^\| `gone` \|/gm)).toHaveLength(50);
    expect(folded).toContain('<summary>70 more rows</summary>');
    expect(folded.match(/^\| `gone` \|/gm)).toHaveLength(70);
  });

  it("keeps a huge comment under GitHub's 65536-character limit and points at the report for the rest", () => {
    const body = renderComment(data(many(5000)), 'footer');
    expect(body.length).toBeLessThanOrEqual(60_000);
    expect(body).toMatch(/_… and \d+ more in `shipgate-reports\/api-compat\.json`\._/);
    expect(body.endsWith('footer')).toBe(true);
  });

  it('starts the summary with the counts and the sources', () => {
    const text = renderFindings(data(many(2)), SUMMARY_LIMITS);
    expect(text.split('\n')[0]).toBe(
      '❌ **2 breaking changes** · 0 warnings · 2 changes in all · suggested bump: **major**',
    );
    expect(text).toContain('`git:origin/main:openapi.yaml` (OpenAPI 3.0) → `openapi.yaml` (OpenAPI 3.0)');
  });
});
