// Demo: a monorepo whose user-service was released as user-service/v1.4.7. Shipgate reads the Conventional Commits
// since (merged side branch included, a reverted feature dropped, order-service's commits left out), computes 1.5.0,
// pushes the tag to origin and re-tags the image already built for this commit in a local docker-registry — the same
// digest under 1.5.0, 1.5, 1 and latest, without a rebuild. The registry is the tests' one (Debian's docker-registry).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TempRepo } from '../shared/src/git/testing/temp-repo.js';
import { pushImage } from '../shared/src/registry/testing/registry-push.js';
import { startRegistry } from '../shared/src/registry/testing/registry.js';
import type { DemoContext } from './context.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

/** The digest a tag points to, read the way a client must: HEAD with the OCI Accept header. */
async function tagDigest(host: string, repository: string, tag: string) {
  const res = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept: OCI_MANIFEST },
  });
  return res.status === 200 ? res.headers.get('docker-content-digest') : undefined;
}

function dotenv(work: string): Record<string, string> {
  const lines = readFileSync(join(work, 'shipgate.env'), 'utf8').trim().split('\n');
  return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

export async function demo({ shipgate, work, step, onExit }: DemoContext) {
  // The tests' temp repositories: a fixed identity and clock, so the demo never depends on the machine's git config.
  const origin = TempRepo.create({ bare: true });
  onExit(() => origin.remove());
  const git = TempRepo.create({ dir: work });
  git.run(['remote', 'add', 'origin', origin.dir]);

  step('A monorepo: user-service was released as user-service/v1.4.7; since then, commits to both services');
  git.commit('chore: layout', {
    'services/user/main.go': 'package main\n',
    'services/order/main.go': 'package main\n',
    '.gitignore': 'shipgate*\n',
  });
  git.run(['tag', 'user-service/v1.4.7']);
  git.run(['tag', 'order-service/v3.0.0']);
  git.commit('feat(order)!: new checkout flow\n\nBREAKING CHANGE: /v1/checkout is gone', {
    'services/order/checkout.go': '// v2\n',
  });
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

  step(
    'Preview (dry run, as on a merge request): the next user-service version from the commits touching services/user',
  );
  const preview = await shipgate(['version-tag', '--dry-run', '--prefix', 'user-service/v', '--path', 'services/user']);
  const planned = dotenv(work);
  if (preview.code !== 0 || planned.SHIPGATE_VERSION !== '1.5.0' || planned.SHIPGATE_BUMP !== 'minor') {
    throw new Error(
      `expected 1.5.0 (minor) on the dry run, got exit ${preview.code}, ${planned.SHIPGATE_VERSION} (${planned.SHIPGATE_BUMP})`,
    );
  }
  console.log(
    "→ 1.5.0: the feature from the merged branch counts; the breaking feature and its revert drop out; order-service's breaking change is not user-service's.",
  );
  rmSync(join(work, 'shipgate.env'));

  step('The pipeline built the image for this commit as sha-<short sha> and pushed it to the registry');
  const registry = await startRegistry();
  onExit(() => registry.stop());
  const host = registry.host;
  const head = git.run(['rev-parse', 'HEAD']);
  const { digest: built } = await pushImage(registry, 'acme/user-service', `sha-${head.slice(0, 7)}`);
  console.log(`pushed ${host}/acme/user-service:sha-${head.slice(0, 7)} (${built})`);

  step('Release: tag user-service/v1.5.0 (git push to origin), then re-tag the image — no rebuild, same digest');
  const release = await shipgate(['version-tag', '--prefix', 'user-service/v', '--path', 'services/user'], {
    SHIPGATE_IMAGES: `${host}/acme/user-service`,
  });
  const out = dotenv(work);
  if (release.code !== 0 || out.SHIPGATE_RELEASED !== 'true' || out.SHIPGATE_DIGEST !== built) {
    throw new Error(
      `expected a release with digest ${built}, got exit ${release.code}, released=${out.SHIPGATE_RELEASED}, digest=${out.SHIPGATE_DIGEST}`,
    );
  }
  const pushed = origin.git('ls-remote', '--tags', origin.dir, 'user-service/v1.5.0');
  if (!pushed.includes('refs/tags/user-service/v1.5.0')) throw new Error('the tag did not reach origin');
  for (const tag of ['1.5.0', '1.5', '1', 'latest']) {
    const d = await tagDigest(host, 'acme/user-service', tag);
    console.log(`${host}/acme/user-service:${tag.padEnd(6)} → ${d}`);
    if (d !== built) throw new Error(`image tag ${tag} points to ${d}, not ${built}`);
  }
  rmSync(join(work, 'shipgate.env'));

  step('Run it again on the same commit: nothing new to release');
  const again = await shipgate(['version-tag', '--prefix', 'user-service/v', '--path', 'services/user']);
  if (again.code !== 0 || dotenv(work).SHIPGATE_BUMP !== 'none')
    throw new Error(`expected bump none, got exit ${again.code}, ${dotenv(work).SHIPGATE_BUMP}`);
}
