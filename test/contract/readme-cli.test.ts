import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAll } from '../../actions/index.js';
import { parseArgs } from '../../shared/src/cli.js';
import { colourUrl } from '../../shared/src/http/gate.js';
import { parseInputs } from '../../shared/src/inputs.js';
import { shipgate } from '../helpers/cli.js';
import { ROOT } from '../helpers/run-bundle.js';

// Every `shipgate …` line of the READMEs' ```sh blocks, as a user copies it: its flags are checked against the
// step's schema and their values parsed; the lines that need no router or cluster are run.
// The listings (`--list-rules`) are declared in the schema and printed by the step's code.
const steps = await loadAll();
const readmes = ['README.md', ...steps.map((s) => `actions/${s.schema.name}/README.md`)];
const text = (f: string) => readFileSync(join(ROOT, f), 'utf8');

/** Shell words of one command line: quotes and backslash-newlines as sh reads them (no expansions). */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m; (m = re.exec(line));) out.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]);
  return out;
}

const lines = readmes.flatMap((file) => [
  ...[...text(file).matchAll(/```(?:sh|bash|shell|text)\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) =>
        l
          .replace(/\s+#.*$/, '')
          .replace(/^\$ /, '')
          .trim(),
      )
      .filter((l) => l.startsWith('shipgate '))
      .map((l) => ({ file, line: l })),
  ),
  // Inline examples such as `shipgate api-compat --base … --json` (placeholders like <step> are not commands).
  ...[...text(file).matchAll(/`(shipgate [^`<]+)`/g)]
    .map((m) => ({ file, line: m[1] }))
    .filter((l) => !/shipgate (--|[a-z-]+ --help$)/.test(l.line)),
]);

describe('README command lines', () => {
  it('finds the examples', () => {
    expect(lines.length).toBeGreaterThanOrEqual(8);
  });

  it.each(lines)('$file: $line has only flags and values its step accepts', ({ line }) => {
    const [, name, ...argv] = words(line);
    const step = steps.find((s) => s.schema.name === name);
    expect(step, `no step '${name}'`).toBeDefined();
    // A command-line-only listing (`--list-rules`) takes no inputs.
    const listings = Object.keys(step!.schema.cliListings ?? {});
    for (const flag of listings) expect(step!.listings?.[flag], `--${flag} has no listing`).toBeTypeOf('function');
    if (listings.some((flag) => argv.includes(`--${flag}`))) {
      expect(argv.filter((a) => !listings.includes(a.slice(2)) && a !== '--json')).toEqual([]);
      return;
    }
    const args = parseArgs(step!.schema, argv);
    expect(() => parseInputs(step!.schema.inputs, (n) => args.flags[n])).not.toThrow();
    // A URL must be one for every colour it is filled in for (`http://127.0.0.1:808{color}` is not).
    for (const [flag, value] of Object.entries(args.flags).filter(([, v]) => /^https?:/.test(v))) {
      for (const colour of ['blue', 'green'])
        expect(URL.canParse(colourUrl(value, colour)), `--${flag} ${value} for ${colour}`).toBe(true);
    }
  });

  it('runs the check-dependencies example against the README’s own configuration and a loopback health server', async () => {
    const readme = text('actions/check-dependencies/README.md');
    const config = /## The configuration file\n\n```yaml\n([\s\S]*?)```/.exec(readme)![1];
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-readme-'));
    writeFileSync(join(dir, 'dependency-config.yml'), config);
    const example = lines.find((l) => l.file === 'actions/check-dependencies/README.md')!.line;
    const server = createServer((_req, res) => res.end('ok'));
    // The README's health URL is 127.0.0.1:8081; another process may hold it, so the server is optional.
    const listening = await new Promise<boolean>((ok) =>
      server.once('error', () => ok(false)).listen(8081, '127.0.0.1', () => ok(true)),
    );
    try {
      const r = await shipgate(words(example).slice(1), {
        cwd: dir,
        env: listening ? {} : { SHIPGATE_CHECK_HEALTH: 'false' },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).waves).toEqual([['config-center', 'service-registry'], ['inventory-service']]);
    } finally {
      server.close();
    }
  });

  it('references every GitLab component with the same version', () => {
    const refs = readmes.flatMap((f) => [...text(f).matchAll(/shipgate\/[a-z-]+@(\S+)/g)].map((m) => m[1]));
    expect(refs.length).toBeGreaterThan(5);
    // The major version of this release, as `npm run gen` stamps it from package.json.
    const major = JSON.parse(text('package.json')).version.split('.')[0];
    expect(new Set(refs)).toEqual(new Set([major]));
  });
});
