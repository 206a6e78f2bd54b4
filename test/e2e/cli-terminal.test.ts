import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_ENTRY, shipgate, TSX } from '../helpers/cli.js';
import { ROOT, runProcess } from '../helpers/run-bundle.js';

// What a person sees at a terminal: a verdict first, aligned text, colours on a TTY, no Markdown, no Mermaid.
const SEED = join(ROOT, 'test/fixtures/seed-dependency-config.yml');
const fixture = (f: string) => join(ROOT, 'test/fixtures/api-compat/load/step', f);
const ESC = '\u001b[';

/** Runs the CLI under a pseudo-terminal, as `script` records a session. */
const onTty = (args: string[], env: Record<string, string> = {}) =>
  runProcess(
    'script',
    [
      '-q',
      '-e',
      '-c',
      [process.execPath, '--import', TSX, CLI_ENTRY, ...args].map((a) => `'${a}'`).join(' '),
      '/dev/null',
    ],
    { env: { TERM: 'xterm', ...env } },
  );

describe('the CLI at a terminal', () => {
  it('starts with a one-line verdict, in colour, with the waves as text instead of Mermaid and pipe tables', async () => {
    const r = await onTty(['check-dependencies', '--config', SEED, '--check-health', 'false']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\r/g, '');
    expect(text).toContain(ESC);
    const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
    const lines = plain.split('\n').filter((l) => !l.startsWith('warning:'));
    expect(lines[0]).toBe('✔ check-dependencies passed · 5 services in 3 waves · health checks skipped');
    expect(plain).toMatch(/^Wave 2 {2}inventory-service {2}← config-center, service-registry$/m);
    expect(plain).not.toContain('mermaid');
    expect(plain).not.toMatch(/^\|/m);
    expect(plain).not.toContain('**');
  });

  it('respects NO_COLOR and --no-color', async () => {
    expect(
      (await onTty(['check-dependencies', '--config', SEED, '--check-health', 'false'], { NO_COLOR: '1' })).stdout,
    ).not.toContain(ESC);
    expect(
      (await onTty(['check-dependencies', '--config', SEED, '--check-health', 'false', '--no-color'])).stdout,
    ).not.toContain(ESC);
  });

  it('gives Markdown only with --format markdown or to --summary FILE', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shipgate-tty-')), 'summary.md');
    const r = await shipgate(['check-dependencies', '--config', SEED, '--check-health', 'false', '--summary', file]);
    expect(r.stdout).not.toContain('```mermaid');
    expect(readFileSync(file, 'utf8')).toContain('```mermaid');
    const md = await shipgate([
      'check-dependencies',
      '--config',
      SEED,
      '--check-health',
      'false',
      '--format',
      'markdown',
    ]);
    expect(md.stdout).toContain('| 2 | inventory-service, user-service |');
  });

  it('lists breaking changes in the summary, not as warning: lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-tty-'));
    const r = await shipgate([
      'api-compat',
      '--base',
      fixture('base.yaml'),
      '--head',
      fixture('head-breaking.yaml'),
      '--report-dir',
      dir,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^✘ api-compat failed · /);
    expect(r.stderr).not.toMatch(/^warning: .*breaking/im);
    expect(r.stdout).not.toContain('<details>');
  });
});
