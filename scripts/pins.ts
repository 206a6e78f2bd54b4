// The third-party actions Shipgate's workflows, examples and READMEs use, each pinned to the full commit of a release:
// a tag can be moved to other code, a commit cannot. The comment beside each `uses:` names the release. Read from the
// action's repository (`git show-ref --tags`); to update, change the entry and the lines test/contract/pins.test.ts lists.
export const PINS: Record<string, { sha: string; version: string }> = {
  'actions/checkout': { sha: '11d5960a326750d5838078e36cf38b85af677262', version: 'v4.4.0' },
  'actions/upload-artifact': { sha: 'ea165f8d65b6e75b540449e92b4886f43607fa02', version: 'v4.6.2' },
  'actions/download-artifact': { sha: 'd3f86a106a0bac45b974a628896c90dbdf5c8093', version: 'v4.3.0' },
  'actions/cache': { sha: '0057852bfaa89a56745cba8c7296529d2fc39830', version: 'v4.3.0' },
  'actions/create-github-app-token': { sha: 'fee1f7d63c2ff003460e3d139729b119787bc349', version: 'v2.2.2' },
  'github/codeql-action': { sha: 'dd903d2e4f5405488e5ef1422510ee31c8b32357', version: 'v3.36.2' },
};
