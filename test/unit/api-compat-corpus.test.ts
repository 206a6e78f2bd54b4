// The labelled pair batches (see test/fixtures/api-compat/heldout/README.md): the tuning batch the rules were fixed
// against, and the held-out batch that was labelled first and never tuned on. Both must stay at or above the
// issue's bar, and each pair must compare clean against itself.
import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../actions/api-compat/src/diff/index.js';
import { HELDOUT } from '../fixtures/api-compat/heldout/cases.js';
import { HELDOUT_2 } from '../fixtures/api-compat/heldout/batch-2.js';
import { TUNING } from '../fixtures/api-compat/tuning/cases.js';
import { CORPUS_NOW, openapi, score, verdict } from '../fixtures/api-compat/score.js';

describe.each([
  ['held-out', HELDOUT],
  ['held-out 2', HELDOUT_2],
  ['tuning', TUNING],
])('%s batch', (_, cases) => {
  it('covers every version and both verdicts', () => {
    for (const v of ['2.0', '3.0', '3.1'])
      expect(cases.filter((k) => k.version === v).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((k) => k.breaking).length).toBeGreaterThan(20);
    expect(cases.filter((k) => !k.breaking).length).toBeGreaterThan(20);
  });

  it.each(cases.map((k) => [k.name, k] as const))('%s', (_name, k) => {
    const v = verdict(k);
    expect(v.breaking, `${k.ref}; found ${JSON.stringify(v.rules)}`).toBe(k.breaking);
  });

  it('reaches recall and precision of at least 0.97', () => {
    const s = score(cases);
    expect(s.recall).toBeGreaterThanOrEqual(0.97);
    expect(s.precision).toBeGreaterThanOrEqual(0.97);
  });

  it('reports nothing between a document and itself', () => {
    for (const k of cases) {
      for (const root of [k.base, k.head])
        expect(
          diffDocuments(openapi(root), openapi(root), { now: CORPUS_NOW, deprecationDays: k.deprecationDays }),
        ).toEqual([]);
    }
  });
});
