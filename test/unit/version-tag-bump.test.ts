import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decideBump, type Commit } from '../../actions/version-tag/src/bump.js';
import { changelog, MAX_ENTRIES } from '../../actions/version-tag/src/changelog.js';

const sha = (label: string) => createHash('sha1').update(label).digest('hex');

/** Commits newest first, as git log lists them; `revert` names the label of the reverted commit. */
function range(
  ...specs: ([label: string, message: string] | [label: string, message: string, opts: { merge?: boolean }])[]
): Commit[] {
  return specs.map(([label, message, opts]) => ({
    sha: sha(label),
    parents: opts?.merge ? [sha(`${label}^1`), sha(`${label}^2`)] : [sha(`${label}^`)],
    message: message.replace(/<(\w+)>/g, (_m, l: string) => sha(l)),
  }));
}

describe('decideBump', () => {
  it('takes the highest level over every commit, not just the last', () => {
    const d = decideBump(range(['c', 'chore: release notes'], ['b', 'fix: y'], ['a', 'feat: x']));
    expect(d.level).toBe('minor');
    expect(d.deciding.map((c) => c.sha)).toEqual([sha('a')]);
  });

  it('lists every commit at the deciding level', () => {
    const d = decideBump(range(['c', 'fix: z'], ['b', 'fix(api): y'], ['a', 'docs: x']));
    expect(d.level).toBe('patch');
    expect(d.deciding.map((c) => c.sha)).toEqual([sha('c'), sha('b')]);
  });

  it('is none for an empty range or only other types', () => {
    expect(decideBump([]).level).toBe('none');
    expect(decideBump(range(['b', 'chore: x'], ['a', 'docs: y'])).level).toBe('none');
  });

  it('drops a revert and its commit when both are in the range', () => {
    const d = decideBump(range(['r', 'Revert "feat: x"\n\nThis reverts commit <a>.'], ['a', 'feat: x']));
    expect(d.level).toBe('none');
    expect(d.commits.map((c) => c.cancelledBy)).toEqual([sha('a'), sha('r')]);
  });

  it('drops the pair but keeps the other commits', () => {
    const d = decideBump(
      range(['r', 'revert: feat!: x\n\nThis reverts commit <a>.'], ['b', 'fix: y'], ['a', 'feat!: x']),
    );
    expect(d.level).toBe('patch');
    expect(d.deciding.map((c) => c.sha)).toEqual([sha('b')]);
  });

  it('a revert of a commit released earlier is a patch', () => {
    const d = decideBump(range(['r', 'Revert "feat!: x"\n\nThis reverts commit <released>.'], ['b', 'docs: y']));
    expect(d.level).toBe('patch');
  });

  it('a revert of a revert brings the change back', () => {
    const d = decideBump(
      range(
        ['rr', 'Revert "Revert "feat: x""\n\nThis reverts commit <r>.'],
        ['r', 'Revert "feat: x"\n\nThis reverts commit <a>.'],
        ['a', 'feat: x'],
      ),
    );
    expect(d.level).toBe('minor');
    expect(d.deciding.map((c) => c.sha)).toEqual([sha('a')]);
  });

  it('three reverts in a row cancel the change again', () => {
    const d = decideBump(
      range(
        ['rrr', 'Revert "Revert "Revert "feat: x"""\n\nThis reverts commit <rr>.'],
        ['rr', 'Revert "Revert "feat: x""\n\nThis reverts commit <r>.'],
        ['r', 'Revert "feat: x"\n\nThis reverts commit <a>.'],
        ['a', 'feat: x'],
      ),
    );
    expect(d.level).toBe('none');
  });

  it('the order git lists them in does not matter', () => {
    const d = decideBump(
      range(
        ['a', 'feat: x'],
        ['r', 'Revert "feat: x"\n\nThis reverts commit <a>.'],
        ['rr', 'Revert "Revert "feat: x""\n\nThis reverts commit <r>.'],
      ),
    );
    expect(d.level).toBe('minor');
  });

  it('a revert of a revert whose first change was released earlier leaves nothing', () => {
    const d = decideBump(
      range(
        ['rr', 'Revert "Revert "feat: x""\n\nThis reverts commit <r>.'],
        ['r', 'Revert "feat: x"\n\nThis reverts commit <old>.'],
      ),
    );
    expect(d.level).toBe('none');
  });

  it('matches an abbreviated hash in the revert line', () => {
    const d = decideBump(
      range(['r', `revert: feat: x\n\nThis reverts commit ${sha('a').slice(0, 9)}.`], ['a', 'feat: x']),
    );
    expect(d.level).toBe('none');
  });

  it('a bare revert gives no release and cancels nothing', () => {
    const d = decideBump(range(['r', 'revert: feat: x'], ['a', 'feat: x']));
    expect(d.level).toBe('minor');
    expect(d.commits.every((c) => !c.cancelledBy)).toBe(true);
  });

  it('a revert of a commit that gave no release drops out with it', () => {
    const d = decideBump(range(['r', 'Revert "docs: x"\n\nThis reverts commit <a>.'], ['a', 'docs: x']));
    expect(d.level).toBe('none');
  });

  it('counts merged side-branch commits, and a merge only with a conventional header', () => {
    const d = decideBump(
      range(
        ['m2', 'feat(api): merge request title', { merge: true }],
        ['m1', "Merge branch 'x'\n\nBREAKING CHANGE: ignored in a merge", { merge: true }],
        ['s', 'fix: on the side branch'],
      ),
    );
    expect(d.level).toBe('minor');
    expect(d.deciding.map((c) => c.sha)).toEqual([sha('m2')]);
  });

  it('writes a changelog of the counted commits, oldest first, with scope and short sha', () => {
    const d = decideBump(
      range(
        ['e', 'perf(db): index lookups'],
        ['r', 'Revert "feat: dropped"\n\nThis reverts commit <x>.'],
        ['x', 'feat: dropped'],
        ['d', 'Revert "fix: old"\n\nThis reverts commit <old>.'],
        ['c', 'feat(api)!: remove v1\n\nBREAKING CHANGE: /v1 is gone'],
        ['b', 'fix: trim'],
        ['a', 'chore: deps'],
      ),
    );
    const s = (l: string) => sha(l).slice(0, 7);
    expect(changelog(d.commits)).toBe(
      [
        '### Breaking changes',
        '',
        `- **api:** /v1 is gone (${s('c')})`,
        '',
        '### Features',
        '',
        `- **api:** remove v1 (${s('c')})`,
        '',
        '### Fixes',
        '',
        `- trim (${s('b')})`,
        `- Revert "fix: old" (${s('d')})`,
        '',
        '### Performance',
        '',
        `- **db:** index lookups (${s('e')})`,
      ].join('\n'),
    );
    expect(changelog(decideBump(range(['a', 'chore: x'])).commits)).toBe('');
  });

  it('cuts a long section, saying how many entries are left out', () => {
    const many = Array.from({ length: MAX_ENTRIES + 7 }, (_, i) => [`c${i}`, `fix: number ${i}`] as [string, string]);
    const text = changelog(decideBump(range(...many)).commits);
    expect(text.split('\n').filter((l) => l.startsWith('- fix') || l.startsWith('- number'))).toHaveLength(MAX_ENTRIES);
    expect(text.endsWith('\n- … and 7 more')).toBe(true);
  });
});
