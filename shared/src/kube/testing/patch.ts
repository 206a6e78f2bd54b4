// The two patch formats the Kubernetes API accepts for every resource: JSON merge patch (RFC 7386) and JSON patch
// (RFC 6902). Written here rather than taken from a library so the contract server depends on nothing the code under
// test also uses.

/** A patch the server could not apply; the API answers 422 with this message. */
export class PatchError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

/** RFC 7386: objects merge key by key, `null` deletes, everything else (arrays included) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: Record<string, unknown> = isObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** One RFC 6902 operation. */
export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer '${pointer}'`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The container holding the pointer's last token, and that token. */
function parent(doc: unknown, pointer: string): { container: Record<string, unknown> | unknown[]; key: string } {
  const path = tokens(pointer);
  if (!path.length) throw new PatchError('the root cannot be the target of this operation');
  let node: unknown = doc;
  for (const t of path.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(t)] : isObject(node) ? node[t] : undefined;
    if (node === undefined) throw new PatchError(`doc is missing path: ${pointer}`);
  }
  if (!Array.isArray(node) && !isObject(node)) throw new PatchError(`doc is missing path: ${pointer}`);
  return { container: node, key: path[path.length - 1] };
}

function index(arr: unknown[], key: string, forAdd: boolean): number {
  if (forAdd && key === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw new PatchError(`invalid array index '${key}'`);
  const i = Number(key);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new PatchError(`array index ${i} out of bounds`);
  return i;
}

function get(doc: unknown, pointer: string): unknown {
  let node: unknown = doc;
  for (const t of tokens(pointer)) {
    node = Array.isArray(node) ? node[Number(t)] : isObject(node) ? node[t] : undefined;
    if (node === undefined) throw new PatchError(`doc is missing path: ${pointer}`);
  }
  return node;
}

function add(doc: unknown, pointer: string, value: unknown): void {
  const { container, key } = parent(doc, pointer);
  if (Array.isArray(container)) container.splice(index(container, key, true), 0, clone(value));
  else container[key] = clone(value);
}

function remove(doc: unknown, pointer: string): unknown {
  const { container, key } = parent(doc, pointer);
  if (Array.isArray(container)) return container.splice(index(container, key, false), 1)[0];
  if (!(key in container)) throw new PatchError(`doc is missing key: ${pointer}`);
  const old = container[key];
  delete container[key];
  return old;
}

/** RFC 6902, applied to a copy; any failing operation (including `test`) rejects the whole patch. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be an array of operations');
  const out = clone(doc);
  for (const raw of ops as JsonPatchOp[]) {
    if (!isObject(raw) || typeof raw.path !== 'string')
      throw new PatchError(`invalid operation ${JSON.stringify(raw)}`);
    switch (raw.op) {
      case 'add':
        add(out, raw.path, raw.value);
        break;
      case 'remove':
        remove(out, raw.path);
        break;
      case 'replace':
        remove(out, raw.path);
        add(out, raw.path, raw.value);
        break;
      case 'move':
        add(out, raw.path, remove(out, String(raw.from)));
        break;
      case 'copy':
        add(out, raw.path, get(out, String(raw.from)));
        break;
      case 'test':
        if (JSON.stringify(get(out, raw.path)) !== JSON.stringify(raw.value))
          throw new PatchError(`testing value ${raw.path} failed`);
        break;
      default:
        throw new PatchError(`unknown operation '${String((raw as { op: unknown }).op)}'`);
    }
  }
  return out;
}
