// provider kubernetes: a thin adapter from the rollback flow to DeploymentRollback (deployment.ts), which reads the
// Deployment and its ReplicaSet history, patches it with the change-cause and waits for the rollout.
import { ConfigError } from '../../../shared/src/errors.js';
import type { Release } from '../../../shared/src/git/tags.js';
import { formatImageRef, parseImageRef } from '../../../shared/src/registry/index.js';
import type { Ctx, RollbackConfig } from './config.js';
import {
  DeploymentRollback,
  type DeploymentState,
  type DeploymentTarget,
} from '../../../shared/src/kube/deployment.js';
import { repoRoot } from '../../../shared/src/git/git.js';
import { readTags, releases } from '../../../shared/src/git/tags.js';
import type { Applied, Candidates, Resolved, RollbackProvider } from './provider.js';
import { previousRelease } from './releases.js';
import { repositoryOf } from './to.js';

/** The image to roll to, and where it came from. */
interface KubeTarget {
  image: string;
  revision?: number;
  source: string;
  release?: string;
}

/** Two references name the same image when they normalise alike (`nginx:1` is `docker.io/library/nginx:1`). */
function sameImage(a: string, b: string): boolean {
  try {
    return formatImageRef(parseImageRef(a)) === formatImageRef(parseImageRef(b));
  } catch {
    return a.trim() === b.trim();
  }
}

export class KubernetesProvider implements RollbackProvider {
  readonly gateBefore = false;
  readonly label: string;
  private readonly deployment: DeploymentRollback;
  private readonly timeoutMs: number;
  /** The ReplicaSet revision resolve() chose, when the target is the previous revision. */
  private revision?: number;

  constructor(
    private readonly cfg: RollbackConfig,
    private readonly ctx: Ctx,
  ) {
    const { settings, timeoutMs } = cfg.kubernetes!;
    this.label = `Deployment ${settings.namespace}/${settings.deployment}`;
    this.timeoutMs = timeoutMs;
    this.deployment = DeploymentRollback.connect(settings, { platform: ctx.platform, clock: ctx.clock });
  }

  private async target(now: DeploymentState, releases?: { newest: Release; previous: Release }): Promise<KubeTarget> {
    const { to, image } = this.cfg;
    if (to.kind === 'image') return { image: to.text, source: "input 'to'" };
    if (to.kind === 'tag') {
      const repository = image?.name ?? repositoryOf(now.image);
      return {
        image: `${repository}:${to.tag}`,
        source: image ? "input 'to' on input 'image-name'" : `input 'to' on the repository of the running image`,
        release: to.release,
      };
    }
    if (image && releases) {
      const { newest, previous } = releases;
      return {
        image: `${image.name}:${previous.version}`,
        source: `the release before ${newest.tag}: ${previous.tag}`,
        release: previous.tag,
      };
    }
    const previous = await this.deployment.previous(now);
    if (!previous) {
      throw new ConfigError(
        `Nothing to roll back to: ${this.label} has no earlier revision in its ReplicaSet history (revisionHistoryLimit may be 0). Set 'to' to the image or version to return to.`,
      );
    }
    return {
      image: previous.image,
      revision: previous.revision,
      source: `revision ${previous.revision} (ReplicaSet ${previous.replicaSet})`,
    };
  }

  async resolve(): Promise<Resolved> {
    const { to, image, prefix } = this.cfg;
    // The tags are local: nothing to roll back to in git fails before the cluster is contacted.
    const releases =
      to.kind === 'previous' && image
        ? await previousRelease(this.ctx.platform.cwd, prefix, this.ctx.platform)
        : undefined;
    const now = await this.deployment.current();
    const t = await this.target(now, releases);
    this.revision = t.revision;
    return {
      from: now.image,
      to: t.image,
      source: t.source,
      image: parseImageRef(t.image, 'The target image'),
      release: t.release,
      noop: sameImage(now.image, t.image),
      details: [`revision ${now.revision}, container ${now.container}: ${now.image}`, ...now.lines],
    };
  }

  private deploymentTarget(r: Resolved): DeploymentTarget {
    return { image: r.to, ...(this.revision !== undefined && { revision: this.revision }) };
  }

  async changes(r: Resolved, cause: string): Promise<string[]> {
    return this.deployment.plan(this.deploymentTarget(r), cause);
  }

  async apply(r: Resolved, cause: string): Promise<Applied> {
    await this.deployment.apply(this.deploymentTarget(r), cause);
    return this.deployment.waitForRollout(this.timeoutMs);
  }

  async record(): Promise<string[]> {
    return [`kubernetes.io/change-cause on ${this.label}`];
  }

  async candidates(): Promise<Candidates> {
    const { image, prefix } = this.cfg;
    const now = await this.deployment.current();
    if (image) {
      // with image-name a rollback goes to a release tag: those are the candidates, newest first
      const tags = releases(await readTags(await repoRoot(this.ctx.platform.cwd)), prefix);
      const rows = tags.map((r, i) => {
        const ref = `${image.name}:${r.version}`;
        return { cells: [r.tag, ref], current: sameImage(ref, now.image), target: i === 1 };
      });
      return {
        header: ['TAG', 'IMAGE'],
        rows,
        source: `release tags '${prefix}X.Y.Z' in git, as images of ${image.name}`,
      };
    }
    const revisions = await this.deployment.revisions(now.container);
    const previous = revisions.find((r) => r.revision < now.revision);
    const rows = revisions.map((r) => ({
      cells: [String(r.revision), r.image, r.changeCause ?? '<none>'],
      current: r.revision === now.revision,
      target: r === previous,
    }));
    return { header: ['REVISION', 'IMAGE', 'CHANGE-CAUSE'], rows, source: `the ReplicaSet history of ${this.label}` };
  }

  async describeNow(): Promise<string> {
    const now = await this.deployment.current();
    return `${this.label} is at revision ${now.revision} with ${now.image}`;
  }
}
