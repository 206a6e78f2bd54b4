// Runs the Shipgate CLI in a GitLab job, as `node --input-type=module -e "$SHIPGATE_CLI_LOADER" <step>`: the
// component puts this file (comments dropped) into the variable. It downloads each file of the CLI bundle of the
// component's commit from the component's project through the GitLab API, checks every one against the SHA-256 the
// component recorded, and only when all match writes them and runs the CLI. A mismatch runs nothing and exits 1.
// With SHIPGATE_CLI_PACKAGE set it runs that npm package instead. No `$` anywhere: GitLab would expand it.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const env = process.env;
const args = process.argv.slice(1);
const fail = (message) => {
  process.stderr.write('shipgate: ' + message + '\n');
  process.exit(1);
};
const run = (command, argv) => {
  const r = spawnSync(command, argv, { stdio: 'inherit' });
  if (r.error) fail('could not start ' + command + ': ' + r.error.message);
  process.exit(r.status === null ? 1 : r.status);
};

if (env.SHIPGATE_CLI_PACKAGE) run('npx', ['--yes', '--', env.SHIPGATE_CLI_PACKAGE, ...args]);

const sha = env.SHIPGATE_CLI_SHA || '';
if (sha.length !== 40 || /[^0-9a-f]/.test(sha)) fail("the component's commit is '" + sha + "', not a full SHA: include Shipgate as a component (include: component:), on GitLab 18.6 or newer.");
const files = (env.SHIPGATE_CLI_FILES || '').split('\n').filter(Boolean).map((line) => line.trim().split(' '));
if (files.some(([, file]) => !file || !file.startsWith('dist/cli/') || file.includes('..'))) fail('SHIPGATE_CLI_FILES lists a file outside dist/cli/.');
if (!files.length) fail('the component lists no CLI files (SHIPGATE_CLI_FILES is empty).');
const api = env.CI_API_V4_URL + '/projects/' + encodeURIComponent(env.SHIPGATE_CLI_PROJECT || '') + '/repository/files/';
const headers = env.CI_JOB_TOKEN ? { 'JOB-TOKEN': env.CI_JOB_TOKEN } : {};
const dir = join(tmpdir(), 'shipgate-cli-' + sha);

const fetched = [];
for (const [hash, file] of files) {
  const url = api + encodeURIComponent(file) + '/raw?ref=' + sha;
  let body;
  try {
    let res = await fetch(url, { headers });
    // Not every GitLab lets a job token read repository files; a public or internal project answers without one.
    if ([401, 403, 404].includes(res.status) && headers['JOB-TOKEN']) res = await fetch(url);
    if (!res.ok) fail('GET ' + url + ' answered ' + res.status + ': is cli-project the project of the component, and may this job read it (CI/CD job token allowlist)?');
    body = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    fail('GET ' + url + ' failed: ' + err.message);
  }
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== hash) fail(file + ' at ' + sha + ' has SHA-256 ' + actual + ', but the component recorded ' + hash + '. The download was altered or the mirror differs; nothing was run.');
  fetched.push([file.slice('dist/cli/'.length), body]);
}
// Written only once every file matched, beside the target and moved into place whole.
mkdirSync(tmpdir(), { recursive: true });
const next = mkdtempSync(dir + '.');
for (const [name, body] of fetched) {
  mkdirSync(dirname(join(next, name)), { recursive: true });
  writeFileSync(join(next, name), body);
}
rmSync(dir, { recursive: true, force: true });
renameSync(next, dir);
run(process.execPath, [join(dir, 'index.js'), ...args]);
