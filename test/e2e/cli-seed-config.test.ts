import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { shipgate } from '../helpers/cli.js';
import { ROOT } from '../helpers/run-bundle.js';

// The users' own five-service file, exactly as written (user-service at level 3), run through the CLI.
const SEED = join(ROOT, 'test/fixtures/seed-dependency-config.yml');
let file: string;

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-seed-'));
  file = join(dir, 'dependency-config.yml');
  copyFileSync(SEED, file);
});

describe('check-dependencies on the seed dependency-config.yml', () => {
  it('follows the dependencies, warns at the level line with the fix, and says which order it used', async () => {
    const r = await shipgate(['check-dependencies', '--check-health', 'false', '--format', 'markdown'], {
      cwd: file.replace(/\/[^/]+$/, ''),
    });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `dependency-config.yml:21: Service 'order-service' has level 3, not above its dependency 'user-service' (level 3). user-service should be level 2, or drop \`level\`.`,
    );
    expect(r.stdout).toContain('| 2 | inventory-service, user-service |');
    expect(r.stdout).toContain(
      'Order from the dependencies: each service deploys one wave after its deepest dependency',
    );
    expect(r.stdout).toContain('1 `level` / `deploy_order` hint contradicted the dependencies and was not followed');
  });

  it('gives the waves as JSON', async () => {
    const r = await shipgate(['check-dependencies', '--config', file, '--check-health', 'false', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).waves).toEqual([
      ['config-center', 'service-registry'],
      ['inventory-service', 'user-service'],
      ['order-service'],
    ]);
  });

  it('refuses the file with strict: true, naming the line and the fix', async () => {
    const r = await shipgate(['check-dependencies', '--config', file, '--check-health', 'false', '--strict']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${file}:21: Service 'order-service' has level 3, not above its dependency 'user-service' (level 3). user-service should be level 2`,
    );
  });
});
