import type { StepSchema } from '../../../shared/src/inputs.js';
import { githubVars, gitlabVars } from '../../../shared/src/platform/variables.js';

export const schema = {
  name: 'api-compat',
  title: 'Fail on breaking changes between two OpenAPI documents, with reports and a PR/MR comment',
  description:
    'Compares a base and a head OpenAPI document (Swagger 2.0, OpenAPI 3.0 or 3.1; a file, an http(s) URL or git:<ref>:<path>), reports every change with a stable rule id and severity, writes JSON, JUnit, SARIF and GitLab code-quality reports, and optionally upserts one PR comment or MR note.',
  inputs: {
    base: {
      type: 'string',
      required: true,
      description:
        'The document before the change: a file path, an http(s) URL, or git:<ref>:<path> read from the local repository (e.g. `git:origin/main:openapi.yaml`).',
    },
    head: {
      type: 'string',
      required: true,
      description: 'The document after the change, in the same forms as `base` (usually the file in the work tree).',
    },
    'fail-on': {
      type: 'enum',
      options: ['breaking', 'warning', 'never'],
      default: 'breaking',
      description: 'Which findings fail the job (exit 1): breaking changes, breaking changes and warnings, or never.',
    },
    exceptions: {
      type: 'string',
      description:
        'YAML file of accepted changes (rule, method, path glob, reason, optional expires date). Empty: none.',
    },
    comment: {
      type: 'boolean',
      default: 'false',
      description: `Upsert one PR comment (GitHub, ${githubVars.token}) or MR note (GitLab, GITLAB_TOKEN or ${gitlabVars.jobToken}) with the findings, updated on every run.`,
    },
    'report-dir': {
      type: 'string',
      default: 'shipgate-reports',
      description:
        'Directory for the reports: api-compat.json, api-compat.junit.xml, api-compat.sarif, api-compat.codequality.json.',
    },
    'deprecation-days-stable': {
      type: 'integer',
      default: '0',
      min: 0,
      description:
        'Days of notice a deprecation of a stable operation (or of its parameters) must give: deprecating it then needs an `x-sunset` date at least this far ahead, and a sunset may not be moved closer. 0: a sunset is optional, but must be readable and not past.',
    },
    'deprecation-days-beta': {
      type: 'integer',
      default: '0',
      min: 0,
      description:
        'The same for operations marked `x-stability-level: beta`. Draft and alpha operations need no notice.',
    },
    'allow-external-refs': {
      type: 'boolean',
      default: 'false',
      description:
        "Follow `$ref`s that leave the document's own place: another server, a file outside the workspace (symlinks resolved), a path outside the git tree of a `git:` source, anything but its own origin for a fetched document. Off, such a ref is an error (exit 2).",
    },
  },
  outputs: {
    breaking: { type: 'boolean', description: 'true when a breaking change was found (after exceptions), else false.' },
    'breaking-count': { type: 'number', description: 'Number of breaking changes (severity error), after exceptions.' },
    'warning-count': {
      type: 'number',
      description: 'Number of changes that may break some clients (severity warning), after exceptions.',
    },
    'change-count': {
      type: 'number',
      description: 'Number of changes found, of every severity, accepted ones included.',
    },
    'suggested-bump': {
      description:
        'major when breaking, minor when something was added, patch for other changes, none when nothing changed.',
    },
    report: { description: 'Path of the JSON report.' },
  },
  artifacts: {
    reports: {
      junit: '$[[ inputs.report-dir ]]/api-compat.junit.xml',
      codequality: '$[[ inputs.report-dir ]]/api-compat.codequality.json',
    },
    paths: ['$[[ inputs.report-dir ]]/'],
  },
  cliListings: {
    'list-rules': 'Print the rule catalog (id, level, description) and exit; with --json as a JSON array.',
  },
} as const satisfies StepSchema;
