import { main, runWithArgs } from '../../../shared/src/cli.js';
import { rollback } from './step.js';

main(runWithArgs(rollback, process.argv.slice(2)));
