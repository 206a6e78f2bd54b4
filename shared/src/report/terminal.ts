// The job summary's Markdown, rendered for a person at a terminal: aligned tables, bold and colour instead of
// markup, <details> as a plain heading, diagrams replaced by the text view a step gives (or a pointer).

/** ANSI styles; identity functions when colour is off (NO_COLOR, --no-color, not a TTY). */
export interface Style {
  bold(t: string): string;
  dim(t: string): string;
  red(t: string): string;
  green(t: string): string;
  yellow(t: string): string;
  cyan(t: string): string;
}

const sgr = (open: number, close: number) => (t: string) => `\u001b[${open}m${t}\u001b[${close}m`;

export function style(color: boolean): Style {
  const plain = (t: string) => t;
  if (!color) return { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

/** Columns a string takes: escapes take none, most emoji two. */
export function width(text: string): number {
  let n = 0;
  for (const ch of text.replace(/\u001b\[[0-9;]*m/g, '')) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfe0f || (cp >= 0x300 && cp < 0x370)) continue;
    n += cp >= 0x1f300 || (cp >= 0x2600 && cp < 0x27c0 && cp !== 0x2192 && cp !== 0x2190) ? 2 : 1;
  }
  return n;
}

const pad = (t: string, w: number) => t + ' '.repeat(Math.max(0, w - width(t)));

/** Inline Markdown → styled text. */
export function inline(text: string, s: Style): string {
  return text
    .replace(/<br\s*\/?>/g, ' / ')
    .replace(/<\/?(sub|sup|code|b|strong|em|i)>/g, '')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_m, t: string, u: string) => `${t} (${u})`)
    .replace(/\*\*([^*]+)\*\*/g, (_m, t: string) => s.bold(t))
    .replace(/``([^`]+)``|`([^`]+)`/g, (_m, a: string | undefined, b: string | undefined) => s.cyan(a ?? b ?? ''))
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,;:])/g, (_m, pre: string, t: string) => pre + s.dim(t))
    .replace(/\\\|/g, '|');
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function renderTable(rows: string[], s: Style): string[] {
  const body = rows
    .filter((r) => !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(r.trim()))
    .map((r) => cells(r).map((c) => inline(c, s)));
  const cols = Math.max(...body.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(...body.map((r) => width(r[i] ?? ''))));
  return body.map((r, i) => {
    const line = widths
      .map((w, j) => pad(r[j] ?? '', w))
      .join('  ')
      .trimEnd();
    return i === 0 ? s.bold(line) : line;
  });
}

/** Renders summary Markdown for a terminal. */
export function markdownToTerminal(markdown: string, s: Style): string {
  const out: string[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = /^```(\w*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      while (++i < lines.length && !lines[i].startsWith('```')) body.push(lines[i]);
      if (fence[1] === 'mermaid') out.push(s.dim('(diagram: in the job summary, or with --format markdown)'));
      else out.push(...body.map((b) => `  ${b}`));
      continue;
    }
    if (line.trim().startsWith('|')) {
      const rows: string[] = [];
      for (; i < lines.length && lines[i].trim().startsWith('|'); i++) rows.push(lines[i]);
      i--;
      out.push(...renderTable(rows, s));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      out.push(s.bold(inline(heading[2], s)));
      continue;
    }
    const summary = /<details>\s*<summary>(.*?)<\/summary>/.exec(line);
    if (summary) {
      out.push(s.bold(inline(summary[1], s)));
      continue;
    }
    if (/^\s*<\/?details>\s*$/.test(line)) continue;
    out.push(inline(line, s));
  }
  // One blank line at most between blocks.
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
