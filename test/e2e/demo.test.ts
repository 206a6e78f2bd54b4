import { describe, expect, it } from 'vitest';
import { ROOT, runProcess } from '../helpers/run-bundle.js';

// The README's demo command, as a newcomer runs it.
describe('npm run demo', () => {
  it('runs every part: waves and health, a breaking change, load tests, a version and image re-tag, a blue/green switch and revert', async () => {
    const r = await runProcess('npm', ['run', 'demo', '--silent'], { cwd: ROOT, timeoutMs: 300_000 });
    // A part that went wrong says why on its ✘ line; show that rather than only the exit code.
    expect(r.stdout.match(/✘.*$/gm) ?? []).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SHIPGATE_AFFECTED=["inventory-service","order-service"]');
    expect(r.stdout).toMatch(
      /UNHEALTHY inventory-service \(http:\/\/127\.0\.0\.1:\d+\/health\) after \d+ attempts: HTTP 503/,
    );
    expect(r.stdout).toContain('exit 1 (1 = an unhealthy dependency stops the deploy)');
    expect(r.stdout).toMatch(/healthy   inventory-service .* after [2-9]\d* attempts/);
    expect(r.stdout).toMatch(
      /→ exit 1 \(1 = a triggered rollback: the pipeline shows red\); requests: green \d+, blue [1-9]\d*; failed: 0/,
    );
    // multi-service through gitlab-ci-local: wave 2 fails, its gate pauses the deploy, wave 3 never starts.
    expect(r.stdout).toContain('| 3 | order-service | ⏸ paused |');
    for (const part of [
      'check-dependencies',
      'api-compat',
      'perf-baseline',
      'version-tag',
      'blue-green-switch',
      'rollback',
      'multi-service',
    ]) {
      expect(r.stdout, part).toContain(`✔ ${part}: as expected`);
    }
    expect(r.stdout).toContain('Demo finished as expected.');
  }, 300_000);
});
