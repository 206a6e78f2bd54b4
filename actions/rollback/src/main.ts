import { main, runWithArgs } from '../../../shared/src/cli.js';
import { entry } from './entry.js';

main(runWithArgs(entry, process.argv.slice(2)));
