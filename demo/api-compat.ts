// Demo: a pull request changes the orders service's OpenAPI contract. The base is what the running v1 service
// publishes at /openapi.json (a loopback HTTP server); the head is the file in the branch. Shipgate catches the
// breaking changes (exit 1), then passes once the branch fixes one and the team accepts the other in an exceptions file.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { DemoContext } from './context.js';

const v1 = {
  openapi: '3.0.3',
  info: { title: 'Orders', version: '1.4.0' },
  paths: {
    '/orders': {
      get: {
        operationId: 'listOrders',
        parameters: [{ name: 'customerId', in: 'query', schema: { type: 'string' } }],
        responses: {
          200: {
            description: 'orders',
            content: {
              'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Order' } } },
            },
          },
        },
      },
    },
    '/orders/{id}': {
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: 'getOrder',
        responses: {
          200: {
            description: 'an order',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
          },
        },
      },
      delete: { operationId: 'cancelOrder', responses: { 204: { description: 'cancelled' } } },
    },
  },
  components: {
    schemas: {
      Order: {
        type: 'object',
        required: ['id', 'total'],
        properties: { id: { type: 'string' }, total: { type: 'number' }, note: { type: 'string' } },
      },
    },
  },
};

/** The branch's contract, as YAML: DELETE removed, customerId required (or not), a new endpoint added. */
const v2 = (customerIdRequired: boolean) => `openapi: 3.0.3
info: { title: Orders, version: 2.0.0 }
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - { name: customerId, in: query, required: ${customerIdRequired}, schema: { type: string } }
      responses:
        '200':
          description: orders
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/Order' } }
  /orders/{id}:
    parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
    get:
      operationId: getOrder
      responses:
        '200':
          description: an order
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Order' }
  /orders/{id}/items:
    get:
      operationId: listOrderItems
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200': { description: the items of an order }
components:
  schemas:
    Order:
      type: object
      required: [id, total]
      properties:
        id: { type: string }
        total: { type: number }
        note: { type: string }
`;

/** The last value of a variable in the dotenv report (GitLab appends one line per run). */
function dotenv(work: string, name: string) {
  const lines = readFileSync(join(work, 'shipgate.env'), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`SHIPGATE_${name}=`));
  return lines.at(-1)?.slice(`SHIPGATE_${name}=`.length);
}

export async function demo({ shipgate, work, step, listen }: DemoContext) {
  const port = await listen(
    createServer((req, res) => {
      if (req.url !== '/openapi.json') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(v1));
    }),
  );
  const base = `http://127.0.0.1:${port}/openapi.json`;
  const head = join(work, 'openapi.yaml');

  step(
    `The orders service v1 publishes its contract at ${base}; a branch removes DELETE /orders/{id} and makes customerId required`,
  );
  writeFileSync(head, v2(true));
  const first = await shipgate(['api-compat', '--base', base, '--head', head], {
    SHIPGATE_REPORT_DIR: join(work, 'reports'),
  });
  if (first.code !== 1) throw new Error(`expected exit 1 for breaking changes, got ${first.code}`);
  if (dotenv(work, 'BREAKING_COUNT') !== '2' || dotenv(work, 'SUGGESTED_BUMP') !== 'major') {
    throw new Error(
      `expected 2 breaking changes and a major bump, got ${dotenv(work, 'BREAKING_COUNT')} / ${dotenv(work, 'SUGGESTED_BUMP')}`,
    );
  }
  for (const rule of ['api-operation-removed', 'request-parameter-became-required']) {
    if (!first.stdout.includes(rule)) throw new Error(`the summary does not name ${rule}`);
  }
  console.log(
    `exit 1 (1 = a breaking change stops the merge) · SHIPGATE_BREAKING_COUNT=2 · SHIPGATE_SUGGESTED_BUMP=major`,
  );
  console.log(
    `reports for GitLab and GitHub: ${['api-compat.json', 'api-compat.junit.xml', 'api-compat.sarif', 'api-compat.codequality.json'].map((f) => `reports/${f}`).join(', ')}`,
  );

  step('The branch keeps customerId optional, and the team accepts the removal in api-exceptions.yml until a date');
  writeFileSync(head, v2(false));
  writeFileSync(
    join(work, 'api-exceptions.yml'),
    `exceptions:
  - rule: api-operation-removed
    method: DELETE
    path: /orders/{id}
    reason: Cancelling moved to the returns service (announced 3 months ago)
    expires: 2999-12-31
`,
  );
  const second = await shipgate(['api-compat', '--base', base, '--head', head, '--exceptions', 'api-exceptions.yml'], {
    SHIPGATE_REPORT_DIR: join(work, 'reports'),
  });
  if (second.code !== 0) throw new Error(`expected exit 0 once the change is accepted, got ${second.code}`);
  if (!second.stdout.includes('Accepted by exceptions (1)'))
    throw new Error('the summary does not list the accepted change');
  if (dotenv(work, 'BREAKING') !== 'false' || dotenv(work, 'SUGGESTED_BUMP') !== 'minor') {
    throw new Error(
      `expected no breaking change and a minor bump, got ${dotenv(work, 'BREAKING')} / ${dotenv(work, 'SUGGESTED_BUMP')}`,
    );
  }
  console.log('exit 0 · SHIPGATE_BREAKING=false · SHIPGATE_SUGGESTED_BUMP=minor (GET /orders/{id}/items was added)');
}
