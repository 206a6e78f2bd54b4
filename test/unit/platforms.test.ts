import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  detectPlatform,
  GitHubPlatform,
  GitLabPlatform,
  LocalPlatform,
  Redactor,
} from '../../shared/src/platform/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipgate-platform-'));
});

function capture() {
  const lines = { out: '', err: '' };
  return { lines, stdout: (t: string) => void (lines.out += t), stderr: (t: string) => void (lines.err += t) };
}

describe('detectPlatform', () => {
  it('picks by GITHUB_ACTIONS, GITLAB_CI, else local', () => {
    expect(detectPlatform({ env: { GITHUB_ACTIONS: 'true' } }).name).toBe('github');
    expect(detectPlatform({ env: { GITLAB_CI: 'true' }, cwd: dir }).name).toBe('gitlab');
    expect(detectPlatform({ env: {} }).name).toBe('local');
  });
});

describe('Redactor', () => {
  it('hides every registered secret, longest first, and each line of a multi-line one', () => {
    const r = new Redactor();
    r.add('abc123');
    r.add('abc123xyz');
    r.add('line-one\nline-two');
    r.add('');
    expect(r.redact('t=abc123xyz u=abc123 v=line-two')).toBe('t=*** u=*** v=***');
  });
});

describe('GitHubPlatform', () => {
  let written = '';
  beforeEach(() => {
    written = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('reads INPUT_* as the runner spells them, flags first', () => {
    const p = new GitHubPlatform({
      env: { 'INPUT_CHECK-HEALTH': 'false', INPUT_CONFIG: 'a.yml' },
      flags: { config: 'b.yml' },
    });
    expect(p.input('check-health')).toBe('false');
    expect(p.input('config')).toBe('b.yml');
    expect(p.input('service')).toBeUndefined();
  });

  it('writes multi-line outputs in the heredoc form and appends the summary', () => {
    const out = join(dir, 'out');
    const sum = join(dir, 'sum');
    const p = new GitHubPlatform({ env: { GITHUB_OUTPUT: out, GITHUB_STEP_SUMMARY: sum } });
    p.setOutput('waves', '[["a"]]');
    p.setOutput('notes', 'one\ntwo');
    p.writeSummary('# Hi');
    const text = readFileSync(out, 'utf8');
    const m = text.match(/^notes<<(ghadelimiter_[\w-]+)\none\ntwo\n\1\n$/m);
    expect(m).not.toBeNull();
    expect(text).toMatch(/^waves<<(ghadelimiter_[\w-]+)\n\[\["a"\]\]\n\1$/m);
    expect(readFileSync(sum, 'utf8')).toBe('# Hi\n');
  });

  it('masks secrets with ::add-mask:: and in its own writes, and annotates with file and line', () => {
    const out = join(dir, 'out');
    const p = new GitHubPlatform({ env: { GITHUB_OUTPUT: out, TOKEN: 's3cr3t-value' } });
    expect(p.secret('TOKEN')).toBe('s3cr3t-value');
    p.info('using s3cr3t-value');
    p.setOutput('x', 'a s3cr3t-value b');
    p.warning('bad thing', { file: 'dependency-config.yml', line: 4 });
    expect(written).toContain('::add-mask::s3cr3t-value');
    expect(written).toContain('using ***');
    expect(written).toContain('::warning file=dependency-config.yml,line=4::bad thing');
    expect(readFileSync(out, 'utf8')).toContain('a *** b');
  });

  it('wraps groups', async () => {
    const p = new GitHubPlatform({ env: {} });
    expect(await p.group('Probing', async () => 42)).toBe(42);
    expect(written).toMatch(/::group::Probing\n[\s\S]*::endgroup::/);
  });
});

describe('GitLabPlatform', () => {
  it('reads SHIPGATE_* variables and flags', () => {
    const p = new GitLabPlatform({ env: { SHIPGATE_CHECK_HEALTH: 'false' }, flags: { service: 'x' }, cwd: dir });
    expect(p.input('check-health')).toBe('false');
    expect(p.input('service')).toBe('x');
  });

  it('writes outputs to a dotenv report, one line each, and the summary to a file and the log', () => {
    const io = capture();
    const p = new GitLabPlatform({ env: {}, cwd: dir, ...io });
    p.setOutput('waves', '[["a","b"]]');
    p.setOutput('changelog', 'line1\nline2');
    p.writeSummary('## Done');
    expect(readFileSync(join(dir, 'shipgate.env'), 'utf8')).toBe(
      'SHIPGATE_WAVES=[["a","b"]]\nSHIPGATE_CHANGELOG=line1\\nline2\n',
    );
    expect(readFileSync(join(dir, 'shipgate-summary.md'), 'utf8')).toBe('## Done\n');
    expect(io.lines.out).toContain('## Done');
  });

  it("keeps the dotenv report under GitLab's 5 KiB limit and every output whole in a JSON artifact", () => {
    const io = capture();
    const p = new GitLabPlatform({ env: {}, cwd: dir, ...io });
    const big = JSON.stringify(Array.from({ length: 600 }, (_, i) => `service-${i}`));
    p.setOutput('healthy', 'true');
    p.setOutput('order', big);
    p.setOutput('notes', 'a\nb');
    p.finish();
    const dotenv = readFileSync(join(dir, 'shipgate.env'), 'utf8');
    expect(dotenv).toBe('SHIPGATE_HEALTHY=true\nSHIPGATE_NOTES=a\\nb\n');
    expect(io.lines.out).toMatch(
      /warning.*Output 'order' \(\d+ bytes\) would take the dotenv report past GitLab's 5 KiB limit; it is only in shipgate-outputs\.json/,
    );
    expect(JSON.parse(readFileSync(join(dir, 'shipgate-outputs.json'), 'utf8'))).toEqual({
      healthy: 'true',
      order: big,
      notes: 'a\nb',
    });
    // A second step in the same job adds to both.
    const q = new GitLabPlatform({ env: {}, cwd: dir, ...capture() });
    q.setOutput('version', '1.2.0');
    q.finish();
    expect(readFileSync(join(dir, 'shipgate.env'), 'utf8')).toBe(dotenv + 'SHIPGATE_VERSION=1.2.0\n');
    expect(JSON.parse(readFileSync(join(dir, 'shipgate-outputs.json'), 'utf8')).version).toBe('1.2.0');
  });

  it('honours custom report paths', () => {
    const p = new GitLabPlatform({
      env: { SHIPGATE_DOTENV_FILE: 'o.env', SHIPGATE_SUMMARY_FILE: 's.md' },
      cwd: dir,
      ...capture(),
    });
    p.setOutput('a', '1');
    p.writeSummary('one');
    new GitLabPlatform({ env: { SHIPGATE_SUMMARY_FILE: 's.md' }, cwd: dir, ...capture() }).writeSummary('two');
    expect(readFileSync(join(dir, 'o.env'), 'utf8')).toBe('SHIPGATE_A=1\n');
    expect(readFileSync(join(dir, 's.md'), 'utf8')).toBe('one\ntwo\n');
    expect(existsSync(join(dir, 'shipgate.env'))).toBe(false);
  });

  it('redacts secrets itself, since GitLab has no runtime mask', () => {
    const io = capture();
    const p = new GitLabPlatform({ env: { GITLAB_TOKEN: 'glpat-abcdef123' }, cwd: dir, ...io });
    p.secret('GITLAB_TOKEN');
    p.info('token glpat-abcdef123');
    p.error('failed with glpat-abcdef123', { file: 'x.yml', line: 2 });
    p.setOutput('o', 'glpat-abcdef123');
    p.writeSummary('glpat-abcdef123');
    expect(io.lines.out).not.toContain('glpat-abcdef123');
    expect(io.lines.out).toContain('x.yml:2: failed with ***');
    expect(readFileSync(join(dir, 'shipgate.env'), 'utf8')).toBe('SHIPGATE_O=***\n');
    expect(readFileSync(join(dir, 'shipgate-summary.md'), 'utf8')).toBe('***\n');
  });

  it('prints collapsible sections', async () => {
    const io = capture();
    const p = new GitLabPlatform({ env: {}, cwd: dir, ...io });
    await p.group('Probing', async () => p.info('inside'));
    expect(io.lines.out).toMatch(
      /section_start:\d+:shipgate_1\[collapsed=true\]\r\u001b\[0KProbing\ninside\n\u001b\[0Ksection_end:\d+:shipgate_1/,
    );
  });
});

describe('LocalPlatform', () => {
  it('prints outputs as one JSON object on stdout with --json, everything else on stderr', () => {
    const io = capture();
    const p = new LocalPlatform({ env: {}, json: true, ...io });
    p.info('hello');
    p.writeSummary('# Sum');
    p.setOutput('healthy', 'true');
    p.setOutput('order', '["a"]');
    p.finish();
    expect(JSON.parse(io.lines.out)).toEqual({ healthy: 'true', order: '["a"]' });
    expect(io.lines.err).toContain('hello');
    expect(io.lines.err).toContain('# Sum');
  });

  it('prints the summary and outputs on stdout for people', () => {
    const io = capture();
    const p = new LocalPlatform({ env: { SHIPGATE_SERVICE: 'a' }, ...io });
    expect(p.input('service')).toBe('a');
    p.writeSummary('# Sum');
    p.setOutput('healthy', 'false');
    p.finish();
    expect(io.lines.out).toBe('# Sum\n\nOutputs\n  healthy  false\n');
  });
});
