// Label selectors as the API server parses them from `?labelSelector=` (apimachinery's labels.Parse): equality
// (`a=b`, `a==b`, `a!=b`), set-based (`a in (x,y)`, `a notin (x)`), existence (`a`, `!a`), comma-separated and ANDed.
import { KubeStatusError } from './store.js';

/** One requirement of a selector. */
export interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!exists';
  values: string[];
}

/** Splits on commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((t) => t.trim()).filter(Boolean);
}

function bad(text: string): KubeStatusError {
  return new KubeStatusError(400, 'BadRequest', `unable to parse requirement: found '${text}', expected: identifier`);
}

/** Parses a selector; an empty one matches everything. Malformed text is a 400, as on the real server. */
export function parseSelector(text: string): Requirement[] {
  return terms(text).map((term) => {
    let m = /^([^\s=!(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) };
    m = /^([^\s=!(),]+)\s*(==|=|!=)\s*([^\s=!(),]*)$/.exec(term);
    if (m) return { key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] };
    m = /^(!?)([^\s=!(),]+)$/.exec(term);
    if (m) return { key: m[2], op: m[1] ? '!exists' : 'exists', values: [] };
    throw bad(term);
  });
}

export function matchesSelector(selector: Requirement[], labels: Record<string, string>): boolean {
  return selector.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'in':
        return has && r.values.includes(labels[r.key]);
      case 'notin':
        return !has || !r.values.includes(labels[r.key]);
      case 'exists':
        return has;
      case '!exists':
        return !has;
    }
  });
}
