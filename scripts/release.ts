// Cuts a release: `npm run release -- [1.2.3] [--dry-run]`. Without a version it takes the one Shipgate's own
// version-tag step computes from the Conventional Commits since the last `v` tag. It sets package.json's version,
// builds the bundles, stamps the version into every reference and the CLI hashes into the components (`npm run gen`),
// checks that bundles and generated files match their sources, prepends the step's changelog to CHANGELOG.md,
// commits, and tags `v1.2.3` (GitHub) and `1.2.3` (the GitLab CI/CD catalog's form). Pushing, and moving the major
// tag `v1` that callers pin, stays a printed command for the maintainer to run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const wanted = args.find((a) => !a.startsWith('--'));

const sh = (cmd: string, argv: string[], inherit = false) =>
  execFileSync(cmd, argv, {
    cwd: root,
    encoding: 'utf8',
    stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'inherit'],
  }) ?? '';
const fail = (message: string): never => {
  console.error(`release: ${message}`);
  process.exit(2);
};

if (sh('git', ['status', '--porcelain']).trim())
  fail('the working tree has uncommitted changes. Commit or stash them first.');

// The project's own step, run from its sources, decides the next version and writes the changelog.
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const computed = JSON.parse(
  sh(tsx, [join(root, 'cli', 'main.ts'), 'version-tag', '--dry-run', 'true', '--prefix', 'v', '--json']),
) as {
  version: string;
  changelog: string;
  bump: string;
};
const version = wanted ?? computed.version;
if (!version)
  fail(
    'the commits since the last release hold no feat, fix or breaking change: nothing to release. Give a version to release anyway.',
  );
if (!semver.valid(version)) fail(`'${version}' is not a semantic version. Expected e.g. 1.2.3.`);
const tags = sh('git', ['tag', '--list', 'v*'])
  .split('\n')
  .filter((t) => semver.valid(t.slice(1)));
const last = semver.rsort(tags.map((t) => t.slice(1)))[0];
if (last && !semver.gt(version, last)) fail(`version ${version} is not above the last release ${last}.`);
for (const tag of [`v${version}`, version])
  if (tags.includes(tag) || sh('git', ['tag', '--list', tag]).trim()) fail(`tag ${tag} exists already.`);

console.log(
  `release v${version} (${computed.bump} by the commits since ${last ? `v${last}` : 'the start'})\n\n${computed.changelog}\n`,
);
if (dryRun) process.exit(0);

const setVersion = (file: string) => {
  const json = JSON.parse(readFileSync(join(root, file), 'utf8'));
  json.version = version;
  if (json.packages?.['']) json.packages[''].version = version;
  writeFileSync(join(root, file), JSON.stringify(json, null, 2) + '\n');
};
setVersion('package.json');
if (existsSync(join(root, 'package-lock.json'))) setVersion('package-lock.json');

sh('node', [join(root, 'scripts', 'build.mjs')], true); // type-check and bundle (the CLI embeds the version)
sh(tsx, [join(root, 'scripts', 'gen.ts')], true); // references at v<version>, CLI hashes into the components
sh('node', [join(root, 'scripts', 'check-dist.mjs')], true);

const changelog = join(root, 'CHANGELOG.md');
const before = existsSync(changelog) ? readFileSync(changelog, 'utf8').replace(/^# Changelog\n+/, '') : '';
const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  changelog,
  `# Changelog\n\n## v${version} (${date})\n\n${computed.changelog.trim()}\n\n${before}`.trimEnd() + '\n',
);

sh('git', ['add', '-A'], true);
sh('git', ['commit', '-qm', `Release v${version}`], true);
sh('git', ['tag', '-a', `v${version}`, '-m', `Shipgate v${version}`], true);
sh('git', ['tag', '-a', version, '-m', `Shipgate ${version} (GitLab CI/CD catalog)`], true);
const major = `v${semver.major(version)}`;
console.log(`\nTagged v${version} and ${version}. Publish them and move ${major}, which callers pin:
  git push origin HEAD v${version} ${version}
  git tag -f ${major} v${version} && git push -f origin ${major}`);
