// One traversal of a parsed document, shared by bundling and the Swagger 2.0 conversion.
import { isObject } from './pointer.js';

/** Maps whose keys are names an author chose (a property may be called `example`), not keywords. */
const NAMED = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'schemas',
  'parameters',
  'responses',
  'headers',
]);

/**
 * Calls `visit` on every object of the tree once (YAML aliases share objects; each is seen once, so an in-place
 * rewrite never happens twice). Example values are data, not schema, and are not entered: `example`, an `examples`
 * list, and the `value` of an Example Object. Iterative, so deep documents cannot overflow the stack.
 */
export function walkObjects(root: unknown, visit: (obj: Record<string, unknown>) => void): void {
  const seen = new WeakSet<object>();
  // Each entry: a node, and whether it is an Example Object.
  const stack: [unknown, boolean][] = [[root, false]];
  while (stack.length) {
    const [node, example] = stack.pop()!;
    if (typeof node !== 'object' || node === null || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const item of node) stack.push([item, false]);
      continue;
    }
    const obj = node as Record<string, unknown>;
    visit(obj);
    for (const [key, child] of Object.entries(obj)) {
      if (key === 'example' || (example && key === 'value') || (key === 'examples' && Array.isArray(child))) continue;
      if (isObject(child) && (key === 'examples' || NAMED.has(key))) {
        for (const v of Object.values(child)) stack.push([v, key === 'examples']);
        continue;
      }
      stack.push([child, false]);
    }
  }
}
