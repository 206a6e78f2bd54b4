// The one place Shipgate calls Kubernetes, through @kubernetes/client-node 1.4 (CoreV1Api and AppsV1Api for built-in
// objects, CustomObjectsApi for Istio and Gateway API). Every answer is mapped to the project's errors here: a missing object
// is the user's input (ConfigError), a refusal or an unreachable server is ExternalError (exit 3), and writes are
// read-modify-write with resourceVersion as a precondition, retried with a fresh read on 409 Conflict.
import type { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, setHeaderOptions } from '@kubernetes/client-node';
import { ConfigError, ExternalError, errorMessage, withHint } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Platform } from '../platform/platform.js';
import { kubeLibrary, loadKubeConfig } from './config.js';
import { guarded, type KubeObject, type KubePatch, type KubeRef, type KubeResource } from './objects.js';

export * from './objects.js';

/** What a client needs from the job: the platform (log lines, masking, environment) and the clock (retry pauses). */
export interface KubeDeps {
  platform: Platform;
  clock: Clock;
}

const ATTEMPTS = 5;

type Options = ReturnType<typeof setHeaderOptions>;

/** A 409 from the API server: the object changed since it was read. */
class Conflict extends ExternalError {}

interface Status {
  message?: string;
  reason?: string;
  details?: { name?: string };
}

type KubeLibrary = Awaited<ReturnType<typeof kubeLibrary>>;

interface Apis {
  lib: KubeLibrary;
  core: CoreV1Api;
  apps: AppsV1Api;
  custom: CustomObjectsApi;
}

/** The calls of one built-in kind through its typed API. */
interface Typed {
  read(o: Options): Promise<KubeObject>;
  patch(body: unknown, o: Options): Promise<KubeObject>;
  list(labelSelector: string | undefined, o: Options): Promise<{ items: KubeObject[] }>;
}

type Verb = 'get' | 'list' | 'patch';

export class KubeClient {
  private apis?: Promise<Apis>;
  /** Set once the first call has loaded the library (every error path runs after that). */
  private lib?: KubeLibrary;
  /** Version each resource was found at, so a fallback is tried once. */
  private readonly served = new Map<KubeResource, string>();
  server = '';

  /** `config` loads the kubeconfig; it runs on the first call, which is always a read, so a bad one fails before any change. */
  constructor(
    private readonly config: () => Promise<KubeConfig>,
    private readonly deps: KubeDeps,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Loads credentials from the `kubeconfig` setting (see config.ts). */
  static connect(kubeconfig: string | undefined, deps: KubeDeps): KubeClient {
    return new KubeClient(() => loadKubeConfig(kubeconfig, deps.platform), deps);
  }

  private api(): Promise<Apis> {
    return (this.apis ??= (async () => {
      const lib = await kubeLibrary();
      const kc = await this.config();
      this.lib = lib;
      this.server = kc.getCurrentCluster()?.server ?? '';
      return {
        lib,
        core: kc.makeApiClient(lib.CoreV1Api),
        apps: kc.makeApiClient(lib.AppsV1Api),
        custom: kc.makeApiClient(lib.CustomObjectsApi),
      };
    })());
  }

  async get(ref: KubeRef): Promise<KubeObject> {
    const apis = await this.api();
    return this.call(
      'get',
      ref,
      (version, options) =>
        this.typed(apis, ref)?.read(options) ??
        apis.custom.getNamespacedCustomObject(this.coords(ref, version), options),
    );
  }

  async patch(ref: KubeRef, patch: KubePatch): Promise<KubeObject> {
    const apis = await this.api();
    const body = patch.type === 'json' ? patch.ops : patch.body;
    const type = patch.type === 'json' ? apis.lib.PatchStrategy.JsonPatch : apis.lib.PatchStrategy.MergePatch;
    return this.call('patch', ref, (version, options) => {
      const opts = apis.lib.setHeaderOptions('Content-Type', type, options);
      return (
        this.typed(apis, ref)?.patch(body, opts) ??
        apis.custom.patchNamespacedCustomObject({ ...this.coords(ref, version), body }, opts)
      );
    });
  }

  /** Objects of one kind in `namespace` matching `labelSelector` (`app=web,tier!=db`), e.g. a Deployment's ReplicaSets. */
  async list(
    resource: KubeResource,
    namespace: string,
    labelSelector?: string,
    input = 'namespace',
  ): Promise<KubeObject[]> {
    const apis = await this.api();
    const ref: KubeRef = { resource, namespace, name: '', input };
    const answer = await this.call('list', ref, (version, options) => {
      const typed = this.typed(apis, ref);
      if (typed) return typed.list(labelSelector, options);
      const { name: _name, ...coords } = this.coords(ref, version);
      return apis.custom.listNamespacedCustomObject({ ...coords, labelSelector }, options) as Promise<{
        items: KubeObject[];
      }>;
    });
    return answer.items ?? [];
  }

  /** Built-in kinds go through their typed API; custom resources through CustomObjectsApi. */
  private typed({ core, apps }: Apis, ref: KubeRef): Typed | undefined {
    const { name, namespace } = ref;
    const key = `${ref.resource.group}/${ref.resource.plural}`;
    switch (key) {
      case '/services':
        return {
          read: (o) => core.readNamespacedService({ name, namespace }, o),
          patch: (body, o) => core.patchNamespacedService({ name, namespace, body }, o),
          list: (labelSelector, o) => core.listNamespacedService({ namespace, labelSelector }, o),
        };
      case 'apps/deployments':
        return {
          read: (o) => apps.readNamespacedDeployment({ name, namespace }, o),
          patch: (body, o) => apps.patchNamespacedDeployment({ name, namespace, body }, o),
          list: (labelSelector, o) => apps.listNamespacedDeployment({ namespace, labelSelector }, o),
        };
      case 'apps/replicasets':
        return {
          read: (o) => apps.readNamespacedReplicaSet({ name, namespace }, o),
          patch: (body, o) => apps.patchNamespacedReplicaSet({ name, namespace, body }, o),
          list: (labelSelector, o) => apps.listNamespacedReplicaSet({ namespace, labelSelector }, o),
        };
      default:
        return undefined;
    }
  }

  /**
   * Read-modify-write: `change` turns a fresh read into the patch to send (undefined: nothing to change). The
   * patch is sent with the read resourceVersion as a precondition; on 409 the object is read again and the patch
   * rebuilt, up to 5 times. Returns the object as written (or as read when nothing changed).
   */
  async modify(ref: KubeRef, change: (current: KubeObject) => KubePatch | undefined): Promise<KubeObject> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(ref);
      const patch = change(current);
      if (!patch) return current;
      try {
        return await this.patch(ref, guarded(patch, current));
      } catch (err) {
        if (!(err instanceof Conflict) || attempt >= ATTEMPTS) throw err;
        this.deps.platform.info(
          `${this.describe(ref)} changed while Shipgate was writing it (409 Conflict); reading it again (attempt ${attempt + 1} of ${ATTEMPTS}).`,
        );
        await this.deps.clock.sleep(100 * attempt);
      }
    }
  }

  /** `kubectl -n <ns> patch <resource> <name> --type=<type> -p '<patch>'`: the exact change, in a form people can rerun. */
  command(ref: KubeRef, patch: KubePatch): string {
    const body = JSON.stringify(patch.type === 'json' ? patch.ops : patch.body);
    return `kubectl -n ${ref.namespace} patch ${this.kubectlName(ref.resource)} ${ref.name} --type=${patch.type} -p '${body}'`;
  }

  /** `Service default/web`. */
  describe(ref: KubeRef): string {
    return `${ref.resource.kind} ${ref.namespace}/${ref.name}`;
  }

  /** `deployments.apps` / `services`: the resource as kubectl names it unambiguously. */
  kubectlName(r: KubeResource): string {
    return r.group ? `${r.plural}.${r.group}` : r.plural;
  }

  private coords(ref: KubeRef, version: string) {
    return {
      group: ref.resource.group,
      version,
      namespace: ref.namespace,
      plural: ref.resource.plural,
      name: ref.name,
    };
  }

  /** Runs one API call with a timeout, trying the resource's next version when the server does not serve one. */
  private async call<T>(verb: Verb, ref: KubeRef, fn: (version: string, options: Options) => Promise<T>): Promise<T> {
    const known = this.served.get(ref.resource);
    const versions = known ? [known] : ref.resource.versions;
    const lib = this.lib!;
    for (const [i, version] of versions.entries()) {
      // The timeout rides on the request itself, so a hung server does not keep the job alive after it gave up.
      const header = lib.setHeaderOptions('Accept', 'application/json');
      const middleware = header.middleware!.map((m) => ({
        pre: (ctx: Parameters<typeof m.pre>[0]) => (ctx.setSignal(AbortSignal.timeout(this.timeoutMs)), m.pre(ctx)),
        post: m.post.bind(m),
      }));
      try {
        const result = await fn(version, { ...header, middleware });
        this.served.set(ref.resource, version);
        return result;
      } catch (err) {
        const status = statusOf(lib, err);
        const unserved = err instanceof lib.ApiException && err.code === 404 && !status?.details?.name;
        if (unserved && i < versions.length - 1) continue;
        throw this.translate(err, verb, ref, versions);
      }
    }
    throw new Error('unreachable: the loop returns or throws');
  }

  private translate(err: unknown, verb: Verb, ref: KubeRef, versions: string[]): Error {
    const what = ref.name ? this.describe(ref) : `${ref.resource.kind} objects in namespace ${ref.namespace}`;
    const res = this.kubectlName(ref.resource);
    const lib = this.lib!;
    if (!(err instanceof lib.ApiException)) {
      const reason =
        (err as { name?: string })?.name === 'AbortError' || (err as { name?: string })?.name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs / 1000}s`
          : errorMessage(err);
      const message = `The Kubernetes API at ${this.server} is unreachable (${verb} ${what}): ${reason}`;
      return new ExternalError(
        withHint(message, err, {
          input: "the server of the kubeconfig (input 'kubeconfig' or KUBECONFIG)",
          value: this.server,
          kind: 'url',
        }),
        { cause: err },
      );
    }
    const status = statusOf(lib, err);
    const said = status?.message ?? `HTTP ${err.code}`;
    switch (err.code) {
      case 401:
        return new ExternalError(
          `The Kubernetes API at ${this.server} rejected the credentials (401 Unauthorized) for ${verb} ${what}. Check the user in the kubeconfig (input 'kubeconfig' or KUBECONFIG).`,
        );
      case 403:
        return new ExternalError(
          `Forbidden: the Kubernetes API refused to ${verb} ${res} in namespace '${ref.namespace}' (RBAC). Grant the job's account the verb '${verb}' on '${res}' in a Role. The server said: ${said}`,
        );
      case 404:
        if (status?.details?.name) {
          return new ConfigError(
            `${what} does not exist (404): input '${ref.input}' is '${ref.name}' and input 'namespace' is '${ref.namespace}'. Check both.`,
          );
        }
        return new ConfigError(
          `The Kubernetes API at ${this.server} does not serve ${res} (tried ${versions.join(', ')}): is the CRD installed, and is input 'provider' right?`,
        );
      case 409:
        return new Conflict(
          `${what} kept changing while Shipgate wrote it (409 Conflict ${ATTEMPTS} times); nothing was applied. The server said: ${said}`,
        );
      case 422:
        return new ExternalError(`The Kubernetes API rejected the change to ${what} (422 Invalid): ${said}`);
      default:
        return new ExternalError(`The Kubernetes API answered ${err.code} to ${verb} ${what}: ${said}`);
    }
  }
}

/** The Status object in an error answer; client-node hands over the raw body text. */
function statusOf(lib: KubeLibrary, err: unknown): Status | undefined {
  if (!(err instanceof lib.ApiException)) return undefined;
  const body: unknown = err.body;
  if (typeof body === 'object' && body !== null) return body as Status;
  try {
    return JSON.parse(String(body)) as Status;
  } catch {
    return undefined;
  }
}
