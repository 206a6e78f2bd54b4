import { main, runWithArgs } from '../../../shared/src/cli.js';
import { apiCompat } from './step.js';

main(runWithArgs(apiCompat, process.argv.slice(2)));
