// Istio VirtualService and Gateway API HTTPRoute as the contract server serves them. Their typed models are not
// installed (kubernetes-models holds only built-in types), so the checks below are transcribed by hand from the
// published CRD schemas (istio/api networking v1 VirtualService; gateway-api v1 HTTPRoute, standard channel) and
// Istio's validating webhook, for the fields Shipgate reads and writes: hosts, http[].route[] destinations and
// weights; parentRefs, rules[].backendRefs[] names, ports and weights, with the CRD defaults.
import type { FieldError, KubeObject, ResourceType } from './resources.js';

const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
const isStr = (v: unknown) => typeof v === 'string';
const arr = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

function checkStrings(out: FieldError[], field: string, value: unknown, maxItems?: number): void {
  if (value === undefined) return;
  const list = arr(value);
  if (!list) return void out.push({ field, message: 'must be array' });
  if (maxItems !== undefined && list.length > maxItems)
    out.push({ field, message: `must have at most ${maxItems} items` });
  list.forEach((v, i) => isStr(v) || out.push({ field: `${field}[${i}]`, message: 'must be string' }));
}

function checkVirtualService(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec = obj.spec;
  if (typeof spec !== 'object' || spec === null) return [{ field: 'spec', message: 'Required value' }];
  checkStrings(out, 'spec.hosts', spec.hosts);
  checkStrings(out, 'spec.gateways', spec.gateways);
  // The webhook: a VirtualService that is not a delegate (it has gateways or is bound to the mesh) needs a host.
  if (!arr(spec.hosts)?.length)
    out.push({ field: 'spec.hosts', message: 'virtual service must have at least one host' });
  if (spec.http === undefined) return out;
  const http = arr(spec.http);
  if (!http) return [...out, { field: 'spec.http', message: 'must be array' }];
  http.forEach((route: any, i) => {
    const at = `spec.http[${i}]`;
    if (typeof route !== 'object' || route === null) return void out.push({ field: at, message: 'must be object' });
    if (route.name !== undefined && !isStr(route.name)) out.push({ field: `${at}.name`, message: 'must be string' });
    if (!route.route && !route.redirect && !route.directResponse && !route.delegate) {
      out.push({ field: at, message: 'HTTP route, redirect, direct response or delegate is required' });
    }
    if (route.route === undefined) return;
    const dests = arr(route.route);
    if (!dests) return void out.push({ field: `${at}.route`, message: 'must be array' });
    let total = 0;
    dests.forEach((d: any, j) => {
      const dat = `${at}.route[${j}]`;
      if (typeof d?.destination !== 'object' || d.destination === null)
        return void out.push({ field: `${dat}.destination`, message: 'Required value' });
      if (!isStr(d.destination.host) || !d.destination.host)
        out.push({ field: `${dat}.destination.host`, message: 'Required value' });
      if (d.destination.subset !== undefined && !isStr(d.destination.subset))
        out.push({ field: `${dat}.destination.subset`, message: 'must be string' });
      const port = d.destination.port?.number;
      if (port !== undefined && (!isInt(port) || port < 0 || port > 4294967295))
        out.push({ field: `${dat}.destination.port.number`, message: 'must be uint32' });
      if (d.weight !== undefined && (!isInt(d.weight) || d.weight < 0 || d.weight > 2147483647)) {
        out.push({ field: `${dat}.weight`, message: `weight ${d.weight} must be a non-negative int32` });
      }
      total += isInt(d.weight) ? d.weight : 0;
    });
    if (dests.length > 1 && total === 0) out.push({ field: `${at}.route`, message: 'total destination weight = 0' });
  });
  return out;
}

export const VIRTUAL_SERVICES: ResourceType = {
  group: 'networking.istio.io',
  // Istio serves the same schema under v1 (1.22+), v1beta1 and v1alpha3.
  versions: ['v1', 'v1beta1', 'v1alpha3'],
  kind: 'VirtualService',
  plural: 'virtualservices',
  singular: 'virtualservice',
  shortNames: ['vs'],
  namespaced: true,
  builtin: false,
  generation: true,
  statusSubresource: true,
  validate: checkVirtualService,
};

const NAME_253 = (v: unknown) => isStr(v) && (v as string).length >= 1 && (v as string).length <= 253;
const KIND = /^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const GROUP = /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function checkRef(out: FieldError[], at: string, ref: any, backend: boolean): void {
  if (typeof ref !== 'object' || ref === null) return void out.push({ field: at, message: 'must be object' });
  if (!NAME_253(ref.name)) out.push({ field: `${at}.name`, message: 'Required value: 1 to 253 characters' });
  if (ref.group !== undefined && (!isStr(ref.group) || !GROUP.test(ref.group)))
    out.push({ field: `${at}.group`, message: 'must match a DNS subdomain or be empty' });
  if (ref.kind !== undefined && (!isStr(ref.kind) || !KIND.test(ref.kind) || ref.kind.length > 63))
    out.push({ field: `${at}.kind`, message: 'invalid kind' });
  if (ref.namespace !== undefined && (!isStr(ref.namespace) || !NAMESPACE.test(ref.namespace)))
    out.push({ field: `${at}.namespace`, message: 'invalid namespace' });
  if (ref.port !== undefined && (!isInt(ref.port) || ref.port < 1 || ref.port > 65535))
    out.push({ field: `${at}.port`, message: 'must be an integer from 1 to 65535' });
  if (!backend) return;
  if (ref.weight !== undefined && (!isInt(ref.weight) || ref.weight < 0 || ref.weight > 1_000_000))
    out.push({ field: `${at}.weight`, message: 'must be an integer from 0 to 1000000' });
  // x-kubernetes-validations on BackendRef.
  if ((ref.group ?? '') === '' && (ref.kind ?? 'Service') === 'Service' && ref.port === undefined)
    out.push({ field: at, message: 'Must have port for Service reference' });
}

function checkHttpRoute(obj: KubeObject): FieldError[] {
  const out: FieldError[] = [];
  const spec = obj.spec;
  if (typeof spec !== 'object' || spec === null) return [{ field: 'spec', message: 'Required value' }];
  if (spec.parentRefs !== undefined) {
    const refs = arr(spec.parentRefs);
    if (!refs) out.push({ field: 'spec.parentRefs', message: 'must be array' });
    else if (refs.length > 32) out.push({ field: 'spec.parentRefs', message: 'must have at most 32 items' });
    refs?.forEach((r, i) => checkRef(out, `spec.parentRefs[${i}]`, r, false));
  }
  checkStrings(out, 'spec.hostnames', spec.hostnames, 16);
  const rules = arr(spec.rules);
  if (!rules) return [...out, { field: 'spec.rules', message: 'must be array' }];
  if (rules.length > 16) out.push({ field: 'spec.rules', message: 'must have at most 16 items' });
  rules.forEach((rule: any, i) => {
    if (rule.backendRefs === undefined) return;
    const refs = arr(rule.backendRefs);
    if (!refs) return void out.push({ field: `spec.rules[${i}].backendRefs`, message: 'must be array' });
    if (refs.length > 16) out.push({ field: `spec.rules[${i}].backendRefs`, message: 'must have at most 16 items' });
    refs.forEach((r, j) => checkRef(out, `spec.rules[${i}].backendRefs[${j}]`, r, true));
  });
  return out;
}

export const HTTP_ROUTES: ResourceType = {
  group: 'gateway.networking.k8s.io',
  versions: ['v1'],
  kind: 'HTTPRoute',
  plural: 'httproutes',
  singular: 'httproute',
  namespaced: true,
  builtin: false,
  generation: true,
  statusSubresource: true,
  // The CRD's structural defaults, applied on every write.
  defaults(obj) {
    obj.spec ??= {};
    obj.spec.rules ??= [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }];
    for (const rule of arr(obj.spec.rules) ?? []) {
      for (const ref of (arr((rule as any)?.backendRefs) ?? []) as any[]) {
        if (typeof ref !== 'object' || ref === null) continue;
        ref.group ??= '';
        ref.kind ??= 'Service';
        ref.weight ??= 1;
      }
    }
  },
  validate: checkHttpRoute,
};
