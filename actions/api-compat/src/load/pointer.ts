// JSON pointers as `$ref` fragments write them (`#/components/schemas/Pet`, `~1` for '/', `~0` for '~').

/** Segments of a `#/…` fragment, unescaped (percent-encoding too, as URI fragments may carry it). */
export function pointerSegments(fragment: string): string[] {
  const body = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (body === '' || body === '/') return body === '/' ? [''] : [];
  let text = body;
  try {
    text = decodeURIComponent(body);
  } catch {
    // A stray '%' is kept as written.
  }
  return text
    .slice(text.startsWith('/') ? 1 : 0)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `#/a/b~1c` from segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return '#' + segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The value at a pointer, or undefined when there is none. */
export function resolvePointer(root: unknown, segments: readonly string[]): unknown {
  let node = root;
  for (const s of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, s)) return undefined;
    node = (node as Record<string, unknown>)[s];
  }
  return node;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
