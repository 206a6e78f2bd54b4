// Demo: a monorepo whose user-service was released as user-service/v1.4.7. Shipgate reads the Conventional Commits
// since (merged side branch included, a reverted feature dropped, order-service's commits left out), computes 1.5.0,
// pushes the tag to origin and re-tags the image already built for this commit in a local docker-registry — the same
// digest under 1.5.0, 1.5, 1 and latest, without a rebuild. The registry comes from Debian (apt-get when missing).
import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const REGISTRY = '/usr/bin/docker-registry';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

function registryBinary() {
  if (!existsSync(REGISTRY)) {
    console.log('Installing the Docker registry from Debian (apt-get install docker-registry)…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'docker-registry'], { stdio: 'inherit', env });
  }
  return REGISTRY;
}

const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

const listening = (port) =>
  new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

/** docker-registry on a free loopback port with filesystem storage; stopped by its PID on exit. */
async function startRegistry(onExit) {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-demo-registry-'));
  const port = await freePort();
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn(registryBinary(), ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  onExit(async () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });
  for (let i = 0; i < 100 && !(await listening(port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await listening(port))) throw new Error('docker-registry did not start');
  return `127.0.0.1:${port}`;
}

const digest = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Pushes a small OCI image the way `docker push` does: each blob POST then PUT ?digest=, then the manifest. */
async function pushImage(host, repository, tag) {
  const blob = async (bytes) => {
    const start = await fetch(`http://${host}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(start.headers.get('location'), `http://${host}`);
    location.searchParams.set('digest', digest(bytes));
    const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    if (put.status !== 201) throw new Error(`blob upload answered ${put.status}`);
    return { digest: digest(bytes), size: bytes.length };
  };
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = randomBytes(256);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...(await blob(config)) },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...(await blob(layer)) }],
    }),
  );
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'PUT', body: manifest, headers: { 'content-type': OCI_MANIFEST } });
  if (res.status !== 201) throw new Error(`manifest upload answered ${res.status}`);
  return digest(manifest);
}

/** The digest a tag points to, read the way a client must: HEAD with the OCI Accept header. */
async function tagDigest(host, repository, tag) {
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: OCI_MANIFEST } });
  return res.status === 200 ? res.headers.get('docker-content-digest') : undefined;
}

/** A small git helper with a fixed identity and clock, so the demo never depends on the machine's git config. */
function gitIn(dir) {
  let tick = 0;
  const run = (args, input) => {
    const date = `${1_700_000_000 + ++tick * 60} +0000`;
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'Dev', GIT_COMMITTER_EMAIL: 'dev@example.com', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    return execFileSync('git', args, { cwd: dir, env, input, encoding: 'utf8' }).trim();
  };
  const commit = (message, files = {}) => {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
      run(['add', '--', path]);
    }
    run(['commit', '--quiet', '--allow-empty', '--file=-'], message);
    return run(['rev-parse', 'HEAD']);
  };
  return { run, commit };
}

function dotenv(work) {
  const lines = readFileSync(join(work, 'shipgate.env'), 'utf8').trim().split('\n');
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

export async function demo({ shipgate, work, step, onExit }) {
  const origin = mkdtempSync(join(tmpdir(), 'shipgate-demo-origin-'));
  onExit(() => rmSync(origin, { recursive: true, force: true }));
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', origin]);
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', work]);
  const git = gitIn(work);
  git.run(['remote', 'add', 'origin', origin]);

  step('A monorepo: user-service was released as user-service/v1.4.7; since then, commits to both services');
  git.commit('chore: layout', { 'services/user/main.go': 'package main\n', 'services/order/main.go': 'package main\n', '.gitignore': 'shipgate*\n' });
  git.run(['tag', 'user-service/v1.4.7']);
  git.run(['tag', 'order-service/v3.0.0']);
  git.commit('feat(order)!: new checkout flow\n\nBREAKING CHANGE: /v1/checkout is gone', { 'services/order/checkout.go': '// v2\n' });
  git.run(['checkout', '--quiet', '-b', 'search']);
  git.commit('feat(user): search users by e-mail', { 'services/user/search.go': '// search\n' });
  git.commit('test(user): cover search', { 'services/user/search_test.go': '// test\n' });
  git.run(['checkout', '--quiet', 'main']);
  const fuzzy = git.commit('feat(user)!: fuzzy names', { 'services/user/fuzzy.go': '// fuzzy\n' });
  git.run(['revert', '--no-edit', fuzzy]);
  git.commit('fix(user): trim names on write', { 'services/user/main.go': 'package main // trim\n' });
  git.run(['merge', '--quiet', '--no-ff', '-m', "Merge branch 'search'", 'search']);
  git.run(['push', '--quiet', 'origin', 'main', '--tags']);
  console.log(git.run(['log', '--graph', '--format=%h %s%d', 'user-service/v1.4.7~0..HEAD']));

  step('Preview (dry run, as on a merge request): the next user-service version from the commits touching services/user');
  const preview = await shipgate(['version-tag', '--dry-run', '--prefix', 'user-service/v', '--path', 'services/user']);
  const planned = dotenv(work);
  if (preview.code !== 0 || planned.SHIPGATE_VERSION !== '1.5.0' || planned.SHIPGATE_BUMP !== 'minor') {
    throw new Error(`expected 1.5.0 (minor) on the dry run, got exit ${preview.code}, ${planned.SHIPGATE_VERSION} (${planned.SHIPGATE_BUMP})`);
  }
  console.log('→ 1.5.0: the feature from the merged branch counts; the breaking feature and its revert drop out; order-service\'s breaking change is not user-service\'s.');
  rmSync(join(work, 'shipgate.env'));

  step('The pipeline built the image for this commit as sha-<short sha> and pushed it to the registry');
  const host = await startRegistry(onExit);
  const head = git.run(['rev-parse', 'HEAD']);
  const built = await pushImage(host, 'acme/user-service', `sha-${head.slice(0, 7)}`);
  console.log(`pushed ${host}/acme/user-service:sha-${head.slice(0, 7)} (${built})`);

  step('Release: tag user-service/v1.5.0 (git push to origin), then re-tag the image — no rebuild, same digest');
  const release = await shipgate(['version-tag', '--prefix', 'user-service/v', '--path', 'services/user'], { SHIPGATE_IMAGES: `${host}/acme/user-service` });
  const out = dotenv(work);
  if (release.code !== 0 || out.SHIPGATE_RELEASED !== 'true' || out.SHIPGATE_DIGEST !== built) {
    throw new Error(`expected a release with digest ${built}, got exit ${release.code}, released=${out.SHIPGATE_RELEASED}, digest=${out.SHIPGATE_DIGEST}`);
  }
  const pushed = execFileSync('git', ['ls-remote', '--tags', origin, 'user-service/v1.5.0'], { encoding: 'utf8' });
  if (!pushed.includes('refs/tags/user-service/v1.5.0')) throw new Error('the tag did not reach origin');
  for (const tag of ['1.5.0', '1.5', '1', 'latest']) {
    const d = await tagDigest(host, 'acme/user-service', tag);
    console.log(`${host}/acme/user-service:${tag.padEnd(6)} → ${d}`);
    if (d !== built) throw new Error(`image tag ${tag} points to ${d}, not ${built}`);
  }
  rmSync(join(work, 'shipgate.env'));

  step('Run it again on the same commit: nothing new to release');
  const again = await shipgate(['version-tag', '--prefix', 'user-service/v', '--path', 'services/user']);
  if (again.code !== 0 || dotenv(work).SHIPGATE_BUMP !== 'none') throw new Error(`expected bump none, got exit ${again.code}, ${dotenv(work).SHIPGATE_BUMP}`);
}
