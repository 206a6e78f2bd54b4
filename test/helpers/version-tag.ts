// version-tag in-process in a temp repository (shared/src/git/testing/temp-repo.ts), as a runner would run it.
import { versionTag } from '../../actions/version-tag/src/step.js';
import { GitHubPlatform, GitLabPlatform, LocalPlatform, type Env } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';

export interface StepRun {
  code: number;
  /** Outputs in their string form (local platform only). */
  outputs: Record<string, string>;
  /** Everything printed. */
  log: string;
  summary: string;
}

/**
 * Runs version-tag in-process with `dir` as the working directory, inputs as flags. Locally it runs as a terminal with
 * `--json`; `kind` picks the GitHub or GitLab platform instead (outputs then go to their files).
 */
export async function versionTagIn(
  dir: string,
  flags: Record<string, string>,
  env: Env = {},
  kind: 'local' | 'github' | 'gitlab' = 'local',
): Promise<StepRun> {
  let out = '';
  let err = '';
  const ctx = {
    env,
    flags,
    json: true,
    cwd: dir,
    stdout: (t: string) => void (out += t),
    stderr: (t: string) => void (err += t),
  };
  const platform =
    kind === 'github' ? new GitHubPlatform(ctx) : kind === 'gitlab' ? new GitLabPlatform(ctx) : new LocalPlatform(ctx);
  const before = process.cwd();
  process.chdir(dir);
  try {
    const code = await run(versionTag, platform);
    const outputs = platform instanceof LocalPlatform ? { ...platform.outputs } : {};
    return { code, outputs, log: err + out, summary: kind === 'local' ? err : out };
  } finally {
    process.chdir(before);
  }
}
