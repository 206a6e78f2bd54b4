// Runs a Node script in this process and writes its peak resident memory (bytes) to a file on exit: the fallback
// for machines without /usr/bin/time. Usage: node api-compat-maxrss.mjs <out-file> <script> [args…]
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [out, script, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], resolve(script), ...args];
process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
await import(pathToFileURL(resolve(script)).href);
