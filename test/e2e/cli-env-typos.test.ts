import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steps } from '../../actions/index.js';
import { knownVariables } from '../../shared/src/env-inputs.js';
import { shipgate } from '../helpers/cli.js';
import { ROOT } from '../helpers/run-bundle.js';

// A misspelt SHIPGATE_* input in a job is refused as a mistyped flag is; what the project itself sets is not.
const job = (env: Record<string, string>) => ({
  cwd: mkdtempSync(join(tmpdir(), 'shipgate-env-')),
  env: { GITLAB_CI: 'true', ...env },
});

describe('SHIPGATE_* variables in a GitLab job', () => {
  it('refuses SHIPGATE_DURATON with exit 2 and names SHIPGATE_DURATION, before any load', async () => {
    const r = await shipgate(['perf-baseline'], job({ SHIPGATE_URL: 'http://127.0.0.1:9/', SHIPGATE_DURATON: '1s' }));
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(
      "Variable 'SHIPGATE_DURATON' is no input of perf-baseline. Did you mean 'SHIPGATE_DURATION'?",
    );
  });

  it('accepts other steps’ inputs, earlier jobs’ dotenv outputs and the pipeline’s own variables', async () => {
    const r = await shipgate(
      [
        'check-dependencies',
        '--config',
        join(ROOT, 'test/fixtures/seed-dependency-config.yml'),
        '--check-health',
        'false',
      ],
      job({
        SHIPGATE_WAVE: '2',
        SHIPGATE_SERVICE: 'order-service',
        SHIPGATE_BREAKING: 'false', // api-compat's output, from an earlier job's dotenv
        SHIPGATE_DURATION: '5s', // perf-baseline's input, set for the whole pipeline
        SHIPGATE_SUMMARY_FILE: 'summary.md',
        SHIPGATE_MY_OWN_SETTING: 'x', // the user's own, near no input
      }),
    );
    expect(r.stdout + r.stderr).not.toContain('Did you mean');
    expect(r.code).toBe(0);
  });

  it('only warns on a terminal', async () => {
    const r = await shipgate(
      [
        'check-dependencies',
        '--config',
        join(ROOT, 'test/fixtures/seed-dependency-config.yml'),
        '--check-health',
        'false',
      ],
      {
        env: { SHIPGATE_CHECK_HEALTHY: 'true' },
      },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Did you mean 'SHIPGATE_CHECK_HEALTH'?");
  });
});

describe('every SHIPGATE_* name the project sets', () => {
  // Templates, reusable workflows, the child pipeline and the platforms: anything they set must be known.
  const files = (dir: string, ext: RegExp): string[] =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => ext.test(f))
      .map((f) => join(ROOT, dir, f));
  const sources = [
    ...files('templates', /\.yml$/),
    ...files('.github/workflows', /^shipgate-.*\.yml$/),
    ...files('shared/src', /\.ts$/),
    ...files('actions', /src\/.*\.ts$/),
    ...files('scripts', /\.ts$/),
  ];

  it('is accepted by the check', () => {
    const known = knownVariables(steps.map((s) => s.schema));
    const names = new Set(
      sources.flatMap((f) => readFileSync(f, 'utf8').match(/SHIPGATE_[A-Z0-9_]+(?![A-Za-z0-9_$])/g) ?? []),
    );
    expect(names.size).toBeGreaterThan(50);
    expect([...names].filter((n) => !known.has(n))).toEqual([]);
  });
});
