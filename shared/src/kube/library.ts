// The parts of @kubernetes/client-node Shipgate uses, named one by one. The bundler keeps only what a module
// exports by name and drops the rest of the client (exec, watch, informers, every other API group), so the lazy
// chunk is a tenth of the whole client. KubeConfig stays the client's own, with every auth form it supports
// (client certificates, tokens, token files, exec plugins, OIDC, Azure and GCP providers, proxies).
export {
  KubeConfig,
  CoreV1Api,
  AppsV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  ApiException,
} from '@kubernetes/client-node';
