import pkg from '../package.json' with { type: 'json' };
import { cli, main } from '../shared/src/cli.js';
import { steps } from './steps.js';

main(cli(steps, process.argv.slice(2), undefined, pkg.version));
