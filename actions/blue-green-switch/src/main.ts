import { main, runWithArgs } from '../../../shared/src/cli.js';
import { blueGreenSwitch } from './step.js';

main(runWithArgs(blueGreenSwitch, process.argv.slice(2)));
