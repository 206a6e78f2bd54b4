// Schema DAGs: 22 levels of components each using the previous one twice, and the same with YAML anchors at depth 16.
// Expanded, each is millions of schema nodes; compared once per (base, head) pair, the one changed leaf is one
// finding per operation it reaches. Time and memory are measured in bench/api-compat.ts, not here.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffDocuments, RULES } from '../../actions/api-compat/src/diff/index.js';
import { applyExceptions } from '../../actions/api-compat/src/exceptions.js';
import { outcomeOf } from '../../actions/api-compat/src/outcome.js';
import { renderFindings, SUMMARY_LIMITS } from '../../actions/api-compat/src/summary.js';
import { loadDocument } from '../../actions/api-compat/src/load/index.js';
import { anchorDag, refDag } from '../fixtures/api-compat/dag.js';

async function diffTexts(base: string, head: string) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-dag-'));
  writeFileSync(join(dir, 'base.yaml'), base);
  writeFileSync(join(dir, 'head.yaml'), head);
  const opts = { cwd: dir, allowExternalRefs: false };
  const [b, h] = await Promise.all([loadDocument('base', 'base.yaml', opts), loadDocument('head', 'head.yaml', opts)]);
  return diffDocuments(b.doc, h.doc);
}

describe('api-compat on schema DAGs', () => {
  it('22 levels of $refs, each used twice: the leaf type change once per operation, at the component', async () => {
    const findings = await diffTexts(refDag(22, 'integer'), refDag(22, 'string'));
    expect(findings.map((f) => [f.rule, f.method, f.path, f.location])).toEqual([
      ['response-property-type-changed', 'GET', '/things', '#/components/schemas/L0/properties/v/type'],
      ['request-property-type-changed', 'POST', '/things', '#/components/schemas/L0/properties/v/type'],
    ]);
    expect(findings[0].message).toBe(
      `response 200 (application/json) property '${'a.'.repeat(22)}v': type integer → string`,
    );
  });

  it('YAML anchors 16 deep, each aliased twice: one finding per operation', async () => {
    const findings = await diffTexts(anchorDag(16, 'integer'), anchorDag(16, 'string'));
    expect(findings.map((f) => [f.rule, f.method, f.path])).toEqual([
      ['response-property-type-changed', 'GET', '/things'],
      ['request-property-type-changed', 'POST', '/things'],
    ]);
    expect(findings.every((f) => f.location.endsWith('/properties/v/type'))).toBe(true);
  });

  it('the summary lists the change once, with the operations it reaches and how many more', async () => {
    const findings = await diffTexts(refDag(22, 'integer', 40), refDag(22, 'string', 40));
    expect(findings).toHaveLength(42);
    const located = findings.map((f) => ({ ...f, file: 'head.yaml', line: 1 }));
    const applied = applyExceptions(located, undefined, new Date());
    const outcome = outcomeOf(applied.findings, RULES, 'breaking');
    const md = renderFindings(
      {
        base: { version: '3.0', root: {}, source: 'base.yaml' },
        head: { version: '3.0', root: {}, source: 'head.yaml' },
        outcome,
        findings: located,
        applied,
        reportPath: 'r.json',
      },
      SUMMARY_LIMITS,
    );
    expect(md).toContain('### Breaking changes (42)');
    const rows = md.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(2); // one per rule (response, request), not one per operation
    expect(rows.find((r) => r.includes('response-property-type-changed'))).toContain(
      '| `GET /things`, `GET /things/v0`, `GET /things/v1` and 38 more | response 200',
    );
  });

  it('no change in an identical DAG', async () => {
    expect(await diffTexts(refDag(22, 'integer'), refDag(22, 'integer'))).toEqual([]);
    expect(await diffTexts(anchorDag(16, 'integer'), anchorDag(16, 'integer'))).toEqual([]);
  });
});

describe('YAML alias expansion bound', () => {
  it('counts shared objects once per place, and refuses a document whose aliases expand past the bound', async () => {
    const { expandedSize, MAX_EXPANDED_VALUES } = await import('../../actions/api-compat/src/load/parse.js');
    const leaf = { type: 'string' };
    expect(expandedSize({ a: leaf, b: leaf, c: 1, d: [leaf] }, 100)).toBe(1 + 2 + 2);
    const laughs = [
      'openapi: 3.0.3',
      'info: { title: L, version: "1" }',
      'paths: {}',
      'x-lol:',
      '  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ];
    for (let i = 1; i <= 8; i++)
      laughs.push(
        `  l${i}: &l${i} [${Array(10)
          .fill(`*l${i - 1}`)
          .join(', ')}]`,
      );
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-laughs-'));
    writeFileSync(join(dir, 'lol.yaml'), laughs.join('\n') + '\n');
    const t = performance.now();
    const err = await loadDocument('head', 'lol.yaml', { cwd: dir, allowExternalRefs: false }).catch((e: Error) => e);
    expect(String(err)).toContain(
      `Input 'head' is 'lol.yaml': lol.yaml: YAML aliases expand this document to more than ${MAX_EXPANDED_VALUES.toLocaleString('en')} maps and lists`,
    );
    expect(performance.now() - t).toBeLessThan(5000);
  });
});
