// The objects Shipgate reads and patches, as plain data: which kind, which one, what it holds, and how a change is
// written. No client here, so the testing fake and the traffic backends share the types without loading one.
/** A kind of object Shipgate reads or patches. */
export interface KubeResource {
  /** API group; '' for the core group. */
  group: string;
  /** Versions to try, preferred first; the next is used when the server does not serve one. */
  versions: string[];
  plural: string;
  kind: string;
}

/** One object, and the input that named it (for error messages). */
export interface KubeRef {
  resource: KubeResource;
  namespace: string;
  name: string;
  input: string;
}

/** Which object controls this one: a ReplicaSet's Deployment. */
export type OwnerReference = { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean };

/** The parts of an object Shipgate reads. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReference[];
  };
  spec?: any;
  status?: any;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

/** A change as sent: a JSON merge patch (RFC 7386) or a JSON patch (RFC 6902). */
export type KubePatch = { type: 'merge'; body: Record<string, unknown> } | { type: 'json'; ops: JsonPatchOp[] };

export const SERVICE: KubeResource = { group: '', versions: ['v1'], plural: 'services', kind: 'Service' };
export const DEPLOYMENT: KubeResource = { group: 'apps', versions: ['v1'], plural: 'deployments', kind: 'Deployment' };
export const REPLICASET: KubeResource = { group: 'apps', versions: ['v1'], plural: 'replicasets', kind: 'ReplicaSet' };

/** The same change with the read resourceVersion as a precondition: the server answers 409 if the object moved on. */
export function guarded(patch: KubePatch, current: KubeObject): KubePatch {
  const rv = current.metadata?.resourceVersion;
  if (!rv) return patch;
  if (patch.type === 'json')
    return { type: 'json', ops: [{ op: 'replace', path: '/metadata/resourceVersion', value: rv }, ...patch.ops] };
  const metadata = { ...(patch.body.metadata as Record<string, unknown> | undefined), resourceVersion: rv };
  return { type: 'merge', body: { ...patch.body, metadata } };
}
