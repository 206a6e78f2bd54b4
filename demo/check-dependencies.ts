// check-dependencies on the seed's five services: plan the waves, stop on an unhealthy dependency, pass once it recovers.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttp } from 'node:http';
import { createServer as createTcp } from 'node:net';
import { join } from 'node:path';
import type { DemoContext } from './context.js';

/** A service's /health endpoint; `state.up` decides its answer. */
function httpService(listen: DemoContext['listen'], state: { up: boolean }) {
  return listen(
    createHttp((req, res) => {
      res.writeHead(state.up ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: state.up ? 'UP' : 'DOWN' }));
    }),
  );
}

/** Consul's health API as documented: GET /v1/health/service/<name>?passing. */
function consul(listen: DemoContext['listen'], instances: Record<string, number[]>) {
  return listen(
    createHttp((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
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

export async function demo({ shipgate, work, step, listen }: DemoContext) {
  const inventory = { up: true };
  const always = { up: true };
  const configPort = await httpService(listen, always);
  const registryPort = await httpService(listen, always);
  const consulPort = await consul(listen, { 'service-registry': [registryPort] });
  const inventoryPort = await httpService(listen, inventory);
  const userPort = await listen(createTcp((s) => s.end()));
  const orderPort = await httpService(listen, always);
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
  console.log(readFileSync(join(work, 'dependency-config.yml'), 'utf8'));

  step('A merge request changes services/inventory: plan the waves and what must redeploy (no health checks)');
  const plan = await shipgate(['check-dependencies', '--check-health', 'false'], {
    SHIPGATE_CHANGED_FILES: 'services/inventory/src/stock.ts\nREADME.md',
  });
  console.log(`exit ${plan.code}; dotenv report for later jobs:\n${readFileSync(join(work, 'shipgate.env'), 'utf8')}`);
  rmSync(join(work, 'shipgate.env'));

  step('Deploying order-service: its dependencies are probed; inventory-service answers 503 and stays down');
  inventory.up = false;
  const consulUrl = { SHIPGATE_CONSUL_URL: `http://127.0.0.1:${consulPort}` };
  const down = await shipgate(
    ['check-dependencies', '--service', 'order-service', '--timeout', '4s', '--interval', '500ms'],
    consulUrl,
  );
  console.log(`exit ${down.code} (1 = an unhealthy dependency stops the deploy)`);

  step('Again, while inventory-service recovers after 2 s: Shipgate waits, retries, then passes');
  setTimeout(() => (inventory.up = true), 2000);
  const up = await shipgate(
    ['check-dependencies', '--service', 'order-service', '--timeout', '20s', '--interval', '500ms'],
    consulUrl,
  );
  console.log(`exit ${up.code}`);
  if (plan.code !== 0 || down.code !== 1 || up.code !== 0) {
    throw new Error(`check-dependencies exits were ${plan.code}, ${down.code}, ${up.code}; expected 0, 1, 0.`);
  }
}
