// JSON pointers (`#/paths/~1users/get`) into a parsed document: building them and following them.

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
const unescape = (s: string): string => decodeURIComponentSafe(s).replace(/~1/g, '/').replace(/~0/g, '~');

function decodeURIComponentSafe(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** `join('#/paths', '/users', 'get')` → `#/paths/~1users/get`. */
export function join(ptr: string, ...segments: (string | number)[]): string {
  let out = ptr;
  for (const s of segments) out += `/${escape(String(s))}`;
  return out;
}

/** The value at a local pointer (`#/…`), or undefined when it does not resolve. */
export function at(root: unknown, ptr: string): unknown {
  if (!ptr.startsWith('#')) return undefined;
  const body = ptr.slice(1);
  if (body === '' || body === '/') return body === '' ? root : (root as Record<string, unknown>)?.[''];
  let node: unknown = root;
  for (const raw of body.slice(1).split('/')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[unescape(raw)];
  }
  return node;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
