// Lines of JSON pointers in JSON text, many at once, in one pass. GitHub's descriptions are 11 MB of JSON: a
// position-keeping parse of those costs seconds and hundreds of MB, while a scan that only follows the wanted
// pointers and skips everything else takes tens of milliseconds.

interface Trie {
  children: Map<string, Trie>;
  /** 1-based line of the key or element this node stands for. */
  line?: number;
}

/**
 * For each pointer (as segments), the line of the deepest part of it that exists in the text: the node itself, or
 * its nearest ancestor when the node is not there. Text that is not JSON yields line 1 for everything.
 */
export function locateJson(text: string, pointers: readonly (readonly string[])[]): number[] {
  const root: Trie = { children: new Map(), line: 1 };
  for (const segs of pointers) {
    let node = root;
    for (const s of segs) {
      let next = node.children.get(s);
      if (!next) node.children.set(s, (next = { children: new Map() }));
      node = next;
    }
  }
  const newlines: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) newlines.push(i);
  const lineAt = (pos: number) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid] < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  try {
    new Scanner(text, lineAt).value(root);
  } catch {
    // Malformed text: whatever was found so far stands, the rest falls back to ancestors.
  }
  return pointers.map((segs) => {
    let node = root;
    let line = root.line!;
    for (const s of segs) {
      const next = node.children.get(s);
      if (!next || next.line === undefined) break;
      node = next;
      line = next.line;
    }
    return line;
  });
}

class Scanner {
  i = 0;
  constructor(
    private readonly t: string,
    private readonly lineAt: (pos: number) => number,
  ) {}

  private ws(): void {
    const t = this.t;
    let c = t.charCodeAt(this.i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = t.charCodeAt(++this.i);
  }

  /** Reads a value; descends only where the trie has children, else skips. */
  value(node: Trie | undefined): void {
    this.ws();
    const c = this.t.charCodeAt(this.i);
    if (!node || node.children.size === 0) return this.skip();
    if (c === 123 /* { */) this.object(node);
    else if (c === 91 /* [ */) this.array(node);
    else this.skip();
  }

  private object(node: Trie): void {
    this.i++;
    for (;;) {
      this.ws();
      if (this.t.charCodeAt(this.i) === 125 /* } */) return void this.i++;
      const at = this.i;
      const key = this.string();
      const child = node.children.get(key);
      if (child) child.line = this.lineAt(at);
      this.ws();
      this.i++; // ':'
      this.value(child);
      this.ws();
      if (this.t.charCodeAt(this.i) === 44 /* , */) this.i++;
      else if (this.t.charCodeAt(this.i) === 125) return void this.i++;
      else throw new Error('bad object');
    }
  }

  private array(node: Trie): void {
    this.i++;
    for (let n = 0; ; n++) {
      this.ws();
      if (this.t.charCodeAt(this.i) === 93 /* ] */) return void this.i++;
      const child = node.children.get(String(n));
      if (child) child.line = this.lineAt(this.i);
      this.value(child);
      this.ws();
      if (this.t.charCodeAt(this.i) === 44) this.i++;
      else if (this.t.charCodeAt(this.i) === 93) return void this.i++;
      else throw new Error('bad array');
    }
  }

  private string(): string {
    const t = this.t;
    const start = ++this.i;
    let escaped = false;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (c === 92 /* \ */) {
        escaped = true;
        this.i += 2;
      } else if (c === 34 /* " */) break;
      else if (Number.isNaN(c)) throw new Error('unterminated string');
      else this.i++;
    }
    const raw = t.slice(start, this.i++);
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  /** Skips one value without building anything: strings, and brackets counted to depth 0. */
  private skip(): void {
    const t = this.t;
    let depth = 0;
    for (;;) {
      const c = t.charCodeAt(this.i);
      if (Number.isNaN(c)) return;
      if (c === 34) {
        this.i++;
        for (;;) {
          const d = t.charCodeAt(this.i);
          if (d === 92) this.i += 2;
          else if (d === 34 || Number.isNaN(d)) break;
          else this.i++;
        }
        this.i++;
        if (depth === 0) return;
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) return; // the end of the parent: leave it to the caller
        depth--;
        if (depth === 0) return void this.i++;
      } else if (depth === 0 && (c === 44 || c === 32 || c === 10 || c === 13 || c === 9)) return;
      this.i++;
    }
  }
}
