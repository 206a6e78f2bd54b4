import { describe, expect, it } from 'vitest';
import { codeQualityReport } from '../../shared/src/report/codequality.js';
import { sarifLog } from '../../shared/src/report/sarif.js';

describe('sarifLog', () => {
  const text = sarifLog(
    {
      name: 'tool',
      version: '1.2.3',
      rules: [
        { id: 'path-removed', title: 'Path removed', level: 'error' },
        {
          id: 'enum-value-added',
          title: 'Enum value added',
          level: 'warning',
          description: 'Clients may get values they do not handle.',
        },
      ],
    },
    [
      {
        ruleId: 'enum-value-added',
        level: 'warning',
        message: 'enum value "x" added',
        uri: 'api/openapi.yaml',
        line: 12,
        fingerprint: 'abc',
      },
      { ruleId: 'unknown-rule', level: 'note', message: 'm', uri: 'https://example.com/openapi.json' },
    ],
  );
  const log = JSON.parse(text);

  it('writes a SARIF 2.1.0 log with one run and the rule catalog', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver).toMatchObject({ name: 'tool', version: '1.2.3' });
    expect(log.runs[0].tool.driver.rules[1]).toEqual({
      id: 'enum-value-added',
      name: 'EnumValueAdded',
      shortDescription: { text: 'Enum value added' },
      fullDescription: { text: 'Clients may get values they do not handle.' },
      defaultConfiguration: { level: 'warning' },
    });
  });

  it('points results at their rule by id and index, at a repository-relative file and line', () => {
    const [a, b] = log.runs[0].results;
    expect(a).toEqual({
      ruleId: 'enum-value-added',
      ruleIndex: 1,
      level: 'warning',
      message: { text: 'enum value "x" added' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'api/openapi.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 12 },
          },
        },
      ],
      partialFingerprints: { 'shipgate/v1': 'abc' },
    });
    // An absolute URI has no base; a result without a line starts at line 1; an unknown rule has no index.
    expect(b.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'https://example.com/openapi.json' },
      region: { startLine: 1 },
    });
    expect(b.ruleIndex).toBeUndefined();
  });
});

describe('codeQualityReport', () => {
  it('writes GitLab code-quality issues with a unique fingerprint each', () => {
    const issues = JSON.parse(
      codeQualityReport([
        {
          description: 'GET /a removed',
          checkName: 'path-removed',
          severity: 'critical',
          path: 'openapi.yaml',
          line: 4,
        },
        {
          description: 'GET /a removed',
          checkName: 'path-removed',
          severity: 'critical',
          path: 'openapi.yaml',
          line: 4,
        },
        { description: 'x', checkName: 'y', severity: 'info', path: 'openapi.yaml', identity: 'stable' },
      ]),
    );
    expect(issues[0]).toEqual({
      description: 'GET /a removed',
      check_name: 'path-removed',
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      severity: 'critical',
      location: { path: 'openapi.yaml', lines: { begin: 4 } },
    });
    expect(issues[0].fingerprint).not.toBe(issues[1].fingerprint);
    expect(issues[2].location.lines.begin).toBe(1);
    const again = JSON.parse(
      codeQualityReport([
        { description: 'changed words', checkName: 'y', severity: 'info', path: 'other.yaml', identity: 'stable' },
      ]),
    );
    expect(again[0].fingerprint).toBe(issues[2].fingerprint);
  });
});
