// The engine on real documents: GitHub Enterprise Server's REST descriptions (11 MB each) from @octokit/openapi.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES, diffDocuments } from '../../actions/api-compat/src/diff/index.js';
import { at } from '../../actions/api-compat/src/diff/pointer.js';
import type { OpenApiDoc } from '../../actions/api-compat/src/model.js';
import { EDITS } from '../fixtures/api-compat/edits.js';

const require = createRequire(import.meta.url);
const text = (release: string) =>
  readFileSync(require.resolve(`@octokit/openapi/generated/ghes-${release}.json`), 'utf8');
const doc = (json: string, source: string): OpenApiDoc => ({ version: '3.0', root: JSON.parse(json), source });
const ruleIds = new Set(RULES.map((r) => r.id));

function checkFindings(findings: ReturnType<typeof diffDocuments>, base: OpenApiDoc, head: OpenApiDoc): void {
  for (const f of findings) {
    expect(ruleIds.has(f.rule), f.rule).toBe(true);
    expect(at((f.document === 'base' ? base : head).root, f.location), `${f.rule} at ${f.location}`).toBeDefined();
  }
}

describe('GHES releases', () => {
  let t317: string;
  let t318: string;
  beforeAll(() => {
    t317 = text('3.17');
    t318 = text('3.18');
  });

  it('diffs 3.17 → 3.18: additions only, all located', () => {
    const base = doc(t317, 'ghes-3.17');
    const head = doc(t318, 'ghes-3.18');
    const findings = diffDocuments(base, head);
    checkFindings(findings, base, head);
    expect(findings.some((f) => f.rule === 'api-operation-added')).toBe(true);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('diffs 3.18 → 3.17: what 3.18 added is removed, so breaking', () => {
    const base = doc(t318, 'ghes-3.18');
    const head = doc(t317, 'ghes-3.17');
    const findings = diffDocuments(base, head);
    checkFindings(findings, base, head);
    const breaking = findings.filter((f) => f.severity === 'error');
    expect(breaking.length).toBeGreaterThan(0);
    expect(breaking.every((f) => f.method && f.path && f.message)).toBe(true);
    expect(breaking.map((f) => f.rule)).toContain('api-path-removed');
  });

  it('finds each of the scripted breaking edits applied to 3.17', () => {
    const base = doc(t317, 'ghes-3.17');
    const head = doc(t317, 'ghes-3.17-edited');
    for (const edit of EDITS) edit.apply(head.root);
    const findings = diffDocuments(base, head);
    checkFindings(findings, base, head);
    const found = new Set(findings.map((f) => f.rule));
    expect(EDITS.length).toBe(20);
    expect(EDITS.filter((e) => !found.has(e.rule)).map((e) => e.name)).toEqual([]);
    for (const edit of EDITS) expect(RULES.find((r) => r.id === edit.rule)?.severity, edit.rule).toBe('error');
  });

  it('finds nothing between a document and itself', () => {
    expect(diffDocuments(doc(t317, 'a'), doc(t317, 'b'))).toEqual([]);
  });
});
