import { markdownToTerminal, type Style } from './terminal.js';

/** Escapes a cell so pipes and newlines do not break the table. */
export function cell(value: unknown): string {
  return String(value ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** A GitHub-flavoured markdown table. */
export function table(headers: string[], rows: unknown[][]): string {
  const head = `| ${headers.map(cell).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  return [head, rule, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** Inline code that survives backticks in the value. */
export function code(value: string): string {
  const fence = value.includes('`') ? '``' : '`';
  return `${fence}${value}${fence}`;
}

/** A fenced block, e.g. a mermaid diagram. */
export function fenced(lang: string, body: string): string {
  return '```' + lang + '\n' + body + '\n```';
}

/** A collapsed section; GitHub and GitLab both render <details>. */
export function details(summaryText: string, body: string): string {
  return `<details><summary>${summaryText}</summary>\n\n${body}\n\n</details>`;
}

/** One block of a summary: its Markdown, and what a terminal shows instead ('' shows nothing). */
interface Part {
  markdown: string;
  terminal?: string;
}

/**
 * Collects one step's job summary, written once at the end by run(): Markdown for job summaries, and the same blocks
 * for a terminal, where a block may give its own text view (a wave diagram instead of Mermaid).
 */
export class Summary {
  private readonly parts: Part[] = [];

  add(markdown: string, opts: { terminal?: string } = {}): this {
    this.parts.push({ markdown, terminal: opts.terminal });
    return this;
  }

  heading(text: string, level = 2): this {
    return this.add(`${'#'.repeat(level)} ${text}`);
  }

  table(headers: string[], rows: unknown[][]): this {
    return this.add(table(headers, rows));
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  toString(): string {
    return this.parts.map((p) => p.markdown).join('\n\n');
  }

  /** The first block, for a terminal's one-line verdict. */
  get headline(): string {
    return this.parts[0]?.markdown.split('\n')[0] ?? '';
  }

  /** Everything after the headline, rendered for a terminal. */
  toTerminal(s: Style): string {
    const [first, ...rest] = this.parts;
    if (!first) return '';
    const remainder = { markdown: first.markdown.split('\n').slice(1).join('\n'), terminal: first.terminal === '' ? '' : undefined };
    return [remainder, ...rest]
      .map((p) => p.terminal ?? markdownToTerminal(p.markdown, s))
      .filter((t) => t !== '')
      .join('\n\n');
  }
}
