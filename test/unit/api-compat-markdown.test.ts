// A pull request's spec is untrusted: what it names (paths, properties, enum values, descriptions, file names) must
// reach the job summary and the PR/MR comment as text, never as HTML, an image, a link, a mention or a broken table.
import { describe, expect, it } from 'vitest';
import { diffDocuments, RULES } from '../../actions/api-compat/src/diff/index.js';
import { applyExceptions } from '../../actions/api-compat/src/exceptions.js';
import type { LocatedFinding } from '../../actions/api-compat/src/locations.js';
import { outcomeOf } from '../../actions/api-compat/src/outcome.js';
import { renderComment, renderFindings, SUMMARY_LIMITS } from '../../actions/api-compat/src/summary.js';
import { code, table, text } from '../../shared/src/report/markdown.js';

const HOSTILE =
  '<img src=https://evil.example/t.png onerror=alert(1)> @acme/security-team ``` `x` ![i](https://evil.example/i.png) [click](https://evil.example) a|b\nsecond line';

/** The Markdown with its code spans taken out (CommonMark: a backtick run closes at the next run of the same length). */
function outsideCode(md: string): { rest: string; unbalanced: number } {
  let rest = '';
  let unbalanced = 0;
  for (let i = 0; i < md.length;) {
    if (md[i] === '\\') {
      rest += md.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (md[i] !== '`') {
      rest += md[i++];
      continue;
    }
    let n = 0;
    while (md[i + n] === '`') n++;
    const close = new RegExp(`(?<!\`)\`{${n}}(?!\`)`, 'g');
    close.lastIndex = i + n;
    const m = close.exec(md);
    const lineRest = md.slice(i + n, md.indexOf('\n', i) < 0 ? md.length : md.indexOf('\n', i));
    if (n >= 3 && (i === 0 || md[i - 1] === '\n') && !lineRest.includes('`')) {
      // A fenced block (its info string has no backtick): up to the closing fence line.
      const end = md.indexOf('\n' + '`'.repeat(n), i + n);
      i = end < 0 ? md.length : end + 1 + n;
      if (end < 0) unbalanced++;
      continue;
    }
    if (!m) {
      unbalanced++;
      rest += '`'.repeat(n);
      i += n;
    } else i = m.index + n;
  }
  return { rest, unbalanced };
}

/** Cell delimiters of a table row as GFM counts them: a pipe after a backslash belongs to the cell. */
function pipes(row: string): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') n++;
  }
  return n;
}

function checkInert(md: string): void {
  const { rest, unbalanced } = outsideCode(md);
  expect(unbalanced, md).toBe(0);
  expect(rest).not.toMatch(/<img/i);
  expect(rest).not.toMatch(/@(?!\u200d)[\w-]/);
  expect(rest).not.toMatch(/(?<!\\)!?(?<!\\)\[[^\]]*(?<!\\)\]\(/);
  for (const block of md.split(/\n\n/).filter((b) => b.startsWith('| '))) {
    const rows = block.split('\n');
    for (const row of rows) expect(pipes(row), row).toBe(pipes(rows[0]));
  }
}

describe('Markdown from a hostile spec', () => {
  it('text() and code() keep any value inert and the table whole', () => {
    checkInert(`${text(HOSTILE)}\n\n${code(HOSTILE)}\n\n${table(['a', 'b'], [[text(HOSTILE), code(HOSTILE)]])}`);
    expect(code('`a`')).toBe('`` `a` ``');
    expect(text('@team')).toBe('@\u200dteam');
  });

  it('the summary and the comment of a diff between hostile specs', () => {
    const path = `/pets/{id}\`<img src=x>\`|@acme/ops`;
    const schema = (extra: Record<string, unknown>) => ({
      type: 'object',
      required: [HOSTILE],
      properties: { [HOSTILE]: { type: 'string', enum: [HOSTILE, '@acme/team'] }, ...extra },
    });
    const doc = (s: Record<string, unknown>, extraPath: boolean) => ({
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        [path]: {
          get: {
            operationId: HOSTILE,
            responses: { '200': { description: HOSTILE, content: { 'application/json': { schema: s } } } },
          },
        },
        ...(extraPath
          ? { [`/gone\n## heading ${HOSTILE}`]: { get: { responses: { '200': { description: 'x' } } } } }
          : {}),
      },
    });
    const base = {
      version: '3.0' as const,
      root: doc(schema({ ['old' + HOSTILE]: { type: 'integer' } }), true),
      source: 'https://h/x.yaml?q=`<img src=y>`',
    };
    const head = {
      version: '3.0' as const,
      root: doc({ ...schema({}), properties: { [HOSTILE]: { type: 'integer', enum: [1] } } }, false),
      source: 'openapi.yaml',
    };
    const raw = diffDocuments(base, head);
    expect(raw.length).toBeGreaterThan(2);
    const applied = applyExceptions(raw, undefined, new Date());
    const outcome = outcomeOf(applied.findings, RULES, 'breaking');
    const findings: LocatedFinding[] = applied.findings.map((f) => ({ ...f, file: `specs/${HOSTILE}.yaml`, line: 3 }));
    const data = { base, head, outcome, findings, applied, reportPath: 'shipgate-reports/api-compat.json' };
    const summary = renderFindings(data, SUMMARY_LIMITS);
    const comment = renderComment(data, '');
    for (const md of [summary, comment]) checkInert(md);
    // The hostile names are there, as text: nothing was dropped.
    expect(summary).toContain('&lt;img src=https://evil.example/t.png onerror=alert(1)&gt; @\u200dacme/security-team');
    expect(summary).not.toContain('\n## heading');
  });
});
