// GitHub Actions expressions, as far as Shipgate's workflows use them: contexts (`inputs.x`, `needs.j.outputs.o`,
// `steps.s.outputs.o`, `matrix.x`, `x['y']`), literals, `!`, `==`, `!=`, `&&`, `||`, parentheses, and the functions
// fromJSON, toJSON, startsWith, join and the status checks. Semantics follow GitHub's documentation: `&&`/`||` return
// an operand, `==` compares strings case-insensitively and other types as numbers, missing properties are null.

export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

/** What an expression can read, plus the job's status for success()/failure()/cancelled(). */
export interface Scope {
  contexts: Record<string, Value>;
  status?: 'success' | 'failure' | 'cancelled';
}

type Token = { kind: 'num' | 'str' | 'id' | 'op'; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let s = '';
      for (i++; ; i++) {
        if (i >= src.length) throw new Error(`unterminated string in: ${src}`);
        if (src[i] === "'" && src[i + 1] === "'") ((s += "'"), i++);
        else if (src[i] === "'") break;
        else s += src[i];
      }
      i++;
      out.push({ kind: 'str', text: s });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      out.push({ kind: 'num', text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      out.push({ kind: 'id', text: m[0] });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      const op = ['==', '!=', '&&', '||', '<=', '>='].includes(two) ? two : c;
      if (!'!=&|()[].,<>'.includes(op[0])) throw new Error(`unexpected '${c}' in: ${src}`);
      out.push({ kind: 'op', text: op });
      i += op.length;
    }
  }
  return out;
}

export const truthy = (v: Value): boolean => !(v === null || v === false || v === 0 || v === '' || Number.isNaN(v));

/** GitHub's string form of a value, as it lands in `with:` or a template. */
export function asString(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v, null, 2);
  return String(v);
}

function toNumber(v: Value): number {
  if (v === null || v === false) return 0;
  if (v === true) return 1;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return v.trim() === '' ? 0 : Number(v);
  return NaN;
}

function equals(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'object' && a !== null) return a === b;
  return toNumber(a) === toNumber(b);
}

function index(obj: Value, key: Value): Value {
  if (obj === null || typeof obj !== 'object') return null;
  if (Array.isArray(obj)) return typeof key === 'number' ? (obj[key] ?? null) : null;
  const k = Object.keys(obj).find((n) => n.toLowerCase() === String(key).toLowerCase());
  return k === undefined ? null : obj[k];
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly scope: Scope,
  ) {}

  parse(): Value {
    const v = this.or();
    if (this.pos !== this.tokens.length) throw new Error(`unexpected '${this.tokens[this.pos].text}'`);
    return v;
  }

  private peek(text: string): boolean {
    const t = this.tokens[this.pos];
    return t?.kind === 'op' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.peek(text)) throw new Error(`expected '${text}'`);
    this.pos++;
  }

  private or(): Value {
    let v = this.and();
    while (this.peek('||')) {
      this.pos++;
      const r = this.and();
      v = truthy(v) ? v : r;
    }
    return v;
  }

  private and(): Value {
    let v = this.compare();
    while (this.peek('&&')) {
      this.pos++;
      const r = this.compare();
      v = truthy(v) ? r : v;
    }
    return v;
  }

  private compare(): Value {
    const v = this.unary();
    if (this.peek('==') || this.peek('!=')) {
      const op = this.tokens[this.pos++].text;
      const r = this.unary();
      return op === '==' ? equals(v, r) : !equals(v, r);
    }
    return v;
  }

  private unary(): Value {
    if (this.peek('!')) {
      this.pos++;
      return !truthy(this.unary());
    }
    return this.postfix(this.primary());
  }

  private postfix(v: Value): Value {
    for (;;) {
      if (this.peek('.')) {
        this.pos++;
        const t = this.tokens[this.pos++];
        if (t?.kind !== 'id') throw new Error('expected a property name');
        v = index(v, t.text);
      } else if (this.peek('[')) {
        this.pos++;
        const key = this.or();
        this.expect(']');
        v = index(v, key);
      } else return v;
    }
  }

  private primary(): Value {
    const t = this.tokens[this.pos++];
    if (!t) throw new Error('unexpected end');
    if (t.kind === 'str') return t.text;
    if (t.kind === 'num') return Number(t.text);
    if (t.kind === 'op' && t.text === '(') {
      const v = this.or();
      this.expect(')');
      return v;
    }
    if (t.kind !== 'id') throw new Error(`unexpected '${t.text}'`);
    if (t.text === 'true' || t.text === 'false') return t.text === 'true';
    if (t.text === 'null') return null;
    if (this.peek('(')) {
      this.pos++;
      const args: Value[] = [];
      while (!this.peek(')')) {
        args.push(this.or());
        if (this.peek(',')) this.pos++;
      }
      this.pos++;
      return this.call(t.text, args);
    }
    return this.scope.contexts[t.text] ?? null;
  }

  private call(name: string, args: Value[]): Value {
    const status = this.scope.status ?? 'success';
    switch (name.toLowerCase()) {
      case 'fromjson':
        return JSON.parse(asString(args[0])) as Value;
      case 'tojson':
        return JSON.stringify(args[0], null, 2);
      case 'startswith':
        return asString(args[0]).toLowerCase().startsWith(asString(args[1]).toLowerCase());
      case 'join':
        return Array.isArray(args[0])
          ? args[0].map(asString).join(args[1] === undefined ? ',' : asString(args[1]))
          : asString(args[0]);
      case 'success':
        return status === 'success';
      case 'failure':
        return status === 'failure';
      case 'cancelled':
        return status === 'cancelled';
      case 'always':
        return true;
      default:
        throw new Error(`function ${name}() is not supported by this evaluator`);
    }
  }
}

/** Evaluates one expression (the text inside `${{ }}`, or a bare `if:`). */
export function evaluate(expression: string, scope: Scope): Value {
  return new Parser(tokenize(expression), scope).parse();
}

const TEMPLATE = /\$\{\{([\s\S]*?)\}\}/g;

/** A workflow value with its `${{ }}` parts evaluated: a value that is one expression keeps its type. */
export function interpolate(text: string, scope: Scope): Value {
  const whole = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(text);
  if (whole && !whole[1].includes('}}')) return evaluate(whole[1], scope);
  return text.replace(TEMPLATE, (_m, expr: string) => asString(evaluate(expr, scope)));
}

/** Evaluates a node of a parsed workflow (string, list, map) deeply. */
export function interpolateDeep(node: unknown, scope: Scope): Value {
  if (typeof node === 'string') return interpolate(node, scope);
  if (Array.isArray(node)) return node.map((n) => interpolateDeep(n, scope));
  if (node && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, interpolateDeep(v, scope)]));
  return (node ?? null) as Value;
}

/** Evaluates an `if:` (with or without `${{ }}`); without a status function, success() is implied, as GitHub does. */
export function condition(text: unknown, scope: Scope): boolean {
  if (text === undefined) return (scope.status ?? 'success') === 'success';
  if (typeof text === 'boolean') return text && (scope.status ?? 'success') === 'success';
  const expr = String(text).replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1');
  const hasStatus = /\b(success|failure|cancelled|always)\s*\(/.test(expr);
  const value = truthy(evaluate(expr, scope));
  return hasStatus ? value : value && (scope.status ?? 'success') === 'success';
}

/** Every `${{ }}` expression in a string. */
export function expressions(text: string): string[] {
  return [...text.matchAll(TEMPLATE)].map((m) => m[1].trim());
}
