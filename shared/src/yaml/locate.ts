// Lines of YAML nodes, for messages that point into a user's file (dependency-config.yml, an exceptions file, an
// OpenAPI document). Values are parsed elsewhere (js-yaml is much faster); positions only when there is a message.
import type * as Yaml from 'yaml';
import type { LineCounter, Node } from 'yaml';

/**
 * The parts of the `yaml` package the locator uses. The caller passes the package, so a step can load it on demand
 * (`await import('yaml')`: a chunk of its own in the bundles, read only by runs that need it).
 */
export type YamlPackage = Pick<typeof Yaml, 'isMap' | 'isScalar' | 'isSeq' | 'LineCounter' | 'parseDocument'>;

/** A path to a node: map keys and sequence indexes, e.g. ['services', 'api', 'dependencies', 0]. */
export type YamlPath = (string | number)[];

/**
 * Returns a function that finds the line of a node by its path. The position-keeping parse is slow on large files,
 * so it runs once, on the first call, and only files with something to report pay for it.
 */
export function yamlLocator(text: string, yaml: YamlPackage): (path: YamlPath) => number | undefined {
  const { isMap, isScalar, isSeq } = yaml;
  let cache: { doc: ReturnType<YamlPackage['parseDocument']>; lc: LineCounter } | undefined;
  return (path) => {
    if (!cache) {
      const lc = new yaml.LineCounter();
      cache = { doc: yaml.parseDocument(text, { lineCounter: lc, uniqueKeys: false }), lc };
    }
    const { doc, lc } = cache;
    let node: unknown = doc.contents;
    let line: number | undefined = node ? lineOfNode(node as Node, lc) : undefined;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
        if (!pair) break;
        // The key's line: where a reader looks for `name:`.
        line = lineOfNode(pair.key as Node, lc) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof step === 'number' && node.items[step]) {
        node = node.items[step];
        line = lineOfNode(node as Node, lc) ?? line;
      } else break;
    }
    return line;
  };
}

function lineOfNode(node: Node, lc: LineCounter): number | undefined {
  return node?.range ? lc.linePos(node.range[0]).line : undefined;
}
