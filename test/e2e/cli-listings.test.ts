// The CLI-only listings, run as a user runs the CLI: a real process of cli/main.ts (tsx), output on stdout, exit 0.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../actions/api-compat/src/diff/index.js';
import { ROOT, runProcess } from '../helpers/run-bundle.js';

const shipgate = (...args: string[]) =>
  runProcess(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], { cwd: ROOT, timeoutMs: 60_000 });

describe('shipgate api-compat --list-rules', () => {
  it('prints every rule of the catalog with its level and description, without base or head', async () => {
    const r = await shipgate('api-compat', '--list-rules');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^RULE\s+LEVEL\s+DESCRIPTION$/);
    const listed = new Map(
      lines.slice(1).flatMap((l) => {
        const m = /^(\S+)\s+(error|warning|info)\s+(.+)$/.exec(l);
        return m ? [[m[1], { level: m[2], description: m[3] }] as const] : [];
      }),
    );
    for (const rule of RULES)
      expect(listed.get(rule.id), rule.id).toEqual({ level: rule.severity, description: rule.title });
    expect(listed.size).toBe(RULES.length);
    expect(r.stdout).toContain(`${RULES.length} rules.`);
  }, 60_000);

  it('prints the catalog as JSON with --json, and names the flag in --help', async () => {
    const r = await shipgate('api-compat', '--list-rules', '--json');
    expect(r.code, r.stderr).toBe(0);
    const rules = JSON.parse(r.stdout) as { id: string; level: string; description: string }[];
    expect(rules.map((x) => x.id)).toEqual(RULES.map((x) => x.id));
    expect(rules.find((x) => x.id === 'api-operation-removed')).toMatchObject({ level: 'error' });
    const help = await shipgate('api-compat', '--help');
    expect(help.stdout).toMatch(/Command-line only:\n {2}--list-rules\n/);
  }, 60_000);
});

describe('shipgate rollback --list', () => {
  it('is an input: --list parses as a bare boolean flag and appears in --help', async () => {
    const help = await shipgate('rollback', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/ {2}--list {2}\(default: false\)\n {6}Only list what a rollback could go to/);
  });
});
