// Where Kubernetes credentials come from, in client-go's order (KubeConfig.loadFromDefault's semantics): the
// `kubeconfig` setting (the input, else KUBECONFIG; a path list is merged), then ~/.kube/config, then the pod's
// service account. The job environment comes from the Platform, never from process.env.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, errorMessage } from '../errors.js';
import type { Platform } from '../platform/platform.js';

type KubeLibrary = typeof import('./library.js');
let library: Promise<KubeLibrary> | undefined;

/**
 * @kubernetes/client-node, loaded on first use: it is most of a bundle that holds it, and only the Kubernetes
 * backends need it, so every other step and backend starts without parsing it.
 */
export function kubeLibrary(): Promise<KubeLibrary> {
  return (library ??= import('./library.js'));
}

/** The kubeconfig path(s) to use: the `kubeconfig` input, else the job's KUBECONFIG; undefined falls back further. */
export function kubeconfigPath(input: string, env: (name: string) => string | undefined): string | undefined {
  return input || env('KUBECONFIG') || undefined;
}

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

function loadFiles(kc: KubeConfig, files: string[], KubeConfigClass: new () => KubeConfig): void {
  files.forEach((file, i) => {
    if (!existsSync(file)) {
      throw new ConfigError(
        `Input 'kubeconfig' (or KUBECONFIG) names '${file}', which does not exist. Give the path of a kubeconfig file.`,
      );
    }
    try {
      if (i === 0) kc.loadFromFile(file);
      else {
        const more = new KubeConfigClass();
        more.loadFromFile(file);
        kc.mergeConfig(more);
      }
    } catch (err) {
      throw new ConfigError(
        `Input 'kubeconfig' (or KUBECONFIG) names '${file}', which is not a valid kubeconfig: ${errorMessage(err)}`,
      );
    }
  });
}

/** The same cluster and user KubeConfig.loadFromCluster builds, from the platform's environment. */
function inCluster(kc: KubeConfig, host: string, port: string): void {
  const scheme = ['80', '8080', '8001'].includes(port) ? 'http' : 'https';
  const server = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  kc.loadFromClusterAndUser(
    { name: 'inCluster', server, caFile: `${SERVICE_ACCOUNT}/ca.crt`, skipTLSVerify: false },
    { name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: `${SERVICE_ACCOUNT}/token` } } },
  );
}

/**
 * Loads the kubeconfig Shipgate talks to the cluster with, and masks its secrets (token, password) in every log line.
 * Throws ConfigError, naming the `kubeconfig` input, when there is none or it cannot be read.
 */
export async function loadKubeConfig(kubeconfig: string | undefined, platform: Platform): Promise<KubeConfig> {
  const { KubeConfig } = await kubeLibrary();
  const kc = new KubeConfig();
  const files = (kubeconfig ?? '').split(delimiter).filter(Boolean);
  const home = platform.env('HOME');
  const host = platform.env('KUBERNETES_SERVICE_HOST');
  if (files.length) loadFiles(kc, files, KubeConfig);
  else if (home && existsSync(join(home, '.kube', 'config')))
    loadFiles(kc, [join(home, '.kube', 'config')], KubeConfig);
  else if (host && existsSync(`${SERVICE_ACCOUNT}/token`))
    inCluster(kc, host, platform.env('KUBERNETES_SERVICE_PORT') ?? '443');
  else {
    throw new ConfigError(
      "Input 'kubeconfig' is empty and there is no KUBECONFIG, ~/.kube/config or in-cluster service account. Give the path of a kubeconfig (e.g. written by your cloud's login action).",
    );
  }
  if (!kc.getCurrentCluster()) {
    throw new ConfigError(
      `The kubeconfig (input 'kubeconfig' or KUBECONFIG) has no current context with a cluster: current-context is '${kc.getCurrentContext() ?? ''}'.`,
    );
  }
  const user = kc.getCurrentUser();
  platform.setSecret(user?.token ?? '');
  platform.setSecret(user?.password ?? '');
  return kc;
}
