// The rule corpus: one small pair of documents per rule (the folder name is the rule the pair must produce), and
// clean pairs that must produce neither an error nor a warning. Every rule in the catalog needs a pair. A rule folder
// may hold variants in subfolders (e.g. `swagger-2.0/`), each a pair that must produce the same rule; Swagger 2.0
// documents go through the loader's conversion first, as they do in the step.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { RULES, diffDocuments } from '../../actions/api-compat/src/diff/index.js';
import { Collector } from '../../actions/api-compat/src/diff/collector.js';
import { at } from '../../actions/api-compat/src/diff/pointer.js';
import { isRuleId } from '../../actions/api-compat/src/diff/rules.js';
import { convertSwagger2 } from '../../actions/api-compat/src/load/swagger2.js';
import type { OpenApiDoc, RuleInfo } from '../../actions/api-compat/src/model.js';

const CORPUS = join(import.meta.dirname, '../fixtures/api-compat');
const NOW = new Date('2026-01-15T00:00:00Z');

function load(file: string): OpenApiDoc {
  const root = YAML.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  if (root.swagger === '2.0') return { version: '2.0', root: convertSwagger2(root), source: file };
  const version = String(root.openapi).startsWith('3.1') ? '3.1' : '3.0';
  return { version, root, source: file };
}

interface Expect {
  /** Other rules the pair must also produce. */
  also?: string[];
  /** Rules the pair must not produce. */
  absent?: string[];
  /** Deprecation policy (days of notice per stability level) the pair is compared under. */
  deprecationDays?: { beta?: number; stable?: number };
}

function pair(dir: string) {
  const base = load(join(dir, 'base.yaml'));
  const head = load(join(dir, 'head.yaml'));
  const expectFile = join(dir, 'expect.yaml');
  const expected: Expect = existsSync(expectFile) ? YAML.parse(readFileSync(expectFile, 'utf8')) : {};
  const findings = diffDocuments(base, head, { now: NOW, deprecationDays: expected.deprecationDays });
  for (const f of findings) {
    // Every location must point at something in the document it names.
    expect(at((f.document === 'base' ? base : head).root, f.location), `${f.rule} at ${f.location}`).toBeDefined();
    expect(f.message.length).toBeGreaterThan(5);
  }
  return { findings, expected };
}

const folders = (sub: string) => readdirSync(join(CORPUS, sub)).sort();
/** `[rule, dir]` for every pair in the rules corpus: the folder itself and each variant subfolder. */
const rulePairs = (): [string, string][] =>
  folders('rules').flatMap((rule) => {
    const dir = join(CORPUS, 'rules', rule);
    const variants = readdirSync(dir, { withFileTypes: true }).filter(
      (e) => e.isDirectory() && existsSync(join(dir, e.name, 'base.yaml')),
    );
    return [
      [rule, dir] as [string, string],
      ...variants.map((v) => [`${rule}/${v.name}`, join(dir, v.name)] as [string, string]),
    ];
  });
// Keyed by string: rule ids here come from fixture folder names, which the first test checks against the catalog.
const catalog = new Map<string, RuleInfo>(RULES.map((r) => [r.id, r]));

describe('rule catalog', () => {
  it('has unique kebab-case ids, each with a fixture pair', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    const fixtures = new Set(folders('rules'));
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(fixtures.has(rule.id), `fixture for ${rule.id}`).toBe(true);
    }
    for (const folder of fixtures) expect(catalog.has(folder), `${folder} is a rule`).toBe(true);
  });
});

describe('rule ids', () => {
  it('are a type: a misspelt id does not compile, and one read from a file is checked', () => {
    const out = new Collector();
    // @ts-expect-error 'api-operation-remove' is not in the catalog (tsc fails here if it ever compiles).
    expect(() => out.add('api-operation-remove', {}, '#/paths', 'base', 'x')).toThrow(/not in the catalog/);
    expect(isRuleId('api-operation-removed')).toBe(true);
    expect(isRuleId('api-operation-remove')).toBe(false);
  });
});

describe('rule pairs', () => {
  it.each(rulePairs())('%s', (name, dir) => {
    const rule = name.split('/')[0];
    const { findings, expected } = pair(dir);
    const hit = findings.find((f) => f.rule === rule);
    expect(hit, `${rule} not found in ${JSON.stringify(findings.map((f) => f.rule))}`).toBeDefined();
    expect(hit!.severity).toBe(catalog.get(rule)!.severity);
    // A pair written for a compatible change must not be called breaking by some other rule.
    if (hit!.severity !== 'error')
      expect(findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([]);
    for (const other of expected.also ?? []) expect(findings.map((f) => f.rule)).toContain(other);
    for (const other of expected.absent ?? []) expect(findings.map((f) => f.rule)).not.toContain(other);
  });
});

describe('clean pairs', () => {
  it.each(folders('clean'))('%s reports no error and no warning', (name) => {
    const { findings, expected } = pair(join(CORPUS, 'clean', name));
    expect(findings.filter((f) => f.severity !== 'info').map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
    for (const other of expected.also ?? []) expect(findings.map((f) => f.rule)).toContain(other);
  });
});
