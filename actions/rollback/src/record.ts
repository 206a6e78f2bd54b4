// The rollback recorded on the forge: a GitHub deployment status or a GitLab environment deployment. A forge that
// refuses is a warning: the service is rolled back either way, and the job must say so rather than fail on it.
import { errorMessage } from '../../../shared/src/errors.js';
import { detectForge } from '../../../shared/src/forge/index.js';
import type { Platform } from '../../../shared/src/platform/index.js';

/** Where the record went, or why there is none. */
export interface ForgeRecord {
  where?: string;
  url?: string;
  /** Why nothing was recorded (no token, or the forge refused). */
  skipped?: string;
}

export interface RecordInput {
  environment: string;
  /** The version's git tag when known. */
  release?: string;
  /** What runs now: colour or image. */
  version: string;
  description: string;
  ok: boolean;
}

export async function recordOnForge(platform: Platform, r: RecordInput): Promise<ForgeRecord> {
  const forge = await detectForge(platform);
  if (!forge) return { skipped: `no forge token (${platform.vocabulary.forgeToken}) in the environment` };
  const ref = r.release ?? forge.sha;
  if (!ref)
    return {
      skipped: 'no release tag and no commit of this run (${platform.vocabulary.commit}) to record the deployment of',
    };
  try {
    const record = {
      environment: r.environment,
      ref,
      sha: r.release ? undefined : forge.sha,
      description: r.description,
      state: r.ok ? 'success' : 'failure',
      version: r.version,
    } as const;
    return await forge.recordDeployment(record);
  } catch (err) {
    platform.warning(
      `Could not record the rollback on ${forge.title}: ${errorMessage(err)}. The rollback itself is not affected.`,
    );
    return { skipped: `the forge refused: ${errorMessage(err)}` };
  }
}
