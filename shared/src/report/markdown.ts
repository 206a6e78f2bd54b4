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

/**
 * Untrusted text (a spec's paths, names, enum values and descriptions; a file name; a server's answer) as inert
 * inline Markdown: no HTML, image, link, code or emphasis it could start (an image or a link needs its `[`), no line
 * break, and no @mention that pings anyone (a zero-width joiner follows the @). Renders as the same characters.
 * For inline use, not at the start of a line.
 */
export function text(value: unknown): string {
  return String(value ?? '')
    .replace(/\r\n?|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]~]/g, '\\$&')
    .replace(/@/g, '@\u200d');
}

/** Longest run of backticks in `value`. */
function longestTicks(value: string): number {
  return Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
}

/**
 * Inline code that holds any value, untrusted ones included: its fence is longer than any backtick run inside, and
 * line breaks become spaces. Nothing in a code span is rendered as HTML, a link or a mention.
 */
export function code(value: string): string {
  const flat = String(value).replace(/\r\n?|\n/g, ' ');
  const fence = '`'.repeat(longestTicks(flat) + 1);
  // A value that starts or ends with a backtick needs a space, which the code span then drops again.
  const pad = /^`|`$/.test(flat) ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced block, e.g. a mermaid diagram or an error message; a fence in the body cannot close it. */
export function fenced(lang: string, body: string): string {
  const fence = '`'.repeat(Math.max(3, longestTicks(body) + 1));
  return fence + lang + '\n' + body + '\n' + fence;
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
    const remainder = {
      markdown: first.markdown.split('\n').slice(1).join('\n'),
      terminal: first.terminal === '' ? '' : undefined,
    };
    return [remainder, ...rest]
      .map((p) => p.terminal ?? markdownToTerminal(p.markdown, s))
      .filter((t) => t !== '')
      .join('\n\n');
  }
}
