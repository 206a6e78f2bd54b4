import { main, runWithArgs } from '../../../shared/src/cli.js';
import { checkDependencies } from './step.js';

main(runWithArgs(checkDependencies, process.argv.slice(2)));
