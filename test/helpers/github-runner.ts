// What GitHub's runner gives an action and reads back: INPUT_* variables, the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a GITHUB_OUTPUT file the way the runner does (`name<<DELIM … DELIM`). */
export function githubOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i].match(/^([\w-]+)<<(.+)$/);
    if (!m) continue;
    const value: string[] = [];
    while (lines[++i] !== m[2]) value.push(lines[i]);
    out[m[1]] = value.join('\n');
  }
  return out;
}

/**
 * The environment of one action run: fresh output and summary files named after `name` in `dir`, and each input as
 * `INPUT_<NAME>` (upper-cased, dashes kept, as the runner spells them). `extra` adds job variables.
 */
export function githubEnv(
  dir: string,
  name: string,
  inputs: Record<string, string>,
  extra: Record<string, string> = {},
) {
  const output = join(dir, `${name}.out`);
  const summary = join(dir, `${name}.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    ...extra,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return { env, output, summary };
}
