// The resource types the Kubernetes contract server serves, each with the schema check the real API server (or the
// CRD's published OpenAPI schema and webhook) applies after every write. Built-in types are checked with the
// published OpenAPI schemas in `kubernetes-models`; Istio and Gateway API models are not installed, so their checks
// are written by hand from the CRDs for exactly the fields Shipgate reads and writes.
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { ReplicaSet } from 'kubernetes-models/apps/v1/ReplicaSet';
import { Service } from 'kubernetes-models/v1/Service';

/** A stored object; `metadata` is always present once the server has it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; generation?: number; uid?: string; annotations?: Record<string, string>; labels?: Record<string, string>; [k: string]: unknown };
  spec?: any;
  status?: any;
  [k: string]: unknown;
}

/** One field the API rejects, as in a Status `details.causes` entry. */
export interface FieldError {
  field: string;
  message: string;
}

/** A resource the server serves: what discovery lists and what a write is checked against. */
export interface ResourceType {
  /** API group; '' for the core group (served under /api/v1). */
  group: string;
  /** Served versions, preferred first; one stored object is returned in whichever version was asked for. */
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  namespaced: boolean;
  /** Built-in types accept strategic merge patches; custom resources answer 415 as the real server does. */
  builtin: boolean;
  /** `metadata.generation` counts spec changes (Deployments, custom resources; not Services). */
  generation: boolean;
  /** `status` is a subresource: writes to the object keep the stored status, only `/status` changes it. */
  statusSubresource: boolean;
  /** Fills in what the API server defaults on write. */
  defaults?(obj: KubeObject): void;
  /** Problems after a write; empty when the object is valid. */
  validate(obj: KubeObject): FieldError[];
}

/** `kubernetes-models` validation (ajv against the published OpenAPI schema) as field errors. */
function schemaCheck(make: (o: KubeObject) => { validate(): void }): (obj: KubeObject) => FieldError[] {
  return (obj) => {
    try {
      make(obj).validate();
      return [];
    } catch (err) {
      const errors = (err as { errors?: { instancePath: string; message?: string }[] }).errors;
      if (!errors) throw err;
      return errors.map((e) => ({ field: e.instancePath.slice(1).replace(/\//g, '.'), message: e.message ?? 'invalid' }));
    }
  };
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What apimachinery checks on every object's metadata: label values, label and annotation keys. */
function metadataCheck(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(obj.metadata.labels ?? {})) {
    if (!QUALIFIED_NAME.test(k)) out.push({ field: `metadata.labels`, message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'` });
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) out.push({ field: `metadata.labels`, message: `Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'` });
  }
  for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (!QUALIFIED_NAME.test(k)) out.push({ field: `metadata.annotations`, message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'` });
    if (typeof v !== 'string') out.push({ field: `metadata.annotations.${k}`, message: 'must be string' });
  }
  return out;
}

const serviceSchema = schemaCheck((o) => new Service(o as never));

export const SERVICES: ResourceType = {
  group: '',
  versions: ['v1'],
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  namespaced: true,
  builtin: true,
  generation: false,
  statusSubresource: true,
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.type ??= 'ClusterIP';
    obj.spec.sessionAffinity ??= 'None';
    for (const p of obj.spec.ports ?? []) {
      p.protocol ??= 'TCP';
      p.targetPort ??= p.port;
    }
  },
  validate(obj) {
    const out = [...serviceSchema(obj), ...metadataCheck(obj)];
    if (!DNS_LABEL.test(obj.metadata.name)) out.push({ field: 'metadata.name', message: `Invalid value: "${obj.metadata.name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-'` });
    for (const [k, v] of Object.entries((obj.spec?.selector ?? {}) as Record<string, unknown>)) {
      if (!QUALIFIED_NAME.test(k)) out.push({ field: `spec.selector`, message: `Invalid value: "${k}": invalid label key` });
      if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)) out.push({ field: `spec.selector`, message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'` });
    }
    return out;
  },
};

/** Registered for the rollback step's Deployment rollouts; a controller that moves their status can be added per test. */
export const DEPLOYMENTS: ResourceType = {
  group: 'apps',
  versions: ['v1'],
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  namespaced: true,
  builtin: true,
  generation: true,
  statusSubresource: true,
  validate: (obj) => [...schemaCheck((o) => new Deployment(o as never))(obj), ...metadataCheck(obj)],
};

export const REPLICASETS: ResourceType = {
  group: 'apps',
  versions: ['v1'],
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  namespaced: true,
  builtin: true,
  generation: true,
  statusSubresource: true,
  validate: (obj) => [...schemaCheck((o) => new ReplicaSet(o as never))(obj), ...metadataCheck(obj)],
};

export { VIRTUAL_SERVICES, HTTP_ROUTES } from './kube-crds.js';
