// What a release user expects from version-tag on real repositories: a laptop run previews, CHANGELOG.md and the
// version files bumped and committed with the tag, `--path .` meaning the directory it runs in, and a missing token
// named as the platform names it. Tags through the API go to the in-process GitHub server.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { githubReleaseServer } from '../../shared/src/forge/testing/forge-releases.js';
import { TempRepo, withOrigin } from '../../shared/src/git/testing/temp-repo.js';
import { versionTagIn } from '../helpers/version-tag.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));

const PACKAGE_JSON = `{
  "name": "user-service",
  "config": { "version": "9.9.9" },
  "version": "1.4.7",
  "dependencies": { "left-pad": "1.4.7" }
}
`;
const POM_XML = `<?xml version="1.0" encoding="UTF-8"?>
<project>
  <!-- <version>0.0.0</version> in a comment is not the project's -->
  <parent>
    <groupId>com.acme</groupId>
    <version>1.4.7</version>
  </parent>
  <artifactId>user-service</artifactId>
  <version>1.4.7</version>
  <dependencies>
    <dependency><groupId>com.acme</groupId><artifactId>lib</artifactId><version>1.4.7</version></dependency>
  </dependencies>
</project>
`;
const PYPROJECT = `[build-system]
requires = ["poetry-core"]

[tool.poetry]
name = "user-service"
version = "1.4.7" # the release

[tool.poetry.dependencies]
version = "1.4.7"
`;
const CHANGELOG = '# Changelog\n\n## v1.4.7 (2026-01-01)\n\n### Fixes\n\n- old fix (abc1234)\n';

/** v1.4.7 with the files at 1.4.7 and a feature since, pushed to origin: the next version is 1.5.0. */
function releasable(): { origin: TempRepo; work: TempRepo } {
  const { origin, work } = withOrigin();
  repos.push(origin, work);
  work.commit('feat: a', {
    'package.json': PACKAGE_JSON,
    'pom.xml': POM_XML,
    'pyproject.toml': PYPROJECT,
    VERSION: '1.4.7\n',
    'CHANGELOG.md': CHANGELOG,
  });
  work.tag('v1.4.7');
  work.commit('feat(api): search');
  work.git('push', '--quiet', 'origin', 'main', '--tags');
  return { origin, work };
}

const files = { 'changelog-file': 'CHANGELOG.md', 'version-files': 'package.json\npom.xml\npyproject.toml\nVERSION' };
const read = (r: TempRepo, name: string) => readFileSync(join(r.dir, name), 'utf8');

describe('version-tag outside CI', () => {
  it('previews by default on a terminal: no tag, no file written, and says how to publish', async () => {
    const { origin, work } = releasable();
    const res = await versionTagIn(work.dir, files);
    expect(res.code, res.log).toBe(0);
    expect(res.outputs).toMatchObject({ tag: 'v1.5.0', released: 'false' });
    expect(res.log).toContain('Not running in CI, so this is a preview');
    expect(res.log).toContain('Pass --push (or --dry-run false) to publish.');
    expect(res.summary).toContain('- write package.json: 1.4.7 → 1.5.0');
    expect(res.summary).toContain('- write CHANGELOG.md: the v1.5.0 notes on top');
    expect(work.git('tag', '--list')).toBe('v1.4.7');
    expect(origin.git('tag', '--list')).toBe('v1.4.7');
    expect(read(work, 'package.json')).toBe(PACKAGE_JSON);
    expect(work.git('status', '--porcelain')).toBe('');
  });

  it('publishes with --push, and by default in CI', async () => {
    const a = releasable();
    expect((await versionTagIn(a.work.dir, { push: 'true' })).outputs.released).toBe('true');
    expect(a.origin.git('tag', '--list', 'v1.5.0')).toBe('v1.5.0');
    const b = releasable();
    expect((await versionTagIn(b.work.dir, {}, { CI: 'true' })).outputs.released).toBe('true');
    expect(b.origin.git('tag', '--list', 'v1.5.0')).toBe('v1.5.0');
  });
});

describe('changelog-file and version-files', () => {
  it('bumps only the project versions, prepends the notes, commits them and tags that commit on origin', async () => {
    const { origin, work } = releasable();
    const before = work.head();
    const res = await versionTagIn(work.dir, { ...files, 'commit-files': 'true', push: 'true' });
    expect(res.code, res.log).toBe(0);
    const release = origin.git('rev-parse', 'v1.5.0^{commit}');
    expect(release).not.toBe(before);
    expect(origin.git('rev-parse', 'main')).toBe(release);
    expect(origin.git('log', '-1', '--format=%s', release)).toBe('chore(release): v1.5.0');
    expect(origin.git('rev-parse', `${release}^`)).toBe(before);
    const show = (name: string) => origin.git('show', `v1.5.0:${name}`) + '\n';
    expect(show('package.json')).toBe(PACKAGE_JSON.replace('"version": "1.4.7"', '"version": "1.5.0"'));
    expect(show('pom.xml')).toBe(
      POM_XML.replace(
        '<artifactId>user-service</artifactId>\n  <version>1.4.7',
        '<artifactId>user-service</artifactId>\n  <version>1.5.0',
      ),
    );
    expect(show('pyproject.toml')).toBe(
      PYPROJECT.replace('version = "1.4.7" # the release', 'version = "1.5.0" # the release'),
    );
    expect(show('VERSION')).toBe('1.5.0\n');
    const changelog = show('CHANGELOG.md');
    expect(changelog).toMatch(
      /^# Changelog\n\n## v1\.5\.0 \(\d{4}-\d\d-\d\d\)\n\n### Features\n\n- \*\*api:\*\* search \([0-9a-f]{7}\)\n\n## v1\.4\.7 \(2026-01-01\)/,
    );
    expect(work.git('status', '--porcelain')).toBe('');
    // the release commit is a chore: the next run has nothing to release
    expect((await versionTagIn(work.dir, { 'dry-run': 'true' })).outputs.bump).toBe('none');
  });

  it('tags the release commit through the API once it is pushed', async () => {
    const { origin, work } = releasable();
    // the forge knows the commits its repository has: those pushed to origin
    const onOrigin = (sha: string) => {
      try {
        return origin.git('cat-file', '-t', sha) === 'commit';
      } catch {
        return false;
      }
    };
    const known = Object.assign([work.head()], { includes: onOrigin });
    const gh = await githubReleaseServer('acme', 'shop', { commits: known, token: 'gh-write' });
    try {
      const env = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: gh.url, GITHUB_TOKEN: 'gh-write' };
      const res = await versionTagIn(work.dir, { ...files, 'commit-files': 'true', release: 'true' }, env);
      expect(res.code, res.log).toBe(0);
      expect(gh.state.tags.get('v1.5.0')).toMatchObject({ sha: origin.git('rev-parse', 'main') });
      expect(origin.git('log', '-1', '--format=%s', 'main')).toBe('chore(release): v1.5.0');
    } finally {
      await gh.close();
    }
  });

  it('writes the files without committing them unless asked', async () => {
    const { work } = releasable();
    const res = await versionTagIn(work.dir, { 'version-files': 'VERSION', push: 'true' });
    expect(res.code, res.log).toBe(0);
    expect(read(work, 'VERSION')).toBe('1.5.0\n');
    expect(work.git('status', '--porcelain')).toBe('M VERSION');
  });

  it.each([
    [
      'a pom.xml that inherits its version',
      { 'pom.xml': POM_XML.replace('  <version>1.4.7</version>\n  <dependencies>', '  <dependencies>') },
      'pom.xml',
      "it has no <version> of its own under <project> (it inherits the parent's)",
    ],
    [
      'a dynamic pyproject version',
      { 'pyproject.toml': '[project]\nname = "x"\ndynamic = ["version"]\n' },
      'pyproject.toml',
      'its [project] version is dynamic',
    ],
    ['a missing file', {}, 'package.jsn', 'it cannot be read (ENOENT'],
  ])('refuses %s (exit 2) before anything is tagged or written', async (_what, content, name, why) => {
    const { origin, work } = releasable();
    for (const [file, text] of Object.entries(content)) writeFileSync(join(work.dir, file), text);
    const res = await versionTagIn(work.dir, { 'version-files': `VERSION\n${name}`, push: 'true' });
    expect(res.code, res.log).toBe(2);
    expect(res.log).toContain(`Input 'version-files' names '${name}', but ${why}`);
    expect(origin.git('tag', '--list')).toBe('v1.4.7');
    expect(read(work, 'VERSION')).toBe('1.4.7\n');
  });
});

describe('paths and tokens as the user means them', () => {
  it('--path . in a service directory counts the commits of that directory only', async () => {
    const r = TempRepo.create();
    repos.push(r);
    r.commit('feat: start', { 'services/user/a.txt': '1', 'services/order/a.txt': '1' });
    r.tag('v1.0.0');
    r.commit('feat(order): only the order service', { 'services/order/b.txt': '2' });
    r.commit('fix(user): the user service', { 'services/user/b.txt': '2' });
    const res = await versionTagIn(join(r.dir, 'services', 'user'), { path: '.', 'dry-run': 'true' });
    expect(res.code, res.log).toBe(0);
    expect(res.outputs).toMatchObject({ version: '1.0.1', bump: 'patch' });
    expect(res.summary).toContain('1 commit since `v1.0.0` touching `services/user`');
  });

  it('names the variables of the platform it runs on when a release has no token', async () => {
    const { work } = releasable();
    const local = await versionTagIn(work.dir, { release: 'true' });
    expect(local.log).toContain(
      'no forge token is in the environment: GITHUB_TOKEN with GITHUB_REPOSITORY for GitHub, or GITLAB_TOKEN with CI_PROJECT_ID and CI_SERVER_URL for GitLab',
    );
    const gitlab = await versionTagIn(
      work.dir,
      { release: 'true' },
      { GITLAB_CI: 'true', GITLAB_TOKEN: 'glpat-x', CI_SERVER_URL: 'http://127.0.0.1:9' },
      'gitlab',
    );
    expect(gitlab.code).toBe(2);
    expect(gitlab.log).toContain("Input 'release' is 'true', but CI_PROJECT_ID is not in the environment");
    const github = await versionTagIn(
      work.dir,
      { release: 'true' },
      { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/shop' },
      'github',
    );
    expect(github.code).toBe(2);
    expect(github.log).toContain(
      "Input 'release' is 'true', but GITHUB_TOKEN is not in the environment (on GitHub Actions: env: GITHUB_TOKEN: ${{ github.token }})",
    );
  });
});
