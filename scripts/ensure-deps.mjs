// Installs the npm packages when node_modules is missing or older than package-lock.json, so the README's
// commands work on a fresh clone without a separate set-up step.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const mtime = (p) => {
  try {
    return statSync(root + p).mtimeMs;
  } catch {
    return -1;
  }
};
if (mtime('node_modules/.package-lock.json') < mtime('package-lock.json')) {
  console.log('Installing npm packages (npm ci)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
