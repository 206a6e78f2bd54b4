// The CLI as a user runs it (`npx shipgate <step> …`), from source: the same entry the bundle is built from.
import { join } from 'node:path';
import { ROOT, runProcess, type Ran } from './run-bundle.js';

export const CLI_ENTRY = join(ROOT, 'cli/main.ts');
// By path, so the CLI runs from any working directory.
export const TSX = join(ROOT, 'node_modules/tsx/dist/esm/index.mjs');

/** Runs `shipgate ...args` in a child process with a clean environment plus `env`. */
export function shipgate(
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<Ran> {
  return runProcess(process.execPath, ['--import', TSX, CLI_ENTRY, ...args], { ...opts, cwd: opts.cwd ?? ROOT });
}
