import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubEnv, githubOutputs } from '../helpers/github-runner.js';
import { closedPort, httpServer, status, type TestServer } from '../../shared/src/http/testing/servers.js';
import { node24, ROOT, runProcess } from '../helpers/run-bundle.js';

// The committed bundles, run as the GitHub runner and a GitLab job run them.
const ACTION = join(ROOT, 'actions/check-dependencies/dist/index.js');
const CLI = join(ROOT, 'bin/shipgate.js');

let healthy: TestServer;
let failing: TestServer;
let dead: number;
let dir: string;

beforeAll(async () => {
  healthy = await httpServer(status(200));
  failing = await httpServer(status(503));
  dead = await closedPort();
  dir = mkdtempSync(join(tmpdir(), 'shipgate-e2e-'));
  writeFileSync(
    join(dir, 'dependency-config.yml'),
    `services:
  config-center:    { level: 1, dependencies: [], deploy_order: 1, health: "${healthy.url}/health" }
  service-registry: { level: 1, dependencies: [], deploy_order: 2, health: "tcp://127.0.0.1:${healthy.port}" }
  inventory-service:
    level: 2
    dependencies: [config-center, service-registry]
    deploy_order: 3
    health: ${failing.url}/health
    paths: [services/inventory/**]
  user-service:
    level: 2
    dependencies: [config-center]
    deploy_order: 4
    health: tcp://127.0.0.1:${dead}
  order-service:
    level: 3
    dependencies: [inventory-service, user-service]
    deploy_order: 5
`,
  );
});
afterAll(async () => {
  await healthy.close();
  await failing.close();
});

const githubEnvOf = (name: string, inputs: Record<string, string>) => githubEnv(dir, name, inputs);

const fast = { timeout: '1500ms', interval: '100ms', 'probe-timeout': '500ms' };

let node24Bin = '';
beforeAll(() => {
  node24Bin = node24();
});

describe.each([
  ['machine node', () => process.execPath],
  ['node 24', () => node24Bin],
])('GitHub Action bundle under %s', (_label, nodeBin) => {
  it('passes and sets outputs when the dependencies of a service are healthy', async () => {
    const { env, output, summary } = githubEnvOf('ok', {
      config: 'dependency-config.yml',
      service: 'inventory-service',
      ...fast,
    });
    const r = await runProcess(nodeBin(), [ACTION], { env, cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = githubOutputs(output);
    expect(JSON.parse(out.waves)).toEqual([
      ['config-center', 'service-registry'],
      ['inventory-service', 'user-service'],
      ['order-service'],
    ]);
    expect(JSON.parse(out.order)).toEqual([
      'config-center',
      'service-registry',
      'inventory-service',
      'user-service',
      'order-service',
    ]);
    expect(out.healthy).toBe('true');
    expect(JSON.parse(out.unhealthy)).toEqual([]);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/\| config-center \| `http:\/\/127\.0\.0\.1:\d+\/health` \| ✅ healthy \|/);
    expect(md).toContain('```mermaid');
    expect(r.stdout).toContain('::group::Probing the 2 dependencies of inventory-service');
  });

  it('fails with exit 1 and lists the unhealthy dependencies with their errors', async () => {
    const { env, output, summary } = githubEnvOf('bad', { service: 'order-service', ...fast });
    const r = await runProcess(nodeBin(), [ACTION], { env, cwd: dir });
    expect(r.code).toBe(1);
    const out = githubOutputs(output);
    expect(out.healthy).toBe('false');
    expect(JSON.parse(out.unhealthy)).toEqual(['inventory-service', 'user-service']);
    expect(r.stdout).toMatch(
      /::error::2 of 4 dependencies unhealthy: inventory-service \(HTTP 503\), user-service \(connection refused/,
    );
    expect(readFileSync(summary, 'utf8')).toMatch(
      /\| inventory-service \| .* \| ❌ unhealthy \| .* \| \d+ \| HTTP 503 \|/,
    );
  });

  it('exits 0 on unhealthy dependencies when fail-on-unhealthy is false', async () => {
    const { env, output } = githubEnvOf('soft', { service: 'order-service', 'fail-on-unhealthy': 'false', ...fast });
    const r = await runProcess(nodeBin(), [ACTION], { env, cwd: dir });
    expect(r.code).toBe(0);
    expect(githubOutputs(output).healthy).toBe('false');
    expect(r.stdout).toContain('::warning::UNHEALTHY inventory-service');
  });
});

describe('GitHub Action bundle on bad input', () => {
  it('exits 2 with an annotation at the line of an unknown dependency, and writes no outputs', async () => {
    writeFileSync(
      join(dir, 'broken.yml'),
      'services:\n  a: {}\n  b:\n    dependencies: [aa, c]\n  c: { dependencies: [b] }\n',
    );
    const { env, output, summary } = githubEnvOf('broken', { config: 'broken.yml', 'check-health': 'false' });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(
      "::error file=broken.yml,line=4::Service 'b' depends on 'aa', which is not defined. Did you mean 'a'?",
    );
    expect(r.stdout).toContain('Dependency cycle: b → c → b');
    expect(readFileSync(output, 'utf8')).toBe('');
    expect(readFileSync(summary, 'utf8')).toContain('Configuration error');
  });

  it('exits 2 naming the input for a bad value', async () => {
    const { env } = githubEnvOf('badinput', { timeout: 'forever' });
    const r = await runProcess(process.execPath, [ACTION], { env, cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("Input 'timeout' is 'forever'. Expected a duration such as 500ms, 30s, 2m or 1h.");
  });
});

describe('CLI as a GitLab job runs it', () => {
  it('reads SHIPGATE_* variables and flags, writes the dotenv report and the summary artifact', async () => {
    const job = mkdtempSync(join(tmpdir(), 'shipgate-gitlab-'));
    writeFileSync(join(job, 'dependency-config.yml'), readFileSync(join(dir, 'dependency-config.yml')));
    const r = await runProcess(
      process.execPath,
      [CLI, 'check-dependencies', '--service', 'inventory-service', '--interval', '100ms'],
      {
        cwd: job,
        env: {
          GITLAB_CI: 'true',
          SHIPGATE_TIMEOUT: '2s',
          SHIPGATE_CHANGED_FILES: 'services/inventory/main.go\nREADME.md',
          CONSUL_HTTP_TOKEN: 'consul-secret-token',
        },
      },
    );
    expect(r.code).toBe(0);
    const dotenv = readFileSync(join(job, 'shipgate.env'), 'utf8');
    expect(dotenv).toContain('SHIPGATE_HEALTHY=true\n');
    expect(dotenv).toContain('SHIPGATE_AFFECTED=["inventory-service","order-service"]\n');
    expect(dotenv).toMatch(/^SHIPGATE_WAVES=\[\["config-center","service-registry"\],/m);
    expect(readFileSync(join(job, 'shipgate-summary.md'), 'utf8')).toContain(
      '**Affected by the change:** `inventory-service`, `order-service`',
    );
    expect(JSON.parse(readFileSync(join(job, 'shipgate-outputs.json'), 'utf8')).affected).toBe(
      '["inventory-service","order-service"]',
    );
    expect(r.stdout).toMatch(/section_start:\d+:shipgate_1\[collapsed=true\]/);
    expect(r.stdout + r.stderr).not.toContain('consul-secret-token');
  });

  it('prints outputs as JSON locally with --json', async () => {
    const r = await runProcess(process.execPath, [CLI, 'check-dependencies', '--check-health', 'false', '--json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ healthy: true, unhealthy: [] });
  });
});
