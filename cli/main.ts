import pkg from '../package.json' with { type: 'json' };

// `--version` answers without the step list; any other command loads the schemas, and a step's code only when that
// step runs (actions/index.ts).
const argv = process.argv.slice(2);
const version = argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v');
const { cli, main } = await import('../shared/src/cli.js');
const { steps } = version ? { steps: [] } : await import('../actions/index.js');
main(cli(steps, argv, undefined, pkg.version));
