// SARIF 2.1.0, the format GitHub code scanning (github/codeql-action/upload-sarif) reads.

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

/** A rule of the tool: what a result's ruleId refers to. */
export interface SarifRule {
  id: string;
  /** Short human title, e.g. "Operation removed". */
  title: string;
  level: SarifLevel;
  /** Longer text; the title when absent. */
  description?: string;
  helpUri?: string;
}

/** One finding. `uri` is relative to the repository root (or absolute); `line` is 1-based. */
export interface SarifResult {
  ruleId: string;
  level: SarifLevel;
  message: string;
  uri: string;
  line?: number;
  /** Stable identity across runs, so code scanning tracks one alert instead of opening a new one each time. */
  fingerprint?: string;
}

export interface SarifTool {
  name: string;
  version?: string;
  informationUri?: string;
  rules: readonly SarifRule[];
}

/** The SARIF log as a JSON string: one run, the tool's rules, and results pointing at them by id and index. */
export function sarifLog(tool: SarifTool, results: readonly SarifResult[]): string {
  const index = new Map(tool.rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            ...(tool.version ? { version: tool.version } : {}),
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: tool.rules.map((r) => ({
              id: r.id,
              name: pascal(r.id),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description ?? r.title },
              defaultConfiguration: { level: r.level },
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
            })),
          },
        },
        results: results.map((r) => ({
          ruleId: r.ruleId,
          ...(index.has(r.ruleId) ? { ruleIndex: index.get(r.ruleId) } : {}),
          level: r.level,
          message: { text: r.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: /^[a-z][a-z0-9+.-]*:/i.test(r.uri)
                  ? { uri: r.uri }
                  : { uri: r.uri, uriBaseId: '%SRCROOT%' },
                region: { startLine: Math.max(1, r.line ?? 1) },
              },
            },
          ],
          ...(r.fingerprint ? { partialFingerprints: { 'shipgate/v1': r.fingerprint } } : {}),
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/** SARIF wants a rule `name` in PascalCase: `request-body-removed` → `RequestBodyRemoved`. */
function pascal(id: string): string {
  return id.replace(/(^|[-_])([a-z0-9])/gi, (_m, _s, c: string) => c.toUpperCase());
}
