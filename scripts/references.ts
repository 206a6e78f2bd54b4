// Rewrites every place a text names where Shipgate is published: `uses:` of a step action or reusable workflow,
// `component:` of a GitLab component, and `npx github:<repo>#<tag>`, whatever owner, path and ref they name now.
// gen.ts runs it over the READMEs, the examples, the demo and the workflows, so a fork sets package.json's
// `shipgate` field and runs `npm run gen`.
import type { Project } from './distribution.js';

/** Files whose references gen stamps (besides the generated ones), relative to the repository root. */
export const STAMPED =
  /^(README\.md|actions\/[a-z-]+\/README\.md|examples\/.+\.(ya?ml|md)|demo\/[\w-]+\.ts|\.github\/workflows\/shipgate-[\w-]+\.yml)$/;

const alt = (names: string[]) => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/**
 * The text with each Shipgate reference pointing at `project`: actions and workflows at `@v<major>`, components at
 * `@<major>`, npx at the release tag. `steps` and `components` are the names that count as Shipgate's.
 */
export function stampReferences(text: string, project: Project, steps: string[], components: string[]): string {
  const major = project.version.split('.')[0];
  const action = new RegExp(`\\b[\\w.-]+/[\\w.-]+/actions/(${alt(steps)})@[\\w.-]+`, 'g');
  const workflow = /\b[\w.-]+\/[\w.-]+\/\.github\/workflows\/(shipgate-[\w.-]+\.yml)@[\w.-]+/g;
  const component = new RegExp(
    `(\\$CI_SERVER_FQDN|\\$\\{CI_SERVER_FQDN\\}|gitlab\\.com)/[\\w./-]+?/(${alt(components)})@[\\w.~-]+`,
    'g',
  );
  const npx = /\bgithub:[\w.-]+\/[\w.-]+#v\d+\.\d+\.\d+[\w.-]*/g;
  return text
    .replace(action, (_m, step: string) => `${project.github}/actions/${step}@v${major}`)
    .replace(workflow, (_m, file: string) => `${project.github}/.github/workflows/${file}@v${major}`)
    .replace(component, (_m, host: string, name: string) => `${host}/${project.gitlab}/${name}@${major}`)
    .replace(npx, `github:${project.github}#v${project.version}`);
}
