// A loopback HTTP server in its own process that answers every request after DELAY ms; prints its port.
import { createServer } from 'node:http';

const delay = Number(process.argv[2] ?? 100);
const server = createServer((_req, res) => setTimeout(() => res.end('ok'), delay));
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('disconnect', () => process.exit(0));
