import type { StepSchema } from '../../../shared/src/inputs.js';
import { githubVars, gitlabVars } from '../../../shared/src/platform/variables.js';

export const schema = {
  name: 'version-tag',
  changes: 'tag',
  title: 'Compute the next version from Conventional Commits, tag it, release it, re-tag the image',
  description:
    'Reads the commits since the last SemVer tag (all parents, optionally only those touching a path), decides the bump from Conventional Commits, creates the tag through the GitHub or GitLab API or git push, creates a release with the changelog, and re-tags already built images in their OCI registry without a rebuild.',
  inputs: {
    prefix: {
      type: 'string',
      default: 'v',
      description:
        "Tag prefix before the version: `v` gives `v1.4.0`; `user-service/v` gives per-service tags in a monorepo; `''` (set, but empty) gives bare `1.4.0` tags.",
    },
    path: {
      type: 'string',
      description:
        'Count only commits that touch this path, relative to the working directory (`.` in `services/user` means that directory), e.g. `services/user`. Empty counts every commit.',
    },
    'dry-run': {
      type: 'boolean',
      default: 'false',
      description:
        'Compute and report only: no tag, no release, no image re-tag, no file written, no network. Works with read-only permissions. Outside CI (the CLI on a laptop) a run is a preview unless `--push`, `--release` or `--dry-run false` is given.',
    },
    'initial-version': {
      type: 'string',
      description: 'Version counted from when no tag exists yet (empty: `0.0.0`, so a first `feat` gives `0.1.0`).',
    },
    'pre-major': {
      type: 'boolean',
      default: 'false',
      description:
        'While the version is 0.x, a breaking change bumps the minor and a feature the patch, instead of going to 1.0.0.',
    },
    prerelease: {
      type: 'string',
      description:
        'Pre-release identifier, e.g. `rc`: gives `1.3.0-rc.1`, then `1.3.0-rc.2` over the existing rc tags of that version.',
    },
    push: {
      type: 'boolean',
      default: 'true',
      description: `Create the tag: through the GitHub or GitLab API when a token is present (${githubVars.token}, GITLAB_TOKEN), else \`git tag\` and \`git push origin <tag>\`.`,
    },
    release: {
      type: 'boolean',
      default: 'false',
      description: `Create a GitHub release or GitLab release for the tag, with the changelog as its notes (needs ${githubVars.token}, or GITLAB_TOKEN or ${gitlabVars.jobToken}).`,
    },
    'api-breaking': {
      type: 'boolean',
      default: 'false',
      description: 'Set to `true` when api-compat found a breaking API change (its `breaking` output).',
    },
    'api-breaking-policy': {
      type: 'enum',
      options: ['force-major', 'fail'],
      default: 'force-major',
      description:
        'What a breaking API change does: `force-major` releases it as a breaking change; `fail` fails the job unless a commit already declares the breaking change.',
    },
    images: {
      type: 'lines',
      description:
        'Newline-separated image names to re-tag, without tag, e.g. `ghcr.io/acme/user-service`. Credentials: REGISTRY_USERNAME/REGISTRY_PASSWORD for the registry of the first image (or the one REGISTRY_HOST names), else the platform token.',
    },
    'insecure-token-realm': {
      type: 'boolean',
      default: 'false',
      description:
        'Accept a registry token service (the realm its 401 names) over plain http: credentials then cross the network in clear. Only for a registry and network you trust; loopback needs no opt-in.',
    },
    'source-tag': {
      type: 'string',
      description:
        'The tag each image was built with. Empty: `sha-<first 7 hex of HEAD>`, as docker/metadata-action names it.',
    },
    'image-tags': {
      type: 'lines',
      default: '{version}\n{major}.{minor}\n{major}\nlatest',
      description:
        'Tags to give each image, with `{version}`, `{major}`, `{minor}`, `{patch}`. A pre-release only gets tags that contain `{version}` (and never `latest`).',
    },
    'changelog-file': {
      type: 'string',
      description:
        'Prepend the release notes to this Markdown file (e.g. `CHANGELOG.md`, created when missing), relative to the working directory. Empty writes no file.',
    },
    'version-files': {
      type: 'lines',
      description:
        'Newline-separated files to write the new version into: `package.json` (top-level version), `pom.xml` (the project version, not the parent or dependencies), `pyproject.toml` (`[project]` or `[tool.poetry]` version), or a file holding only the version (`VERSION`).',
    },
    'commit-files': {
      type: 'boolean',
      default: 'false',
      description:
        'Commit `changelog-file` and `version-files` as `chore(release): <tag>`, tag that commit, and push it to the current branch with the tag (needs a git remote `origin`). `false` leaves the files changed in the work tree.',
    },
  },
  outputs: {
    'previous-version': { description: 'Version of the last release tag, e.g. `1.4.7`; empty when there is none.' },
    'previous-tag': { description: 'The last release tag, e.g. `v1.4.7`; empty when there is none.' },
    version: { description: 'The next version, e.g. `1.5.0`; empty when there is nothing to release.' },
    tag: { description: 'The tag of the next version, e.g. `v1.5.0`; empty when there is nothing to release.' },
    bump: { description: '`major`, `minor`, `patch` or `none`.' },
    changelog: {
      description: 'Markdown: Breaking changes, Features, Fixes, Performance; each line with its short sha and scope.',
    },
    released: {
      type: 'boolean',
      description:
        '`true` when this run created the tag (and the release and image tags asked for); `false` on a dry run or with nothing to release.',
    },
    digest: {
      description: 'Digest of the re-tagged image (the first of `images`); empty when no image was re-tagged.',
    },
    digests: { type: 'json', description: 'JSON object: each re-tagged image → the digest its new tags point to.' },
  },
} as const satisfies StepSchema;
