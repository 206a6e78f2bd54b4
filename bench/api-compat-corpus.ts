// Recall and precision of api-compat's classification on the labelled pair batches: the held-out batch (labels
// written from the reference checker's documented classification before any rule was changed for it) and the tuning
// batch the rules were fixed against. Prints one line per batch and per category, then every wrong case.
// Usage: npx tsx bench/api-compat-corpus.ts [--quiet]
import { HELDOUT } from '../test/fixtures/api-compat/heldout/cases.js';
import { HELDOUT_2 } from '../test/fixtures/api-compat/heldout/batch-2.js';
import { TUNING } from '../test/fixtures/api-compat/tuning/cases.js';
import type { Case } from '../test/fixtures/api-compat/pairs.js';
import { score } from '../test/fixtures/api-compat/score.js';

const quiet = process.argv.includes('--quiet');
const pct = (n: number) => n.toFixed(3);
/** Recall and precision mean nothing for a category without breaking cases (controls only). */
const pair = (s: { tp: number; fn: number; fp: number; recall: number; precision: number }) =>
  s.tp + s.fn + s.fp ? `recall ${pct(s.recall)}  precision ${pct(s.precision)}` : 'recall   -    precision   -  ';

function report(name: string, cases: Case[]): void {
  const s = score(cases);
  console.log(
    `${name.padEnd(11)} cases ${String(s.cases).padStart(3)}  breaking ${s.tp + s.fn}  recall ${pct(s.recall)}  precision ${pct(s.precision)}  (tp ${s.tp} fp ${s.fp} fn ${s.fn} tn ${s.tn})`,
  );
  const categories = [...new Set(cases.map((k) => k.category))];
  for (const cat of categories) {
    const c = score(cases.filter((k) => k.category === cat));
    console.log(`  ${cat.padEnd(24)} ${String(c.cases).padStart(3)} cases  ${pair(c)}  wrong ${c.wrong.length}`);
  }
  if (quiet) return;
  for (const { k, v } of s.wrong) {
    console.log(
      `  ${k.breaking ? 'MISSED     ' : 'FALSE ALARM'} ${k.category}: ${k.name} [expected ${k.ref}] found ${v.rules.join(', ') || 'nothing'}`,
    );
  }
}

report('held-out', HELDOUT);
report('held-out 2', HELDOUT_2);
report('tuning', TUNING);
