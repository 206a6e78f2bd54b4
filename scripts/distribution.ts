// Where Shipgate is published and how a GitLab job gets its CLI: the one place gen.ts, the workflows, the components
// and the release script read the owner, the project paths and the version from (package.json's `version` and its
// `shipgate` field).
//
// A component's job runs the CLI bundle of exactly the component's commit: `$[[ component.sha ]]` names the commit,
// the job downloads the bundle's files from the component's own project through the GitLab API (with the job
// token) and checks each against the SHA-256 written into the component at that commit before it runs anything. No
// npm name is involved, and a GitLab that mirrors the project works the same. `cli-package` opts into an npm package
// instead (your own scope, a tarball).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
export { cliScript } from '../shared/src/gitlab/cli-script.js';

/** Where this copy of Shipgate lives, from package.json. */
export interface Project {
  /** The release version, `1.2.3`. */
  version: string;
  /** `owner/repo` on GitHub, as `uses:` names it. */
  github: string;
  /** The project path on GitLab, as `component:` names it (`group/subgroup/project`). */
  gitlab: string;
}

/** What a GitLab component needs to fetch the CLI: the project, and the SHA-256 of each file of dist/cli. */
export interface Distribution extends Project {
  /** `dist/cli/<file>` → SHA-256 (hex), in file name order. */
  files: [string, string][];
}

const PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/;

/** Reads package.json: `version`, and `shipgate.github` / `shipgate.gitlab`. Throws naming the field when one is malformed. */
export function readProject(root: string): Project {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
    shipgate?: { github?: string; gitlab?: string };
  };
  const github = pkg.shipgate?.github ?? '';
  const gitlab = pkg.shipgate?.gitlab ?? '';
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/.test(github))
    throw new Error(`package.json: shipgate.github is '${github}'. Expected owner/repository, e.g. acme/shipgate.`);
  if (!PATH.test(gitlab))
    throw new Error(
      `package.json: shipgate.gitlab is '${gitlab}'. Expected the project path, e.g. acme/shipgate or acme/ci/shipgate.`,
    );
  return { version: pkg.version, github, gitlab };
}

/** The SHA-256 of every file of the CLI bundle (dist/cli) as it is on disk. */
export function cliFiles(root: string): [string, string][] {
  const dir = join(root, 'dist', 'cli');
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort()
    .map((f) => [
      `dist/cli/${f}`,
      createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex'),
    ]);
}

export function distribution(root: string): Distribution {
  return { ...readProject(root), files: cliFiles(root) };
}

/** What `cli-package` may hold: an npm spec or tarball path, passed through a variable, never pasted into a script. */
export const PACKAGE_REGEX = '^([A-Za-z0-9@._~^][A-Za-z0-9@.+_:/^~-]*)?$';

/** The component inputs that choose the CLI a job runs. */
export function cliInputs(d: Project): Record<string, Record<string, unknown>> {
  return {
    'cli-package': {
      default: '',
      description:
        "Empty: run the CLI of this component's own commit, fetched from its project and checked against the SHA-256 recorded in the component. Else an npm package spec to run instead (`@acme/shipgate@1.2.3` when you publish the CLI under your own scope, or a tarball path); the image then needs npx.",
      regex: PACKAGE_REGEX,
    },
    'cli-project': {
      default: d.gitlab,
      description:
        'Path of the project on this GitLab that holds the components (where the CLI is fetched from): change it when you mirror Shipgate to another path.',
      regex: '^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+$',
    },
  };
}

/** Variables of a job that runs the CLI: the loader, the commit, the files and their hashes. */
export function cliVariables(d: Distribution): Record<string, string> {
  return {
    SHIPGATE_CLI_PACKAGE: '$[[ inputs.cli-package ]]',
    SHIPGATE_CLI_PROJECT: '$[[ inputs.cli-project ]]',
    SHIPGATE_CLI_SHA: '$[[ component.sha ]]',
    SHIPGATE_CLI_FILES: d.files.map(([file, hash]) => `${hash} ${file}`).join('\n'),
    SHIPGATE_CLI_LOADER: loader(),
  };
}

/**
 * scripts/cli-loader.mjs without its comments, as the value of a variable. GitLab expands `$NAME` in variable values,
 * so the loader must not hold a `$`.
 */
export function loader(): string {
  const text = readFileSync(new URL('./cli-loader.mjs', import.meta.url), 'utf8');
  const code = text
    .split('\n')
    .filter((l) => !/^\s*\/\//.test(l) && l.trim())
    .join('\n');
  if (code.includes('$'))
    throw new Error("scripts/cli-loader.mjs holds a '$': GitLab would expand it in the variable. Write it without.");
  return code;
}
