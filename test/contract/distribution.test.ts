import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliFiles, loader, readProject } from '../../scripts/distribution.js';
import { ROOT } from '../helpers/run-bundle.js';

// What ships runs only Shipgate's own code: no template, workflow or example runs a package by a name someone else
// could register on npm, every component job runs the loader pinned to the component's commit with the SHA-256 of
// each CLI file, and `npm run gen` with another owner changes every reference to where Shipgate is published.
const project = readProject(ROOT);
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
const pipelineFiles = tracked.filter(
  (f) =>
    /^(templates\/.+|\.github\/workflows\/.+|examples\/.+)\.ya?ml$/.test(f) ||
    /^examples\/.+\/\.gitlab-ci\.yml$/.test(f),
);

/** The package an `npx` / `npm exec` / `pnpm dlx` / `yarn dlx` / `bunx` line runs, or undefined when the line runs none. */
export function packageRun(line: string): string | undefined {
  const m =
    /\b(?:npx|npm\s+exec|pnpm\s+dlx|yarn\s+dlx|bunx)\b((?:\s+(?:--?[\w-]+(?:=\S+)?))*)\s+(?:--\s+)?("[^"]*"|\S+)/.exec(
      line,
    );
  return m ? m[2].replace(/^"|"$/g, '') : undefined;
}

/** A package spec that is Shipgate's own: a variable the user sets, a local tarball, or this repository on GitHub. */
const owned = (spec: string) =>
  spec.startsWith('$') || /^(file:|\.{0,2}\/)/.test(spec) || spec.startsWith(`github:${project.github}#`);

describe('what the templates, workflows and examples run', () => {
  it('finds the package of an npx line (the check below can fail)', () => {
    expect(packageRun('npx --yes shipgate@0.1.0 check-dependencies')).toBe('shipgate@0.1.0');
    expect(packageRun('npm exec --yes -- left-pad')).toBe('left-pad');
    expect(packageRun('npx --yes -- "$SHIPGATE_CLI_PACKAGE" rollback')).toBe('$SHIPGATE_CLI_PACKAGE');
    expect(owned('shipgate@0.1.0')).toBe(false);
    expect(owned('github:someone-else/shipgate#v1.0.0')).toBe(false);
  });

  it.each(pipelineFiles)('%s runs no package by a name it does not own', (file) => {
    const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
    const unowned = lines.map((l) => packageRun(l)).filter((p): p is string => p !== undefined && !owned(p));
    expect(unowned).toEqual([]);
  });

  it('the loader never runs a fixed package name: only SHIPGATE_CLI_PACKAGE, which the user sets', () => {
    const text = readFileSync(join(ROOT, 'scripts', 'cli-loader.mjs'), 'utf8');
    expect([...text.matchAll(/run\('npx', \[([^\]]*)\]/g)].map((m) => m[1])).toEqual([
      "'--yes', '--', env.SHIPGATE_CLI_PACKAGE, ...args",
    ]);
  });
});

describe.each(tracked.filter((f) => /^templates\/[\w-]+\.yml$/.test(f)))('%s', (file) => {
  const [header, body] = readFileSync(join(ROOT, file), 'utf8')
    .split('\n---\n')
    .map((p) => parse(p)) as [
    { spec: { component: string[] } },
    Record<string, { script?: string[]; variables?: Record<string, string>; trigger?: unknown }>,
  ];

  it("runs the CLI of the component's own commit, each file checked against its SHA-256", () => {
    expect(header.spec.component).toContain('sha');
    const files = cliFiles(ROOT);
    expect(files.length).toBeGreaterThan(0);
    for (const [name, job] of Object.entries(body)) {
      if (job.trigger) continue;
      expect(job.script!.at(-1), name).toMatch(/; node --input-type=module -e "\$SHIPGATE_CLI_LOADER" [a-z-]+$/);
      expect(job.variables!.SHIPGATE_CLI_SHA, name).toBe('$[[ component.sha ]]');
      expect(job.variables!.SHIPGATE_CLI_LOADER, name).toBe(loader());
      expect(job.variables!.SHIPGATE_CLI_FILES.split('\n'), name).toEqual(files.map(([f, hash]) => `${hash} ${f}`));
    }
  });
});

describe('npm run gen with another owner', () => {
  it('changes every reference to where Shipgate is published, and nothing else', () => {
    const copy = mkdtempSync(join(tmpdir(), 'shipgate-owner-'));
    // Everything gen reads or writes: not the tests.
    for (const f of tracked.filter((f) => !f.startsWith('test/'))) {
      mkdirSync(dirname(join(copy, f)), { recursive: true });
      cpSync(join(ROOT, f), join(copy, f));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        cwd: copy,
        stdio: 'ignore',
      });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'copy');
    const pkg = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
    pkg.shipgate = { github: 'acme-corp/delivery-gates', gitlab: 'platform/ci/delivery-gates' };
    writeFileSync(join(copy, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(copy, 'scripts', 'gen.ts')], {
      cwd: copy,
      stdio: 'ignore',
    });

    const changed = execFileSync('git', ['diff', '--name-only'], { cwd: copy, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    // Every file that names the owner changed: the READMEs, templates, workflows, examples and the demo.
    const naming = tracked.filter(
      (f) => f !== 'package.json' && readFileSync(join(ROOT, f), 'utf8').includes(project.github),
    );
    // (Sources read it from package.json at run or build time; the bundles follow at the next build.)
    const stamped = naming.filter(
      (f) => !/^(test|scripts)\//.test(f) && !/(^|\/)dist\//.test(f) && (!/\.ts$/.test(f) || f.startsWith('demo/')),
    );
    expect(stamped.length).toBeGreaterThan(20);
    for (const f of stamped) expect(changed, f).toContain(f);
    for (const f of changed) {
      const before = readFileSync(join(ROOT, f), 'utf8');
      const after = readFileSync(join(copy, f), 'utf8');
      expect(after, f).not.toContain(`${project.github}/`);
      // Nothing else: putting the old names back gives the file as it was.
      const back = after
        .replaceAll('acme-corp/delivery-gates', project.github)
        .replaceAll('platform/ci/delivery-gates', project.gitlab);
      expect(back, f).toBe(before);
    }
    expect(readdirSync(copy)).toContain('templates');
  }, 120_000);
});
