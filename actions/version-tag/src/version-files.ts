// The version written into the project's own files: package.json, pom.xml, pyproject.toml, a plain VERSION file.
// Each is edited in place, keeping everything else byte for byte (formatting, comments, the dependencies' versions):
// a release commit that reformats a manifest is a diff nobody wants to review.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from '../../../shared/src/errors.js';

/** One file to bump: where, which kind, and where its version sits in the text. */
export interface VersionFile {
  /** As the user wrote it in `version-files`. */
  name: string;
  /** Absolute path. */
  path: string;
  kind: 'package.json' | 'pom.xml' | 'pyproject.toml' | 'plain';
  current: string;
  /** Offsets of the version in the text. */
  start: number;
  end: number;
  text: string;
}

type Found = { current: string; start: number; end: number } | string;

/** The top-level `"version"` of package.json: a depth count skips nested objects (a dependency's `version`). */
function packageJson(text: string): Found {
  try {
    if (typeof (JSON.parse(text) as { version?: unknown }).version !== 'string')
      return 'it has no top-level "version" string';
  } catch (err) {
    return `it is not JSON (${(err as Error).message})`;
  }
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    else if (ch === '"') {
      const close = stringEnd(text, i);
      const m =
        depth === 1 && text.slice(i, close + 1) === '"version"'
          ? /^\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text.slice(close + 1))
          : null;
      if (m) {
        const start = close + 1 + m[0].length - m[1].length - 1;
        return { current: m[1], start, end: start + m[1].length };
      }
      i = close;
    }
  }
  return 'it has no top-level "version" string';
}

function stringEnd(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}

/** The `<version>` directly under `<project>`: not the parent's, a dependency's or a plugin's. */
function pomXml(text: string): Found {
  const masked = text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => ' '.repeat(m.length));
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>/g;
  const stack: string[] = [];
  for (let m; (m = tag.exec(masked));) {
    const [, closing, name, selfClosing] = m;
    if (masked[m.index + 1] === '?' || selfClosing) continue;
    if (closing) {
      stack.pop();
      continue;
    }
    stack.push(name);
    if (name === 'version' && stack.length === 2 && stack[0] === 'project') {
      const start = m.index + m[0].length;
      const end = masked.indexOf('</version>', start);
      const raw = text.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      return { current: raw.trim(), start: start + lead, end: start + lead + raw.trim().length };
    }
  }
  return "it has no <version> of its own under <project> (it inherits the parent's); add one, or leave it out of version-files";
}

/** `version = "…"` in `[project]` or `[tool.poetry]`. */
function pyprojectToml(text: string): Found {
  let table = '';
  let offset = 0;
  let dynamic = false;
  for (const line of text.split('\n')) {
    const header = /^\s*\[([^\]]+)\]\s*(#.*)?$/.exec(line);
    if (header) table = header[1].trim();
    else if (table === 'project' && /^\s*dynamic\s*=.*["']version["']/.test(line)) dynamic = true;
    else if (table === 'project' || table === 'tool.poetry') {
      const m = /^(\s*version\s*=\s*)(["'])([^"']*)\2/.exec(line);
      if (m) return { current: m[3], start: offset + m[1].length + 1, end: offset + m[1].length + 1 + m[3].length };
    }
    offset += line.length + 1;
  }
  if (dynamic)
    return 'its [project] version is dynamic (set by the build backend from git or another file); bump that file instead';
  return 'it has no version = "…" in [project] or [tool.poetry]';
}

function plain(text: string): Found {
  const current = text.trim();
  if (!/^v?\d+\.\d+\.\d+\S*$/.test(current)) return `it does not hold just a version (found '${current.slice(0, 40)}')`;
  const start = text.indexOf(current);
  return { current, start, end: start + current.length };
}

const KINDS = { 'package.json': packageJson, 'pom.xml': pomXml, 'pyproject.toml': pyprojectToml } as const;

/** Reads each file and finds its version; a file that is missing or has no version is a ConfigError, before any change. */
export function readVersionFiles(files: { name: string; path: string }[]): VersionFile[] {
  return files.map(({ name, path }) => {
    const bad = (why: string) =>
      new ConfigError(
        `Input 'version-files' names '${name}', but ${why}. Supported: package.json, pom.xml, pyproject.toml, or a file holding only the version (e.g. VERSION).`,
      );
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw bad(`it cannot be read (${(err as { code?: string }).code ?? (err as Error).message}; looked at ${path})`);
    }
    const base = basename(path);
    const kind = base in KINDS ? (base as keyof typeof KINDS) : 'plain';
    const found = kind === 'plain' ? plain(text) : KINDS[kind](text);
    if (typeof found === 'string') throw bad(found);
    return { name, path, kind, text, ...found };
  });
}

/** The file's text with `version` in place of the current one; a plain file keeps its `v` if it had one. */
export function bumpedText(file: VersionFile, version: string): string {
  const value = file.kind === 'plain' && file.current.startsWith('v') ? `v${version}` : version;
  return file.text.slice(0, file.start) + value + file.text.slice(file.end);
}
