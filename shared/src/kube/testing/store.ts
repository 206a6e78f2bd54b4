// The object store behind the Kubernetes contract server: what etcd and the registry layer do on every write —
// optimistic concurrency on metadata.resourceVersion, immutable identity fields, status as a subresource, generation,
// defaulting and schema validation — and simulated controllers that react to committed writes.
import { randomUUID } from 'node:crypto';
import type { FieldError, KubeObject, ResourceType } from './resources.js';

/** A write the API refuses; the server turns it into a Status object with this code and reason. */
export class KubeStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A committed change, as controllers see it. */
export interface Change {
  type: ResourceType;
  kind: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  old?: KubeObject;
}

/**
 * Reacts to committed writes, like a controller in the cluster (e.g. a Deployment controller that creates
 * ReplicaSets and moves status). It may write through `store`; its writes are seen by the other controllers.
 */
export type Controller = (change: Change, store: KubeStore) => void;

const copy = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
/** JSON with sorted keys, so key order (which patches may change) does not count as a change. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const key = (t: ResourceType, ns: string | undefined, name: string) => `${t.plural}.${t.group}/${ns ?? ''}/${name}`;
export const groupVersion = (t: ResourceType, version = t.versions[0]) => (t.group ? `${t.group}/${version}` : version);

/** `services "web"` / `virtualservices.networking.istio.io "web"`, as API messages name an object. */
export function resourceName(t: ResourceType, name?: string): string {
  const res = t.group ? `${t.plural}.${t.group}` : t.plural;
  return name === undefined ? res : `${res} "${name}"`;
}

export class KubeStore {
  private readonly objects = new Map<string, KubeObject>();
  private readonly controllers: Controller[] = [];
  private revision = 1000;
  private depth = 0;

  /** Registers a simulated controller, called after every committed write. */
  controller(fn: Controller): void {
    this.controllers.push(fn);
  }

  get(t: ResourceType, ns: string | undefined, name: string): KubeObject | undefined {
    const o = this.objects.get(key(t, ns, name));
    return o && copy(o);
  }

  list(t: ResourceType, ns?: string): KubeObject[] {
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`${t.plural}.${t.group}/${ns === undefined ? '' : `${ns}/`}`))
      .map(([, o]) => copy(o));
  }

  /** The latest resourceVersion handed out, as lists report it. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  create(t: ResourceType, obj: KubeObject): KubeObject {
    const ns = t.namespaced ? (obj.metadata?.namespace ?? 'default') : undefined;
    const name = obj.metadata?.name;
    if (!name)
      throw new KubeStatusError(
        422,
        'Invalid',
        `${t.kind} "" is invalid: metadata.name: Required value: name or generateName is required`,
      );
    if (this.objects.has(key(t, ns, name)))
      throw new KubeStatusError(409, 'AlreadyExists', `${resourceName(t, name)} already exists`, {
        name,
        group: t.group,
        kind: t.plural,
      });
    const next = copy(obj);
    next.metadata = {
      ...next.metadata,
      namespace: ns,
      uid: randomUUID(),
      creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    delete next.metadata.resourceVersion;
    return this.commit(t, next, undefined);
  }

  /**
   * Replaces a stored object with `next` (a full object, as after a PUT or an applied patch). A resourceVersion in
   * `next` that is not the stored one is a 409 Conflict; `requireVersion` (PUT) makes a missing one a 422.
   */
  update(
    t: ResourceType,
    ns: string | undefined,
    name: string,
    next: KubeObject,
    opts: { subresource?: 'status'; requireVersion?: boolean } = {},
  ): KubeObject {
    const current = this.objects.get(key(t, ns, name));
    if (!current) throw notFound(t, name);
    const rv = next.metadata?.resourceVersion;
    if (opts.requireVersion && !rv) {
      throw invalid(t, name, [
        { field: 'metadata.resourceVersion', message: 'Invalid value: 0x0: must be specified for an update' },
      ]);
    }
    if (rv !== undefined && rv !== current.metadata.resourceVersion) {
      throw new KubeStatusError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${resourceName(t, name)}: the object has been modified; please apply your changes to the latest version and try again`,
        {
          name,
          group: t.group,
          kind: t.plural,
        },
      );
    }
    if (next.metadata?.name !== name || (t.namespaced && (next.metadata.namespace ?? ns) !== ns)) {
      throw new KubeStatusError(
        400,
        'BadRequest',
        `the name of the object (${next.metadata?.name} in ${next.metadata?.namespace}) does not match the name on the URL (${name} in ${ns})`,
      );
    }
    if (next.kind !== t.kind)
      throw new KubeStatusError(400, 'BadRequest', `kind ${next.kind} does not match ${t.kind}`);
    let out: KubeObject = copy(next);
    if (opts.subresource === 'status') out = { ...copy(current), status: out.status };
    else if (t.statusSubresource) out.status = copy(current.status);
    out.metadata = {
      ...out.metadata,
      namespace: ns,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: current.metadata.resourceVersion,
      generation: current.metadata.generation,
    };
    return this.commit(t, out, current);
  }

  delete(t: ResourceType, ns: string | undefined, name: string): KubeObject {
    const current = this.objects.get(key(t, ns, name));
    if (!current) throw notFound(t, name);
    this.objects.delete(key(t, ns, name));
    this.notify({ type: t, kind: 'DELETED', object: copy(current) });
    return copy(current);
  }

  private commit(t: ResourceType, next: KubeObject, current: KubeObject | undefined): KubeObject {
    next.apiVersion = groupVersion(t);
    t.defaults?.(next);
    const problems = t.validate(next);
    if (problems.length) throw invalid(t, next.metadata.name, problems);
    // A write that changes nothing is not a new revision, as on a real API server.
    if (current && same(next, current)) return copy(current);
    if (t.generation)
      next.metadata.generation = current
        ? (current.metadata.generation ?? 1) + (same(next.spec, current.spec) ? 0 : 1)
        : 1;
    else delete next.metadata.generation;
    next.metadata.resourceVersion = String(++this.revision);
    this.objects.set(key(t, next.metadata.namespace, next.metadata.name), next);
    this.notify({ type: t, kind: current ? 'MODIFIED' : 'ADDED', object: copy(next), old: current && copy(current) });
    return copy(next);
  }

  private notify(change: Change): void {
    if (this.depth > 20) throw new Error('Simulated controllers keep writing: more than 20 nested writes.');
    this.depth++;
    try {
      for (const c of this.controllers) c(change, this);
    } finally {
      this.depth--;
    }
  }
}

export function notFound(t: ResourceType, name: string): KubeStatusError {
  return new KubeStatusError(404, 'NotFound', `${resourceName(t, name)} not found`, {
    name,
    group: t.group,
    kind: t.plural,
  });
}

function invalid(t: ResourceType, name: string, problems: FieldError[]): KubeStatusError {
  const causes = problems.map((p) => ({ reason: 'FieldValueInvalid', message: p.message, field: p.field }));
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const message = `${t.kind} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`;
  return new KubeStatusError(422, 'Invalid', message, { name, group: t.group, kind: t.kind, causes });
}
