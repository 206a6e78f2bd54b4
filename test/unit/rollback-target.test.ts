import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependentsInRollbackOrder } from '../../actions/rollback/src/dependents.js';
import { previousRelease } from '../../actions/rollback/src/releases.js';
import { ConfigError } from '../../shared/src/errors.js';
import { parseConfig } from '../../shared/src/graph/config.js';
import { GitHubPlatform, LocalPlatform } from '../../shared/src/platform/index.js';
import { shallowClone, TempRepo } from '../../shared/src/git/testing/temp-repo.js';

const local = new LocalPlatform({ env: {}, stdout: () => {}, stderr: () => {} });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e as Error,
  );

describe('the previous release from git tags (a real repository)', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = TempRepo.create();
    for (const [i, tags] of [
      ['v1.0.0'],
      ['v1.1.0', 'user-service/v3.0.0'],
      ['v1.9.0'],
      ['v1.10.0-rc.1', 'v1.10', 'latest'],
      ['v1.10.0', 'user-service/v3.1.0'],
      ['v2.0.0-beta.1', 'order-service/v9.0.0'],
    ].entries()) {
      repo.commit(`feat: change ${i}`, { [`f${i}.txt`]: String(i) });
      for (const t of tags) repo.tag(t, 'HEAD', t.startsWith('user') ? `release ${t}` : undefined);
    }
  });
  afterAll(() => repo.remove());

  it('is the highest release below the newest, by SemVer, pre-releases and floating tags left out', async () => {
    expect(await previousRelease(repo.dir, 'v', local)).toEqual({
      newest: { tag: 'v1.10.0', version: '1.10.0' },
      previous: { tag: 'v1.9.0', version: '1.9.0' },
    });
  });

  it('reads the tags of one service by its prefix, annotated tags too', async () => {
    expect(await previousRelease(repo.dir, 'user-service/v', local)).toEqual({
      newest: { tag: 'user-service/v3.1.0', version: '3.1.0' },
      previous: { tag: 'user-service/v3.0.0', version: '3.0.0' },
    });
  });

  it('is nothing to roll back to (exit 2) with a single release, naming the prefix and the fix', async () => {
    const err = await failure(previousRelease(repo.dir, 'order-service/v', local));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toContain(
      "the repository has only one release tag (order-service/v9.0.0) with prefix 'order-service/v' (input 'prefix')",
    );
    expect(err?.message).toContain("Set 'to' to the version to return to, e.g. order-service/v1.4.2.");
    expect((await failure(previousRelease(repo.dir, 'web/v', local)))?.message).toContain(
      "no release tag with prefix 'web/v'",
    );
  });

  it('says how to fetch the tags when the clone is shallow', async () => {
    const clone = shallowClone(repo, 1);
    try {
      clone.git('tag', '-d', ...clone.git('tag', '--list').split('\n').filter(Boolean));
      const github = new GitHubPlatform({ env: { GITHUB_ACTIONS: 'true' }, stdout: () => {}, stderr: () => {} });
      const err = await failure(previousRelease(clone.dir, 'v', github));
      expect(err?.message).toContain("no release tag with prefix 'v'");
      expect(err?.message).toContain(
        "The clone is shallow, so tags may be missing: Set 'fetch-depth: 0' on actions/checkout",
      );
    } finally {
      clone.remove();
    }
  });
});

describe('dependents in rollback order', () => {
  // user ← order ← checkout ← web; user ← notify; inventory ← order; audit stands alone
  const { config } = parseConfig(
    `services:
  user-service: {}
  inventory-service: {}
  audit-service: {}
  order-service: { dependencies: [user-service, inventory-service] }
  notify-service: { dependencies: [user-service] }
  checkout-service: { dependencies: [order-service] }
  web: { dependencies: [checkout-service, notify-service] }
`,
    'dependency-config.yml',
  );

  it('lists every direct and indirect dependent, last deploy wave first', () => {
    expect(dependentsInRollbackOrder(config, 'user-service')).toEqual([
      'web',
      'checkout-service',
      'notify-service',
      'order-service',
    ]);
    expect(dependentsInRollbackOrder(config, 'inventory-service')).toEqual([
      'web',
      'checkout-service',
      'order-service',
    ]);
  });

  it('is empty for a service nothing depends on', () => {
    expect(dependentsInRollbackOrder(config, 'web')).toEqual([]);
    expect(dependentsInRollbackOrder(config, 'audit-service')).toEqual([]);
  });
});
