// Every input checked and typed before the first request to anything: bad input never leaves a half-done rollback.
// Reading local files (the state file, dependency-config.yml) happens here too, so a missing one is exit 2.
import { formatDuration } from '../../../shared/src/duration.js';
import { ConfigError, configError } from '../../../shared/src/errors.js';
import { loadConfig as loadDependencyConfig, type DependencyConfig } from '../../../shared/src/graph/config.js';
import { checkGraph } from '../../../shared/src/graph/graph.js';
import { colourUrl } from '../../../shared/src/http/gate.js';
import { healthUrls, type HealthUrls } from '../../../shared/src/http/health-urls.js';
import { urlSecrets } from '../../../shared/src/http/url-secrets.js';
import { checkName, queryConfig, type QueryConfig } from '../../../shared/src/inputs-check.js';
import { parseImageRef, type ImageRef } from '../../../shared/src/registry/index.js';
import type { StepContext } from '../../../shared/src/step.js';
import { closest } from '../../../shared/src/text.js';
import { kubeconfigPath } from '../../../shared/src/kube/config.js';
import type { DeploymentSettings } from '../../../shared/src/kube/deployment.js';
import type { TrafficBackend } from '../../../shared/src/traffic/backend.js';
import { parseColors } from '../../../shared/src/traffic/colors.js';
import { createBackend } from '../../../shared/src/traffic/index.js';
import type { SwitchRecordStore } from '../../../shared/src/traffic/record.js';
import { StateFileStore } from '../../../shared/src/traffic/state-file.js';
import type { schema } from './schema.js';
import { parseTo, repositoryOf, type TargetSpec } from './to.js';

export type Ctx = StepContext<typeof schema.inputs>;

/** provider blue-green: the router and where the previous colour is recorded. */
export interface BlueGreenConfig {
  backend: TrafficBackend;
  /** The `backend` input, e.g. haproxy. */
  backendName: string;
  colors: [string, string];
  /** The state file (input 'state-file', already read), then the backend's own record: read in this order, all rewritten. */
  records: SwitchRecordStore[];
  stateFile?: string;
}

/** The watched trigger: the query with its bounds, how long, how often. */
export interface TriggerConfig extends QueryConfig {
  watchMs: number;
  intervalMs: number;
}

/** The rollback as the inputs describe it. */
export interface RollbackConfig {
  provider: 'blue-green' | 'kubernetes';
  to: TargetSpec;
  /** Repository the release tags name (no tag), from `image-name`: parsed, and as written. */
  image?: { ref: ImageRef; name: string };
  prefix: string;
  /** From `reason`; empty means it is worked out (the breach, or who ran the job). */
  reason: string;
  blueGreen?: BlueGreenConfig;
  kubernetes?: { settings: DeploymentSettings; timeoutMs: number };
  trigger?: TriggerConfig;
  /** Health URL of each colour (blue-green) or of the service; undefined skips the check. */
  healthUrl?: HealthUrls;
  threshold: number;
  healthTimeoutMs: number;
  dependents?: { config: DependencyConfig; service: string };
  environment: string;
  failAfterRollback: boolean;
  dryRun: boolean;
  /** Only list the targets a rollback could go to. */
  list: boolean;
}

function blueGreenConfig({ inputs, platform, clock }: Ctx, colors: [string, string]): BlueGreenConfig {
  const backendName = inputs.backend?.trim();
  if (!backendName)
    throw new ConfigError(
      `Input 'backend' is required with provider 'blue-green': the router blue-green-switch drives (haproxy, nginx, kubernetes, istio or gateway-api).`,
    );
  const backend = createBackend(backendName, inputs, (n) => platform.env(n), { platform, clock });
  const stateFile = inputs['state-file'].trim() || undefined;
  const file = stateFile ? new StateFileStore(stateFile) : undefined;
  const record = file?.load();
  if (stateFile && !record) {
    throw new ConfigError(
      `Input 'state-file' is '${stateFile}': no such file. Point it at the file blue-green-switch wrote with its 'state-file' input (keep it as an artifact or cache between the jobs), or set 'to' to the colour to return to.`,
    );
  }
  if (record && !colors.includes(record.previous)) {
    throw new ConfigError(
      `Input 'state-file' '${stateFile}' records previous colour '${record.previous}', which is not one of 'colors' (${colors.join(', ')}). Set 'colors' as blue-green-switch had it, or set 'to'.`,
    );
  }
  // a list shows the colours and their traffic without a record; a rollback needs one
  if (!stateFile && !backend.records && !inputs.to.trim() && !inputs.list) {
    throw new ConfigError(
      `Input 'state-file' is empty, and backend '${backendName}' keeps no record of the previous colour, so there is nothing to roll back to. Pass the state file blue-green-switch wrote, or set 'to' to a colour (${colors.join(' or ')}).`,
    );
  }
  const records = [...(file ? [file] : []), ...(backend.records ? [backend.records] : [])];
  return { backend, backendName, colors, records, stateFile };
}

function kubernetesConfig({ inputs, platform }: Ctx): RollbackConfig['kubernetes'] {
  const deployment = inputs.deployment.trim();
  if (!deployment)
    throw new ConfigError(
      `Input 'deployment' is required with provider 'kubernetes': the name of the Deployment to roll back.`,
    );
  const container = inputs.container.trim() || undefined;
  checkName('dns-subdomain', 'deployment', deployment);
  checkName('dns-label', 'namespace', inputs.namespace);
  if (container) checkName('dns-label', 'container', container);
  const kubeconfig = kubeconfigPath(inputs.kubeconfig.trim(), (n) => platform.env(n));
  return { settings: { deployment, namespace: inputs.namespace, container, kubeconfig }, timeoutMs: inputs.timeout };
}

function triggerConfig({ inputs, platform }: Ctx): TriggerConfig | undefined {
  const values = {
    url: inputs['prometheus-url'],
    query: inputs['trigger-query'],
    max: inputs['trigger-max'],
    min: inputs['trigger-min'],
  };
  const query = queryConfig(
    values,
    { query: 'trigger-query', max: 'trigger-max', min: 'trigger-min' },
    platform,
    'to watch before rolling back',
  );
  if (!query) return undefined;
  const [watchMs, intervalMs] = [inputs.watch, inputs['watch-interval']];
  if (intervalMs <= 0)
    throw new ConfigError(
      `Input 'watch-interval' is '${inputs['watch-interval']}'. Expected a duration above zero, e.g. 30s.`,
    );
  if (watchMs < intervalMs) {
    throw new ConfigError(
      `Input 'watch' (${formatDuration(watchMs)}) is shorter than 'watch-interval' (${formatDuration(intervalMs)}): the query would be evaluated once at most. Make 'watch' longer, e.g. 10m, or 'watch-interval' shorter.`,
    );
  }
  return { ...query, watchMs, intervalMs };
}

function dependentsConfig({ inputs }: Ctx): RollbackConfig['dependents'] {
  const file = inputs.config.trim();
  const service = inputs.service.trim();
  if (!file) return undefined;
  if (!service)
    throw new ConfigError(
      `Input 'config' is set, but 'service' is empty. Set 'service' to this service's name in ${file}, or drop 'config'.`,
    );
  const { config } = loadDependencyConfig(file);
  const { errors } = checkGraph(config);
  if (errors.length) throw configError(errors);
  if (!config.services.has(service)) {
    const near = closest(service, config.services.keys());
    throw new ConfigError(
      `Input 'service' is '${service}', which is not in ${file}.${near ? ` Did you mean '${near}'?` : ''}`,
    );
  }
  return { config, service };
}

/** Parses and checks every input; creates the backend or client without contacting it. */
export function loadConfig(ctx: Ctx): RollbackConfig {
  const { inputs, platform } = ctx;
  const provider = inputs.provider as RollbackConfig['provider'];
  const colors = provider === 'blue-green' ? parseColors(inputs.colors) : undefined;
  // Credentials in the URLs (user:password@, ?token=) are masked before a message, a log line or the summary names them.
  const rawHealth = colors ? colors.map((c) => colourUrl(inputs['health-url'], c)) : [inputs['health-url']];
  for (const secret of [
    inputs['prometheus-url'],
    ...rawHealth,
    inputs['health-url-blue'],
    inputs['health-url-green'],
  ].flatMap((u) => urlSecrets(u.trim())))
    platform.setSecret(secret);

  const name = inputs['image-name'].trim();
  const image = name ? { ref: parseImageRef(name, "Input 'image-name': image"), name } : undefined;
  if (image && (image.ref.tag || image.ref.digest)) {
    throw new ConfigError(
      `Input 'image-name' is '${name}' with a tag or digest. Give the repository only ('${repositoryOf(name)}'); 'to' or the release tags say which tag.`,
    );
  }
  if (image && provider === 'blue-green') {
    throw new ConfigError(
      `Input 'image-name' is set with provider 'blue-green', which moves traffic between colours that already run and never changes an image. Drop 'image-name', or use provider 'kubernetes'.`,
    );
  }
  // Empty is meaningful (bare `1.2.3` tags) and differs from "not given", as in version-tag.
  const prefix = platform.input('prefix')?.trim() === '' ? '' : inputs.prefix;
  const to = parseTo(inputs.to, { provider, colors, prefix });
  const template = inputs['health-url'].trim();
  if (template && provider === 'kubernetes' && template.includes('{color}')) {
    throw new ConfigError(
      `Input 'health-url' is '${template}' with '{color}', but provider 'kubernetes' rolls a Deployment back and has no colours. Give the service's health URL.`,
    );
  }
  const healthUrl = healthUrls(inputs, colors ?? []);
  return {
    provider,
    to,
    image,
    prefix,
    reason: inputs.reason.trim(),
    blueGreen: colors ? blueGreenConfig(ctx, colors) : undefined,
    kubernetes: provider === 'kubernetes' ? kubernetesConfig(ctx) : undefined,
    trigger: triggerConfig(ctx),
    healthUrl,
    threshold: inputs['healthy-threshold'],
    healthTimeoutMs: inputs['health-timeout'],
    dependents: dependentsConfig(ctx),
    environment: inputs.environment.trim() || 'production',
    failAfterRollback: inputs['fail-after-rollback'],
    dryRun: inputs['dry-run'],
    list: inputs.list,
  };
}
