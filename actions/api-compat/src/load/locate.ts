// From a JSON pointer into a loaded (bundled, maybe converted) document back to a file and line a reviewer can open.
import { yamlLocator, type YamlPackage } from '../../../../shared/src/yaml/locate.js';
import { EXTERNAL, type LoadedFile } from './bundle.js';
import { locateJson } from './locate-json.js';
import { pointerSegments } from './pointer.js';

/** A place in one of the files a document was loaded from. */
export interface SourceLocation {
  /** The file as messages name it: a path relative to the working directory, a URL, or git:<ref>:<path>. */
  file: string;
  /** 1-based line of the node, or of its nearest ancestor that exists in the file. */
  line: number;
}

/**
 * Finds lines for pointers, in batches: JSON files are scanned once per batch, YAML files parsed with positions
 * once, on first use, so documents without findings never pay for it.
 */
export class DocumentLocator {
  private readonly yaml = new Map<LoadedFile, ReturnType<typeof yamlLocator>>();

  constructor(
    private readonly root: LoadedFile,
    private readonly externals: readonly LoadedFile[],
    /** The document was converted from Swagger 2.0: pointers name 3.0 places that have 2.0 equivalents. */
    private readonly swagger2: boolean,
    /** The `yaml` package, which the loader imports only when one of the files is YAML. */
    private readonly yamlPackage?: YamlPackage,
  ) {}

  /** Locations of many `#/…` pointers, in order. */
  locate(pointers: readonly string[]): SourceLocation[] {
    const targets = pointers.map((p) => this.target(pointerSegments(p)));
    const out: SourceLocation[] = new Array(pointers.length);
    const byFile = new Map<LoadedFile, number[]>();
    targets.forEach((t, i) => byFile.set(t.file, [...(byFile.get(t.file) ?? []), i]));
    for (const [file, indexes] of byFile) {
      const lines = this.lines(
        file,
        indexes.map((i) => targets[i].segments),
      );
      indexes.forEach((i, k) => (out[i] = { file: file.name, line: lines[k] }));
    }
    return out;
  }

  private target(segments: string[]): { file: LoadedFile; segments: string[] } {
    if (segments[0] === EXTERNAL && segments.length >= 2) {
      const file = this.externals[Number(segments[1])];
      if (file) return { file, segments: segments.slice(2) };
    }
    return { file: this.root, segments: this.swagger2 ? toSwagger2(segments) : segments };
  }

  private lines(file: LoadedFile, pointers: string[][]): number[] {
    if (file.format === 'json') return locateJson(file.text, pointers);
    let find = this.yaml.get(file);
    if (!find) {
      if (!this.yamlPackage) throw new Error(`${file.name} is YAML but the locator was made without the yaml package`);
      this.yaml.set(file, (find = yamlLocator(file.text, this.yamlPackage)));
    }
    // Sequence steps must be numbers for the YAML locator; map keys match either way.
    return pointers.map((p) => find!(p.map((s) => (/^\d+$/.test(s) ? Number(s) : s))) ?? 1);
  }
}

const SECTIONS: Record<string, string> = {
  schemas: 'definitions',
  parameters: 'parameters',
  requestBodies: 'parameters',
  responses: 'responses',
  securitySchemes: 'securityDefinitions',
};

/** The 2.0 place of a converted 3.0 pointer, as near as 2.0 has one (the rest falls back to the ancestor). */
function toSwagger2(segments: string[]): string[] {
  if (segments[0] === 'components' && segments[1] && SECTIONS[segments[1]])
    return [SECTIONS[segments[1]], ...segments.slice(2)];
  if (segments[0] !== 'paths') return segments;
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s === 'requestBody') return [...out, 'parameters'];
    // content/<media type>/schema → schema
    if (s === 'content' && i + 1 < segments.length) {
      i++;
      continue;
    }
    out.push(s);
  }
  return out;
}
