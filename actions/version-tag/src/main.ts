import { main, runWithArgs } from '../../../shared/src/cli.js';
import { versionTag } from './step.js';

main(runWithArgs(versionTag, process.argv.slice(2)));
