import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { ConfigError, type Problem } from '../errors.js';
import { closest } from '../text.js';

/** One service of dependency-config.yml, with where it was written. */
export interface ServiceDef {
  name: string;
  level?: number;
  deployOrder?: number;
  dependencies: string[];
  health?: string;
  paths: string[];
  line: number;
  /** Line of each entry of `dependencies`, same index. */
  dependencyLines: number[];
}

export interface DependencyConfig {
  file: string;
  services: Map<string, ServiceDef>;
}

const FIELDS = ['level', 'dependencies', 'deploy_order', 'health', 'paths'];

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

/** Parses dependency-config.yml text; every problem is reported at once with its line. */
export function parseConfig(text: string, file: string): { config: DependencyConfig; warnings: Problem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const lineOf = (node: Node | Pair | null | undefined): number => {
    const range = (node as Node | undefined)?.range ?? ((node as Pair | undefined)?.key as Node | undefined)?.range;
    return range ? lc.linePos(range[0]).line : 1;
  };
  const fail = (message: string, line: number) => problems.push({ message, file, line });

  for (const e of doc.errors) {
    const pos = lc.linePos(e.pos[0]);
    problems.push({ message: `YAML syntax error: ${e.message.split('\n')[0]}`, file, line: pos.line, column: pos.col });
  }
  const services = new Map<string, ServiceDef>();
  if (problems.length) throw configError(problems);

  const root = doc.contents;
  const servicesPair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'services') : undefined;
  if (!servicesPair || !isMap(servicesPair.value)) {
    fail("The file needs a top-level 'services:' map of service name → { dependencies: [...] }.", lineOf(servicesPair ?? root));
    throw configError(problems);
  }
  for (const pair of servicesPair.value.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const line = lineOf(pair.key as Node);
    const def: ServiceDef = { name, dependencies: [], paths: [], line, dependencyLines: [] };
    if (!name) fail('A service name must be a plain string.', line);
    // Checked here in one pass: the yaml package's own uniqueKeys check is quadratic in the number of services.
    const twin = services.get(name);
    if (twin) fail(`Service '${name}' is defined twice (first on line ${twin.line}).`, line);
    const body = pair.value;
    if (body != null && !(isScalar(body) && body.value == null)) {
      if (!isMap(body)) {
        fail(`Service '${name}' must be a map such as { dependencies: [] }.`, lineOf(body as Node));
      } else {
        for (const field of body.items) {
          const key = isScalar(field.key) ? String(field.key.value) : '';
          const at = lineOf(field.key as Node);
          const value = field.value as Node | null;
          const plain = isScalar(value) ? value.value : undefined;
          switch (key) {
            case 'level':
            case 'deploy_order':
              if (!Number.isInteger(plain)) fail(`Service '${name}': '${key}' must be a whole number.`, at);
              else if (key === 'level') def.level = plain as number;
              else def.deployOrder = plain as number;
              break;
            case 'health':
              if (typeof plain !== 'string' || !plain) fail(`Service '${name}': 'health' must be a URL string.`, at);
              else {
                const bad = healthProblem(plain);
                if (bad) fail(`Service '${name}': health '${plain}' ${bad}`, lineOf(value));
                else def.health = plain;
              }
              break;
            case 'dependencies':
            case 'paths': {
              const list = stringList(value);
              if (!list) fail(`Service '${name}': '${key}' must be a list of strings.`, at);
              else if (key === 'paths') def.paths = list.map((x) => x.value);
              else {
                def.dependencies = list.map((x) => x.value);
                def.dependencyLines = list.map((x) => lineOf(x.node));
              }
              break;
            }
            default: {
              const near = closest(key, FIELDS);
              warnings.push({
                message: `Service '${name}': unknown field '${key}' is ignored.${near ? ` Did you mean '${near}'?` : ''}`,
                file,
                line: at,
              });
            }
          }
        }
      }
    }
    services.set(name, def);
  }
  if (problems.length) throw configError(problems);
  return { config: { file, services }, warnings };
}

function stringList(node: Node | null): { value: string; node: Node }[] | undefined {
  if (node == null || (isScalar(node) && node.value == null)) return [];
  if (!isSeq(node)) return undefined;
  const out: { value: string; node: Node }[] = [];
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string') return undefined;
    out.push({ value: item.value, node: item });
  }
  return out;
}

/** Why a health address is not usable, or undefined when it is. */
export function healthProblem(url: string): string | undefined {
  const fix = 'is not a health address. Use http(s)://host:port/path, tcp://host:port or consul:<service-name>.';
  if (url.startsWith('consul:')) return /^consul:[A-Za-z0-9][\w.-]*$/.test(url) ? undefined : fix;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return fix;
  }
  if (u.protocol === 'http:' || u.protocol === 'https:') return u.hostname ? undefined : fix;
  if (u.protocol === 'tcp:') return u.hostname && u.port ? undefined : 'has no port. Use tcp://host:port.';
  return fix;
}

/** One ConfigError that lists every problem with file:line. */
export function configError(problems: Problem[]): ConfigError {
  const sorted = [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const text = sorted.map((p) => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n');
  return new ConfigError(
    `${sorted.length} problem${sorted.length === 1 ? '' : 's'} in ${sorted[0]?.file ?? 'the configuration'}:\n${text}`,
    sorted,
  );
}
