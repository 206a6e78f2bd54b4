import { main, runWithArgs } from '../../../shared/src/cli.js';
import { perfBaseline } from './step.js';

main(runWithArgs(perfBaseline, process.argv.slice(2)));
