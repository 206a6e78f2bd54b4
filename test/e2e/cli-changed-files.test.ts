import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shipgate } from '../helpers/cli.js';

// `changed-files` as people type it: inline lists, comma lists, repeated flags, and a SHIPGATE_ variable in a job.
let config: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-changed-'));
  config = join(dir, 'dependency-config.yml');
  writeFileSync(
    config,
    `services:
  db: { paths: [services/db/**] }
  api: { dependencies: [db], paths: [services/api/**] }
  web: { paths: [web/**] }
  docs: { paths: [docs/**] }
`,
  );
});

const affected = async (extra: string[], env: Record<string, string> = {}) => {
  const r = await shipgate(['check-dependencies', '--config', config, '--check-health', 'false', '--json', ...extra], {
    env,
  });
  expect(r.code, r.stderr).toBe(0);
  return { list: JSON.parse(r.stdout).affected, stderr: r.stderr };
};

describe('check-dependencies changed-files', () => {
  it.each([
    ['space separated', ['--changed-files', 'services/db/schema.sql web/index.html']],
    ['comma separated', ['--changed-files', 'services/db/schema.sql,web/index.html']],
    ['comma and space', ['--changed-files=services/db/schema.sql, web/index.html']],
    ['newline separated', ['--changed-files', 'services/db/schema.sql\nweb/index.html\n']],
    ['repeated-flag', ['--changed-files', 'services/db/schema.sql', '--changed-files', 'web/index.html']],
  ])('reads a %s list as two files', async (_label, flags) => {
    const { list, stderr } = await affected(flags);
    expect(list).toEqual(['db', 'web', 'api']);
    expect(stderr).not.toContain('warning');
  });

  it('reads SHIPGATE_CHANGED_FILES the same way in a GitLab job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-changed-job-'));
    const r = await shipgate(['check-dependencies'], {
      cwd: dir,
      env: {
        GITLAB_CI: 'true',
        SHIPGATE_CONFIG: config,
        SHIPGATE_CHECK_HEALTH: 'false',
        SHIPGATE_CHANGED_FILES: 'docs/a.md web/b.css',
      },
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'shipgate.env'), 'utf8')).toContain('SHIPGATE_AFFECTED=["docs","web"]\n');
  });

  it('warns when no changed file matches any service', async () => {
    const { list, stderr } = await affected(['--changed-files', 'README.md, src/main.go']);
    expect(list).toEqual([]);
    expect(stderr).toContain(
      "Input 'changed-files': none of the 2 changed files ('README.md', 'src/main.go') matches a service's `paths`, so no service is affected.",
    );
  });

  it('refuses any other flag given twice instead of keeping the last', async () => {
    const r = await shipgate(['check-dependencies', '--config', config, '--config', 'other.yml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Flag '--config' is given twice");
  });
});
