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
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    generation?: number;
    uid?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
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
      return errors.map((e) => ({
        field: e.instancePath.slice(1).replace(/\//g, '.'),
        message: e.message ?? 'invalid',
      }));
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
    if (!QUALIFIED_NAME.test(k))
      out.push({
        field: `metadata.labels`,
        message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
      });
    if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v))
      out.push({
        field: `metadata.labels`,
        message: `Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
      });
  }
  for (const [k, v] of Object.entries(obj.metadata.annotations ?? {})) {
    if (!QUALIFIED_NAME.test(k))
      out.push({
        field: `metadata.annotations`,
        message: `Invalid value: "${k}": name part must consist of alphanumeric characters, '-', '_' or '.'`,
      });
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
    if (!DNS_LABEL.test(obj.metadata.name))
      out.push({
        field: 'metadata.name',
        message: `Invalid value: "${obj.metadata.name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-'`,
      });
    for (const [k, v] of Object.entries((obj.spec?.selector ?? {}) as Record<string, unknown>)) {
      if (!QUALIFIED_NAME.test(k))
        out.push({ field: `spec.selector`, message: `Invalid value: "${k}": invalid label key` });
      if (typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v))
        out.push({
          field: `spec.selector`,
          message: `Invalid value: "${String(v)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.'`,
        });
    }
    return out;
  },
};

/** What apps/v1 validation adds to the schema: the selector selects the template, container names are unique. */
function workloadCheck(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const selector = (obj.spec?.selector?.matchLabels ?? {}) as Record<string, string>;
  const labels = (obj.spec?.template?.metadata?.labels ?? {}) as Record<string, string>;
  if (Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    out.push({
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
    });
  }
  const names = ((obj.spec?.template?.spec?.containers ?? []) as { name?: string }[]).map((c) => c.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      out.push({ field: `spec.template.spec.containers[${i}].name`, message: `Duplicate value: "${n}"` });
  });
  return out;
}

/**
 * The pod template defaults the API server fills in (SetDefaults_PodSpec, _Container, _ContainerPort), so a template
 * sent by kubectl (Go structs) and one sent by a JSON client compare equal once stored, as on a cluster.
 */
function podTemplateDefaults(template: any): void {
  if (!template?.spec) return;
  const spec = template.spec;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of spec.containers ?? []) {
    const tag = /^[^@]*:([^/:@]+)$/.exec(c.image ?? '')?.[1];
    c.imagePullPolicy ??= !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  }
}

/** The apps/v1 Deployment defaults the API server fills in (SetDefaults_Deployment). */
function deploymentDefaults(obj: KubeObject): void {
  obj.spec ??= {};
  podTemplateDefaults(obj.spec.template);
  obj.spec.replicas ??= 1;
  obj.spec.progressDeadlineSeconds ??= 600;
  obj.spec.revisionHistoryLimit ??= 10;
  obj.spec.strategy ??= { type: 'RollingUpdate' };
  if (obj.spec.strategy.type === 'RollingUpdate')
    obj.spec.strategy.rollingUpdate = { maxUnavailable: '25%', maxSurge: '25%', ...obj.spec.strategy.rollingUpdate };
}

/** Rolled out by the simulated Deployment controller in kube-rollout.ts, when a test starts it. */
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
  defaults: deploymentDefaults,
  validate: (obj) => [
    ...schemaCheck((o) => new Deployment(o as never))(obj),
    ...metadataCheck(obj),
    ...workloadCheck(obj),
  ],
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
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.replicas ??= 1;
    podTemplateDefaults(obj.spec.template);
  },
  validate: (obj) => [
    ...schemaCheck((o) => new ReplicaSet(o as never))(obj),
    ...metadataCheck(obj),
    ...workloadCheck(obj),
  ],
};
