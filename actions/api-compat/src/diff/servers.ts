// Servers and base paths, at document, path and operation level. Warnings: clients usually configure their base URL,
// but a moved base path or a server that is gone deserves a reviewer's look.
import type { OpRef } from './collector.js';
import type { DiffContext } from './context.js';
import { isObject, join } from './pointer.js';

interface Server {
  url: string;
  origin: string;
  path: string;
  ptr: string;
}

function servers(list: unknown, ptr: string): Server[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((s, i) => {
    let url = typeof s.url === 'string' ? s.url : '/';
    // Fill server variables with their defaults so `{version}` templates compare by what clients use.
    if (isObject(s.variables)) {
      for (const [name, v] of Object.entries(s.variables))
        if (isObject(v) && v.default !== undefined) url = url.split(`{${name}}`).join(String(v.default));
    }
    url = url.replace(/\/+$/, '') || '/';
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)(.*)$/i.exec(url);
    return { url, origin: m ? m[1].toLowerCase() : '', path: (m ? m[2] : url) || '/', ptr: join(ptr, i) };
  });
}

/** Compares the `servers` of one level; `owner*Ptr` point at the object holding them. */
export function diffServers(
  ctx: DiffContext,
  op: OpRef,
  bOwner: Record<string, unknown>,
  bOwnerPtr: string,
  hOwner: Record<string, unknown>,
  hOwnerPtr: string,
): void {
  if (bOwner.servers === undefined && hOwner.servers === undefined) return;
  const b = servers(bOwner.servers, join(bOwnerPtr, 'servers'));
  const h = servers(hOwner.servers, join(hOwnerPtr, 'servers'));
  const hUrls = new Set(h.map((s) => s.url));
  const bUrls = new Set(b.map((s) => s.url));
  const moved = new Set<string>();
  for (const s of b) {
    if (hUrls.has(s.url)) continue;
    const sameOrigin = h.find((x) => x.origin === s.origin && !bUrls.has(x.url));
    if (sameOrigin) {
      moved.add(sameOrigin.url);
      ctx.out.add(
        'server-base-path-changed',
        op,
        sameOrigin.ptr,
        'head',
        `server ${s.origin || 'base path'} ${s.path} → ${sameOrigin.path}`,
      );
    } else ctx.out.add('server-removed', op, s.ptr, 'base', `server ${s.url} removed`);
  }
  for (const s of h)
    if (!bUrls.has(s.url) && !moved.has(s.url)) ctx.out.add('server-added', op, s.ptr, 'head', `server ${s.url} added`);
}
