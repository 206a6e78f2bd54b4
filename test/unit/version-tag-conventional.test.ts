import { describe, expect, it } from 'vitest';
import { levelOf, parseMessage } from '../../actions/version-tag/src/conventional.js';

const level = (message: string, merge = false) => levelOf(parseMessage(message, merge));

describe('Conventional Commits: the level of one message', () => {
  it.each([
    ['feat: add search', 'minor'],
    ['fix: null check', 'patch'],
    ['perf: cache the index', 'patch'],
    ['feat(api): add search', 'minor'],
    ['fix(user service): trim names', 'patch'],
    ['Feat: capitalised type', 'minor'],
    ['FIX: shouting type', 'patch'],
    ['Perf(db): faster', 'patch'],
    ['chore: bump deps', 'none'],
    ['docs: readme', 'none'],
    ['refactor(core): split', 'none'],
    ['style: format', 'none'],
    ['test: more', 'none'],
    ['build: ncc', 'none'],
    ['ci: cache', 'none'],
    ['feature: not the type feat', 'none'],
    ['fixes: not the type fix', 'none'],
    ['feat : space before the colon', 'none'],
    ['feat:no space after the colon', 'none'],
    ['feat (api): space before the scope', 'none'],
    ['Update README', 'none'],
    ['Add feature: search', 'none'],
    [' feat: indented header', 'none'],
    ['fixup! feat: later squashed', 'none'],
    ['WIP', 'none'],
    ['', 'none'],
  ])('%j → %s', (message, expected) => {
    expect(level(message)).toBe(expected);
  });

  it.each([
    ['feat!: drop v1', 'major'],
    ['feat(api)!: drop v1', 'major'],
    ['fix!: change the default', 'major'],
    ['chore!: drop node 18', 'major'],
    ['refactor(core)!: new module layout', 'major'],
    ['Docs!: any type with !', 'major'],
    ['feat!(api): ! in the wrong place', 'none'],
    ['feat! : space before the colon', 'none'],
    ['feat:! after the colon', 'none'],
  ])('the ! marker: %j → %s', (message, expected) => {
    expect(level(message)).toBe(expected);
  });

  it.each([
    ['fix: x\n\nBREAKING CHANGE: the config moved', 'major'],
    ['fix: x\n\nBREAKING-CHANGE: the config moved', 'major'],
    ['feat: x\n\nsome body\n\nBREAKING CHANGE: moved\nRefs: #12', 'major'],
    ['feat: x\n\n* BREAKING CHANGE: squashed bullet', 'major'],
    ['feat: x\n\n* BREAKING-CHANGE: squashed bullet', 'major'],
    ['feat: x\n\nBREAKING CHANGE:no space after the colon', 'major'],
    ['feat: x\n\nBREAKING CHANGE:', 'major'],
    ['fix: x\nBREAKING CHANGE: no blank line before the footer', 'major'],
    ['fix: x\r\n\r\nBREAKING CHANGE: CRLF line ends\r\n', 'major'],
    ['Update README\n\nBREAKING CHANGE: no type, still major', 'major'],
    ['chore: deps\n\nBREAKING CHANGE: any type', 'major'],
    ['fix: x\n\n  BREAKING CHANGE: indented', 'patch'],
    ['fix: x\n\n\tBREAKING CHANGE: tab', 'patch'],
    ['fix: x\n\n  * BREAKING CHANGE: indented bullet', 'patch'],
    ['fix: x\n\n- BREAKING CHANGE: dash bullet', 'patch'],
    ['fix: x\n\nbreaking change: lower case', 'patch'],
    ['fix: x\n\nBreaking Change: title case', 'patch'],
    ['fix: x\n\nBREAKING CHANGE no colon', 'patch'],
    ['fix: x\n\nBREAKING CHANGES: plural', 'patch'],
    ['fix: x\n\nBREAKING_CHANGE: underscore', 'patch'],
    ['fix: x\n\nBREAKING  CHANGE: two spaces', 'patch'],
    ['fix: x\n\nThis has a BREAKING CHANGE: mid-line', 'patch'],
    ['fix: x\n\n*BREAKING CHANGE: bullet without space', 'patch'],
    ['BREAKING CHANGE: in the header is not a footer', 'none'],
    ['docs: mention BREAKING CHANGE: in the header', 'none'],
  ])('footers: %j → %s', (message, expected) => {
    expect(level(message)).toBe(expected);
  });

  it('reads type, scope, subject and the breaking notes, with continuation lines', () => {
    const p = parseMessage(
      'Feat(Parser)!: accept tabs\n\nbody text\n\nBREAKING CHANGE: tabs are\nnow significant\nReviewed-by: Z\nBREAKING-CHANGE: second',
    );
    expect(p).toMatchObject({ type: 'feat', scope: 'Parser', subject: 'accept tabs', breaking: true, revert: false });
    expect(p.breakingNotes).toEqual(['tabs are now significant', 'second']);
  });

  it.each([
    [
      'Revert "feat: add search"\n\nThis reverts commit 1234567890abcdef1234567890abcdef12345678.',
      'patch',
      '1234567890abcdef1234567890abcdef12345678',
    ],
    ['revert: feat: add search\n\nThis reverts commit abcdef1234567.', 'patch', 'abcdef1234567'],
    ['Revert: feat: add search\n\nThis reverts commit abcdef1234567.', 'patch', 'abcdef1234567'],
    ['revert(api): feat: add search\n\nThis reverts commit ABCDEF1234567.', 'patch', 'abcdef1234567'],
    [
      'Revert "Merge branch x"\n\nThis reverts commit abcdef1234567, reversing\nchanges made to 1111111.',
      'patch',
      'abcdef1234567',
    ],
    ['revert: feat: add search', 'none', undefined],
    ['Revert "feat: add search"', 'none', undefined],
    ['Revert "feat: add search"\n\nReverts acme/shop#12', 'none', undefined],
    ['fix: undo the search\n\nThis reverts commit abcdef1234567.', 'patch', undefined],
    ['chore: undo\n\nThis reverts commit abcdef1234567.', 'none', undefined],
    ['revert!: feat: add search', 'major', undefined],
    [
      'Revert "feat: x"\n\nThis reverts commit abcdef1234567.\n\nBREAKING CHANGE: x is gone again',
      'major',
      'abcdef1234567',
    ],
  ])('reverts: %j → %s', (message, expected, reverts) => {
    const p = parseMessage(message);
    expect(levelOf(p)).toBe(expected);
    expect(p.reverts).toBe(reverts);
  });

  it('keeps what a revert reverts as its subject', () => {
    expect(parseMessage('Revert "feat(api): add search"\n\nThis reverts commit abcdef1.').subject).toBe(
      'feat(api): add search',
    );
    expect(parseMessage('revert: fix: x\n\nThis reverts commit abcdef1.').subject).toBe('fix: x');
  });

  it.each([
    ["Merge branch 'feature'", 'none'],
    ["Merge branch 'feature'\n\nBREAKING CHANGE: a merge without a conventional header does not count", 'none'],
    ['Merge pull request #12 from acme/feat-x\n\nfeat: the PR title in the body', 'none'],
    ['Revert "feat: x"\n\nThis reverts commit abcdef1234567.', 'none'],
    ['feat: merge request title as the merge header', 'minor'],
    ['fix(api): merge request title', 'patch'],
    ['feat!: breaking merge request', 'major'],
    ['feat: x\n\nBREAKING CHANGE: a conventional merge counts with its footer', 'major'],
  ])('merge commits: %j → %s', (message, expected) => {
    expect(level(message, true)).toBe(expected);
  });
});
