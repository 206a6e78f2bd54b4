import { describe, expect, it } from 'vitest';
import { junitXml, xmlEscape } from '../../shared/src/report/junit.js';
import { cell, code, details, Summary, table } from '../../shared/src/report/markdown.js';
import { mermaidGraph } from '../../shared/src/report/mermaid.js';

describe('markdown', () => {
  it('builds tables whose cells cannot break the layout', () => {
    expect(
      table(
        ['A', 'B'],
        [
          ['x|y', 'line1\nline2'],
          [1, undefined],
        ],
      ),
    ).toBe('| A | B |\n| --- | --- |\n| x\\|y | line1<br>line2 |\n| 1 |  |');
    expect(cell(null)).toBe('');
  });
  it('quotes code with backticks inside', () => {
    expect(code('a')).toBe('`a`');
    expect(code('a`b')).toBe('``a`b``');
  });
  it('collects summary parts in order', () => {
    const s = new Summary();
    expect(s.empty).toBe(true);
    s.heading('Title', 3)
      .add('text')
      .table(['h'], [['v']]);
    expect(s.toString()).toBe('### Title\n\ntext\n\n| h |\n| --- |\n| v |');
    expect(details('more', 'body')).toBe('<details><summary>more</summary>\n\nbody\n\n</details>');
  });
});

describe('junitXml', () => {
  it('writes suites with counts, failures and skips, escaping text', () => {
    const xml = junitXml([
      {
        name: 'health',
        cases: [
          { name: 'config-center', timeSeconds: 0.012 },
          { name: 'user <svc>', failure: { message: 'HTTP 503 & "down"', details: 'after 4 attempts' } },
          { name: 'order', skipped: 'no health check' },
        ],
      },
    ]);
    expect(xml).toContain('<testsuites tests="3" failures="1" skipped="1">');
    expect(xml).toContain('<testsuite name="health" tests="3" failures="1" skipped="1" time="0.012">');
    expect(xml).toContain('<testcase name="config-center" classname="health" time="0.012"/>');
    expect(xml).toContain('<testcase name="user &lt;svc&gt;" classname="health">');
    expect(xml).toContain('<failure message="HTTP 503 &amp; &quot;down&quot;">after 4 attempts</failure>');
    expect(xml).toContain('<skipped message="no health check"/>');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  });
  it('drops characters XML cannot hold', () => {
    expect(xmlEscape('a\u0000b\u0008c\td')).toBe('abc\td');
  });
});

describe('mermaidGraph', () => {
  it('groups nodes, draws edges and colours by class with safe ids and labels', () => {
    const text = mermaidGraph(
      [{ id: 'a "x"', className: 'ok' }, { id: 'b-svc' }, { id: 'c' }],
      [
        ['a "x"', 'b-svc'],
        ['b-svc', 'missing'],
      ],
      { groups: [{ title: 'Wave 1', ids: ['a "x"'] }], classes: { ok: 'fill:#0f0' } },
    );
    expect(text.split('\n')).toEqual([
      'flowchart LR',
      '  subgraph g0["Wave 1"]',
      '    n0["a #quot;x#quot;"]',
      '  end',
      '  n1["b-svc"]',
      '  n2["c"]',
      '  n0 --> n1',
      '  classDef ok fill:#0f0',
      '  class n0 ok',
    ]);
  });
});
