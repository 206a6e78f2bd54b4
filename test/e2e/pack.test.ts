import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runProcess } from '../helpers/run-bundle.js';

// The published npm package, installed from the tarball `npm pack` makes, as `npx shipgate` runs it.
describe('npm package', () => {
  it('installs from its tarball and runs the CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-pack-'));
    execFileSync('npm', ['pack', '--pack-destination', dir, '--silent'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
    expect(tgz).toMatch(/^shipgate-\d+\.\d+\.\d+\.tgz$/);
    const env = { npm_config_cache: join(dir, 'npm-cache'), npm_config_update_notifier: 'false' };

    const help = await runProcess('npx', ['--yes', `./${tgz}`, 'check-dependencies', '--help'], {
      cwd: dir,
      env,
      timeoutMs: 120_000,
    });
    expect(help.stderr).not.toMatch(/ERR!/);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('shipgate check-dependencies');
    expect(help.stdout).toContain('--fail-on-unhealthy  (default: true)');

    const version = await runProcess('npx', ['--yes', `./${tgz}`, '--version'], { cwd: dir, env, timeoutMs: 120_000 });
    const { version: expected } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(version.stdout.trim()).toBe(`shipgate ${expected}`);

    writeFileSync(join(dir, 'dependency-config.yml'), 'services:\n  a: {}\n  b: { dependencies: [a] }\n');
    const ran = await runProcess('npx', ['--yes', `./${tgz}`, 'check-dependencies', '--json'], {
      cwd: dir,
      env,
      timeoutMs: 120_000,
    });
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).waves).toEqual([['a'], ['b']]);
  }, 240_000);
});
