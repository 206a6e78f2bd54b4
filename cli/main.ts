import pkg from '../package.json' with { type: 'json' };

// The steps are most of the bundle; `--version` answers without loading them.
const argv = process.argv.slice(2);
const version = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v');
const { cli, main } = await import('../shared/src/cli.js');
const { steps } = version ? { steps: [] } : await import('./steps.js');
main(cli(steps, argv, undefined, pkg.version));
