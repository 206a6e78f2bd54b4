// What version-tag computes on real git repositories in temp dirs: every commit since the last tag, merged side
// branches, reverts made with `git revert`, tags on side branches, monorepo prefixes and paths, pre-releases.
import { afterAll, describe, expect, it } from 'vitest';
import { TempRepo, withOrigin } from '../../shared/src/git/testing/temp-repo.js';
import { versionTagIn } from '../helpers/version-tag.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.remove()));
function repo(): TempRepo {
  const r = TempRepo.create();
  repos.push(r);
  return r;
}

const dry = { 'dry-run': 'true' };

describe('version-tag on real repositories', () => {
  it('counts every commit since the last tag, not just the last one', async () => {
    const r = repo();
    r.commit('feat: first');
    r.tag('v1.4.7');
    r.commit('feat(api): add search');
    r.commit('fix: trim');
    r.commit('docs: readme');
    const res = await versionTagIn(r.dir, dry);
    expect(res.code).toBe(0);
    expect(res.outputs).toMatchObject({
      'previous-version': '1.4.7',
      'previous-tag': 'v1.4.7',
      version: '1.5.0',
      tag: 'v1.5.0',
      bump: 'minor',
      released: 'false',
    });
    expect(res.outputs.changelog).toContain('### Features\n\n- **api:** add search (');
    expect(res.summary).toContain('**`v1.4.7` → `v1.5.0`** · minor · 3 commits since `v1.4.7`');
    expect(res.summary).toMatch(/\*\*Decided by:\*\* `[0-9a-f]{7}` feat\(api\): add search/);
    expect(r.git('tag', '--list')).toBe('v1.4.7');
  });

  it('picks the last tag by SemVer precedence, ignoring pre-releases, floating tags and other prefixes', async () => {
    const r = repo();
    r.commit('feat: a');
    r.tag('v1.9.0');
    r.commit('fix: b');
    r.tag('v1.10.0', 'HEAD', 'annotated release');
    r.commit('fix: c');
    r.tag('v1.11.0-rc.1');
    r.tag('v2');
    r.tag('v2.3');
    r.tag('user-service/v7.0.0');
    r.tag('nightly');
    r.commit('fix: d');
    const res = await versionTagIn(r.dir, dry);
    expect(res.outputs).toMatchObject({ 'previous-tag': 'v1.10.0', version: '1.10.1', bump: 'patch' });
    expect(res.summary).toContain('2 commits since `v1.10.0`');
  });

  it('an explicitly empty prefix reads and writes bare X.Y.Z tags', async () => {
    const r = repo();
    r.commit('feat: a');
    r.tag('1.9.0');
    r.tag('v7.0.0');
    r.commit('fix: b');
    expect((await versionTagIn(r.dir, { ...dry, prefix: '' })).outputs).toMatchObject({
      'previous-tag': '1.9.0',
      tag: '1.9.1',
    });
    expect((await versionTagIn(r.dir, dry)).outputs).toMatchObject({ 'previous-tag': 'v7.0.0', tag: 'v7.0.1' });
  });

  it('counts the commits of merged side branches, and merge commits only with a conventional header', async () => {
    const r = repo();
    r.commit('chore: init');
    r.tag('v2.0.0');
    r.checkout('feature', true);
    r.commit('feat(ui): dark mode');
    r.commit('chore: lint');
    r.checkout('main');
    r.commit('docs: main line');
    r.merge('feature', "Merge branch 'feature'\n\nBREAKING CHANGE: ignored: a merge without a conventional header");
    const res = await versionTagIn(r.dir, dry);
    expect(res.outputs).toMatchObject({ version: '2.1.0', bump: 'minor' });
    expect(res.summary).toContain('merge: not counted');
  });

  it('ignores a tag on a side branch that is not merged, and refuses to reuse its name', async () => {
    const r = repo();
    r.commit('feat: base');
    r.tag('v1.0.0');
    r.checkout('release-1.1', true);
    r.commit('fix: hotfix');
    r.tag('v1.1.0');
    r.checkout('main');
    r.commit('feat: next');
    const res = await versionTagIn(r.dir, dry);
    expect(res.code).toBe(1);
    expect(res.outputs).toMatchObject({ 'previous-tag': 'v1.0.0', tag: 'v1.1.0', bump: 'minor' });
    expect(res.log).toMatch(/Tag v1\.1\.0 already exists at [0-9a-f]{7}, which is not in HEAD's history/);
  });

  it('reverts: a pair in the range drops out, a revert of a released change is a patch, a revert of a revert brings it back', async () => {
    const r = repo();
    r.commit('chore: init', { 'a.txt': '0' });
    const released = r.commit('feat: released feature', { 'b.txt': '1' });
    r.tag('v1.0.0');
    const feat = r.commit('feat!: breaking thing', { 'c.txt': '1' });
    r.revert(feat);
    expect((await versionTagIn(r.dir, dry)).outputs).toMatchObject({ bump: 'none', version: '' });

    r.revert(released);
    expect((await versionTagIn(r.dir, dry)).outputs).toMatchObject({ bump: 'patch', version: '1.0.1' });

    const again = r.git('log', '--format=%H', '--grep=breaking thing', '--grep=Revert', '--all-match', '-1');
    r.revert(again);
    const res = await versionTagIn(r.dir, dry);
    expect(res.outputs).toMatchObject({ bump: 'major', version: '2.0.0' });
    expect(res.outputs.changelog).toContain('### Breaking changes\n\n- breaking thing (');
  });

  it('per-service tags and paths in a monorepo', async () => {
    const r = repo();
    r.commit('chore: layout', { 'services/user/a': '1', 'services/order/a': '1' });
    r.tag('user-service/v1.2.0');
    r.tag('order-service/v3.0.0');
    r.tag('v9.0.0');
    r.commit('feat(order): new checkout', { 'services/order/b': '1' });
    r.commit('fix(user): trim names', { 'services/user/b': '1' });
    r.checkout('side', true);
    r.commit('perf(user): faster lookup', { 'services/user/c': '1' });
    r.checkout('main');
    r.commit('docs: top level', { 'README.md': 'x' });
    r.merge('side', "Merge branch 'side'");
    r.checkout('experiment', true);
    r.commit('feat(user): experiment', { 'services/user/x': '1' });
    r.tag('user-service/v9.9.9');
    r.checkout('main');
    const user = await versionTagIn(r.dir, { ...dry, prefix: 'user-service/v', path: 'services/user' });
    expect(user.outputs).toMatchObject({
      'previous-tag': 'user-service/v1.2.0',
      tag: 'user-service/v1.2.1',
      bump: 'patch',
    });
    expect(user.summary).toContain('3 commits since `user-service/v1.2.0` touching `services/user`');
    const order = await versionTagIn(r.dir, { ...dry, prefix: 'order-service/v', path: 'services/order/' });
    expect(order.outputs).toMatchObject({ tag: 'order-service/v3.1.0', bump: 'minor' });
    expect((await versionTagIn(r.dir, { ...dry, path: 'services/nope' })).log).toContain(
      "Input 'path' is 'services/nope', which is not in the repository at HEAD",
    );
  });

  it('a merge request merge counts for the path it brings a change to, not for a path only the main line changed', async () => {
    const r = repo();
    r.commit('chore: layout', { 'services/user/a': '1', 'services/order/a': '1' });
    r.tag('user-service/v1.0.0');
    r.tag('order-service/v1.0.0');
    r.checkout('mr', true);
    r.commit('wip', { 'services/order/a': '2' });
    r.checkout('main');
    r.commit('chore(user): tidy', { 'services/user/a': '2' });
    r.merge('mr', 'feat(order): new checkout (merge request title)');
    const order = await versionTagIn(r.dir, { ...dry, prefix: 'order-service/v', path: 'services/order' });
    expect(order.outputs).toMatchObject({ version: '1.1.0', bump: 'minor' });
    const user = await versionTagIn(r.dir, { ...dry, prefix: 'user-service/v', path: 'services/user' });
    expect(user.outputs).toMatchObject({ bump: 'none' });
    expect(user.summary).toContain('1 commit since `user-service/v1.0.0` touching `services/user`');
  });

  it('starts at 0.0.0, or initial-version, and honours pre-major', async () => {
    const r = repo();
    r.commit('feat!: first');
    expect((await versionTagIn(r.dir, dry)).outputs).toMatchObject({
      'previous-version': '',
      version: '1.0.0',
      bump: 'major',
    });
    expect((await versionTagIn(r.dir, { ...dry, 'pre-major': 'true' })).outputs).toMatchObject({
      version: '0.1.0',
      bump: 'minor',
    });
    expect((await versionTagIn(r.dir, { ...dry, 'initial-version': '2.4.0' })).outputs).toMatchObject({
      version: '3.0.0',
    });
    r.tag('v0.3.1');
    r.commit('feat: second');
    r.commit('fix(x)!: third');
    expect((await versionTagIn(r.dir, { ...dry, 'pre-major': 'true' })).outputs).toMatchObject({
      version: '0.4.0',
      bump: 'minor',
    });
    expect((await versionTagIn(r.dir, dry)).outputs).toMatchObject({ version: '1.0.0', bump: 'major' });
  });

  it('numbers pre-releases over existing rc tags, which never become the last release', async () => {
    const r = repo();
    r.commit('feat: a');
    r.tag('v1.2.4');
    r.commit('feat: b');
    r.tag('v1.3.0-rc.1');
    r.checkout('other', true);
    r.commit('fix: elsewhere');
    r.tag('v1.3.0-rc.2');
    r.checkout('main');
    r.commit('fix: c');
    const res = await versionTagIn(r.dir, { ...dry, prerelease: 'rc' });
    expect(res.outputs).toMatchObject({
      'previous-tag': 'v1.2.4',
      version: '1.3.0-rc.3',
      tag: 'v1.3.0-rc.3',
      bump: 'minor',
    });
  });

  it('reports nothing to release with bump none and exit 0', async () => {
    const { origin, work: r } = withOrigin();
    repos.push(origin, r);
    r.commit('feat: a');
    r.tag('v1.0.0');
    const none = await versionTagIn(r.dir, dry);
    expect(none).toMatchObject({
      code: 0,
      outputs: { bump: 'none', version: '', tag: '', changelog: '', released: 'false' },
    });
    r.commit('chore: b');
    r.commit('Update README');
    const res = await versionTagIn(r.dir, { push: 'true' });
    expect(res.code).toBe(0);
    expect(res.outputs.bump).toBe('none');
    expect(res.summary).toContain('**No release** · 2 commits since `v1.0.0`');
  });

  it('api-breaking forces a major release, or fails the job under the fail policy', async () => {
    const r = repo();
    r.commit('feat: a');
    r.tag('v1.2.0');
    r.commit('fix: b');
    const forced = await versionTagIn(r.dir, { ...dry, 'api-breaking': 'true' });
    expect(forced.outputs).toMatchObject({ version: '2.0.0', bump: 'major' });
    expect(forced.outputs.changelog).toContain('The API changed incompatibly (found by api-compat).');
    const failed = await versionTagIn(r.dir, { ...dry, 'api-breaking': 'true', 'api-breaking-policy': 'fail' });
    expect(failed.code).toBe(1);
    expect(failed.log).toContain('no commit since v1.2.0 declares it');
    r.commit('feat!: declared');
    const declared = await versionTagIn(r.dir, { ...dry, 'api-breaking': 'true', 'api-breaking-policy': 'fail' });
    expect(declared).toMatchObject({ code: 0, outputs: { version: '2.0.0' } });
  });
});
