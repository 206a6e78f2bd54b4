import { readFileSync } from 'node:fs';
import { load, YAMLException } from 'js-yaml';
import { ConfigError, configError, type Problem } from '../errors.js';
import { isName, NAME_KINDS, shown } from '../inputs-check.js';
import { closest } from '../text.js';
import { redactUrl } from '../http/url-secrets.js';
import * as YAML from 'yaml';
import { yamlLocator, type YamlPath } from '../yaml/locate.js';
import { parsePipelineKey, PIPELINE_KEYS, servicePipeline, type PipelineKey, type ServicePipeline } from './remote.js';

/** One service of dependency-config.yml. */
export interface ServiceDef {
  name: string;
  level?: number;
  deployOrder?: number;
  dependencies: string[];
  health?: string;
  paths: string[];
  /** Where the service's own pipeline runs, when it lives in another repository (`project:`). */
  pipeline?: ServicePipeline;
}

export interface DependencyConfig {
  file: string;
  services: Map<string, ServiceDef>;
  /** Line of a node, e.g. ['services', 'api', 'dependencies', 0]; worked out only when a problem needs it. */
  lineOf(path: YamlPath): number | undefined;
}

const FIELDS = ['level', 'dependencies', 'deploy_order', 'health', 'paths', ...PIPELINE_KEYS];

/** Reads and parses the file; a missing file or any syntax/shape problem is a ConfigError listing all problems. */
export function loadConfig(file: string): { config: DependencyConfig; warnings: Problem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `Input 'config' is '${file}': no such file. Commit a dependency-config.yml or point 'config' at yours.`
        : `Input 'config' is '${file}': cannot read it (${code ?? (err as Error).message}).`,
    );
  }
  return parseConfig(text, file);
}

/**
 * Parses dependency-config.yml text; every problem is reported at once with its line.
 * Values come from js-yaml, which is an order of magnitude faster than a position-keeping parse on
 * thousands of services; positions are looked up only when there is something to report.
 */
export function parseConfig(text: string, file: string): { config: DependencyConfig; warnings: Problem[] } {
  let root: unknown;
  try {
    root = load(text, { filename: file });
  } catch (err) {
    if (!(err instanceof YAMLException)) throw err;
    const line = err.mark ? err.mark.line + 1 : undefined;
    const column = err.mark ? err.mark.column + 1 : undefined;
    throw configError([{ message: `YAML syntax error: ${err.reason}`, file, line, column }]);
  }
  const lineOf = yamlLocator(text, YAML);
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const at = (path: YamlPath, message: string): Problem => ({ message, file, line: lineOf(path) });

  const servicesNode = isMap(root) ? root.services : undefined;
  if (!isMap(servicesNode)) {
    throw configError([
      at(['services'], "The file needs a top-level 'services:' map of service name → { dependencies: [...] }."),
    ]);
  }
  const services = new Map<string, ServiceDef>();
  for (const [name, body] of Object.entries(servicesNode)) {
    const def: ServiceDef = { name, dependencies: [], paths: [] };
    services.set(name, def);
    if (!isName('service', name))
      problems.push(at(['services', name], `Service ${shown(name)}: the name is not ${NAME_KINDS.service.expected}.`));
    if (body == null) continue;
    if (!isMap(body)) {
      problems.push(at(['services', name], `Service '${name}' must be a map such as { dependencies: [] }.`));
      continue;
    }
    const pipelineKeys: Partial<ServicePipeline> = {};
    let pipelineOk = true;
    for (const [key, value] of Object.entries(body)) {
      const here = ['services', name, key];
      if ((PIPELINE_KEYS as readonly string[]).includes(key)) {
        const bad = parsePipelineKey(name, key as PipelineKey, value, pipelineKeys);
        if (bad) problems.push(at(here, bad));
        pipelineOk &&= !bad;
        continue;
      }
      switch (key) {
        case 'level':
        case 'deploy_order':
          if (!Number.isInteger(value)) problems.push(at(here, `Service '${name}': '${key}' must be a whole number.`));
          else if (key === 'level') def.level = value as number;
          else def.deployOrder = value as number;
          break;
        case 'health': {
          const bad = typeof value !== 'string' || !value ? 'must be a URL string.' : healthProblem(value);
          if (bad)
            problems.push(
              at(here, `Service '${name}': health${typeof value === 'string' ? ` '${redactUrl(value)}'` : ''} ${bad}`),
            );
          else def.health = value as string;
          break;
        }
        case 'dependencies':
        case 'paths': {
          const list = value == null ? [] : value;
          if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) {
            problems.push(at(here, `Service '${name}': '${key}' must be a list of strings.`));
          } else if (key === 'paths') def.paths = list;
          else def.dependencies = list;
          break;
        }
        default: {
          const near = closest(key, FIELDS);
          warnings.push(
            at(here, `Service '${name}': unknown field '${key}' is ignored.${near ? ` Did you mean '${near}'?` : ''}`),
          );
        }
      }
    }
    const remote = pipelineOk ? servicePipeline(name, pipelineKeys) : {};
    if (remote.problem) problems.push(at(['services', name], remote.problem));
    if (remote.pipeline) def.pipeline = remote.pipeline;
  }
  if (problems.length) throw configError(problems);
  return { config: { file, services, lineOf }, warnings };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why a health address is not usable, or undefined when it is. */
export function healthProblem(url: string): string | undefined {
  const fix = 'is not a health address. Use http(s)://host:port/path, tcp://host:port or consul:<service-name>.';
  if (url.startsWith('consul:')) return /^consul:[A-Za-z0-9][\w.-]*$/.test(url) ? undefined : fix;
  if (!URL.canParse(url)) return fix;
  const u = new URL(url);
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.hostname ? undefined : fix;
  if (u.protocol === 'tcp:') return u.hostname && u.port ? undefined : 'has no port. Use tcp://host:port.';
  return fix;
}
