// The embedded demo: the seed's five services on loopback, and Shipgate run through its CLI exactly as a
// GitLab job runs it (SHIPGATE_* variables, dotenv report, summary artifact). Needs nothing but Node.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'bin', 'shipgate.js');
const work = mkdtempSync(join(tmpdir(), 'shipgate-demo-'));
const servers = [];
const step = (text) => console.log(`\n\x1b[1m▶ ${text}\x1b[0m`);

function listen(server) {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/** A service's /health endpoint; `state.up` decides its answer. */
function httpService(state) {
  return listen(
    createHttp((req, res) => {
      res.writeHead(state.up ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: state.up ? 'UP' : 'DOWN' }));
    }),
  );
}

/** Consul's health API as documented: GET /v1/health/service/<name>?passing. */
function consul(instances) {
  return listen(
    createHttp((req, res) => {
      const url = new URL(req.url, 'http://x');
      const name = decodeURIComponent(url.pathname.replace('/v1/health/service/', ''));
      const list = (instances[name] ?? []).map((port, i) => ({
        Node: { Node: `node-${i + 1}`, Address: '127.0.0.1' },
        Service: { ID: `${name}-${i + 1}`, Service: name, Address: '127.0.0.1', Port: port },
        Checks: [{ CheckID: `service:${name}-${i + 1}`, Status: 'passing', ServiceName: name }],
      }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(list));
    }),
  );
}

function shipgate(args, env = {}) {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], {
      cwd: work,
      env: { PATH: process.env.PATH, GITLAB_CI: 'true', CI_JOB_NAME: 'check-dependencies', ...env },
    }, (err) => resolve(err ? err.code : 0));
    child.stdout.pipe(process.stdout);
    child.stderr.pipe(process.stderr);
  });
}

const inventory = { up: true };
const always = { up: true };
try {
  const configPort = await httpService(always);
  const registryPort = await httpService(always);
  const consulPort = await consul({ 'service-registry': [registryPort] });
  const inventoryPort = await httpService(inventory);
  const userPort = await listen(createTcp((s) => s.end()));
  const orderPort = await httpService(always);
  writeFileSync(
    join(work, 'dependency-config.yml'),
    `# The seed's five services, each on a loopback port of this demo.
services:
  config-center:
    level: 1
    dependencies: []
    deploy_order: 1
    health: http://127.0.0.1:${configPort}/actuator/health
    paths: [services/config-center/**]
  service-registry:
    level: 1
    dependencies: []
    deploy_order: 2
    health: consul:service-registry
  inventory-service:
    level: 2
    dependencies: [config-center, service-registry]
    deploy_order: 3
    health: http://127.0.0.1:${inventoryPort}/health
    paths: [services/inventory/**]
  user-service:
    level: 2
    dependencies: [config-center, service-registry]
    deploy_order: 4
    health: tcp://127.0.0.1:${userPort}
    paths: [services/user/**]
  order-service:
    level: 3
    dependencies: [inventory-service, user-service]
    deploy_order: 5
    health: http://127.0.0.1:${orderPort}/health
    paths: [services/order/**]
`,
  );
  console.log(`Demo workspace: ${work}\n${readFileSync(join(work, 'dependency-config.yml'), 'utf8')}`);

  step('1. A merge request changes services/inventory: plan the waves and what must redeploy (no health checks)');
  const plan = await shipgate(['check-dependencies', '--check-health', 'false'], {
    SHIPGATE_CHANGED_FILES: 'services/inventory/src/stock.ts\nREADME.md',
  });
  console.log(`exit ${plan}; dotenv report for later jobs:\n${readFileSync(join(work, 'shipgate.env'), 'utf8')}`);
  rmSync(join(work, 'shipgate.env'));

  step('2. Deploying order-service: its dependencies are probed; inventory-service answers 503 and stays down');
  inventory.up = false;
  const down = await shipgate(['check-dependencies', '--service', 'order-service', '--timeout', '4s', '--interval', '500ms'], {
    SHIPGATE_CONSUL_URL: `http://127.0.0.1:${consulPort}`,
  });
  console.log(`exit ${down} (1 = an unhealthy dependency stops the deploy)`);

  step('3. Again, while inventory-service recovers after 2 s: Shipgate waits, retries, then passes');
  setTimeout(() => (inventory.up = true), 2000);
  const up = await shipgate(['check-dependencies', '--service', 'order-service', '--timeout', '20s', '--interval', '500ms'], {
    SHIPGATE_CONSUL_URL: `http://127.0.0.1:${consulPort}`,
  });
  console.log(`exit ${up}`);
  const ok = plan === 0 && down === 1 && up === 0;
  console.log(ok ? '\nDemo finished as expected.' : '\nDemo did not go as expected.');
  process.exitCode = ok ? 0 : 1;
} finally {
  for (const s of servers) s.close();
  rmSync(work, { recursive: true, force: true });
}
