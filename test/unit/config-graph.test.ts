import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../shared/src/errors.js';
import { parseConfig } from '../../shared/src/graph/config.js';
import { checkGraph, computeWaves, dependenciesOf, dependentsOf, findCycles } from '../../shared/src/graph/graph.js';
import { globToRegExp, matchesAny } from '../../shared/src/graph/glob.js';
import { affectedServices } from '../../actions/check-dependencies/src/step.js';

const SEED = `services:
  config-center:    { level: 1, dependencies: [], deploy_order: 1 }
  service-registry: { level: 1, dependencies: [], deploy_order: 2 }
  inventory-service:
    level: 2
    dependencies: [config-center, service-registry]
    deploy_order: 3
    health: http://127.0.0.1:8081/health
    paths: [services/inventory/**]
  user-service:
    level: 2
    dependencies: [config-center, service-registry]
    deploy_order: 4
    paths: [services/user/**]
  order-service:
    level: 3
    dependencies: [inventory-service, user-service]
    deploy_order: 5
    paths: [services/order/**]
`;

const parse = (text: string) => parseConfig(text, 'dependency-config.yml').config;

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads services with their fields and lines', () => {
    const c = parse(SEED);
    expect([...c.services.keys()]).toEqual([
      'config-center',
      'service-registry',
      'inventory-service',
      'user-service',
      'order-service',
    ]);
    const inv = c.services.get('inventory-service')!;
    expect(inv).toMatchObject({
      level: 2,
      deployOrder: 3,
      health: 'http://127.0.0.1:8081/health',
      paths: ['services/inventory/**'],
    });
    expect(inv.dependencies).toEqual(['config-center', 'service-registry']);
    expect(c.lineOf(['services', 'inventory-service'])).toBe(4);
    expect(c.lineOf(['services', 'inventory-service', 'dependencies', 1])).toBe(6);
    expect(c.lineOf(['services', 'order-service', 'paths'])).toBe(19);
  });

  it('accepts a service with no body and missing optional fields', () => {
    const c = parse('services:\n  a:\n  b: { dependencies: [a] }\n');
    expect(c.services.get('a')).toMatchObject({ dependencies: [], paths: [] });
    expect(c.services.get('a')!.level).toBeUndefined();
  });

  it('reports YAML syntax errors with line and column', () => {
    const err = configErrorOf(() => parse('services:\n  a: { dependencies: [b\n  b: {}\n'));
    expect(err.problems[0].message).toMatch(/YAML syntax error/);
    expect(err.problems[0].line).toBeGreaterThanOrEqual(2);
    expect(err.message).toMatch(/dependency-config\.yml:\d+/);
  });

  it('reports every shape problem at once, each with its line', () => {
    const err = configErrorOf(() =>
      parse(
        'services:\n  a: { level: high }\n  b: { dependencies: a }\n  c: { health: "ftp://x" }\n  d: { health: "tcp://host" }\n',
      ),
    );
    expect(err.problems.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expect(err.message).toMatch(/'level' must be a whole number/);
    expect(err.message).toMatch(/'dependencies' must be a list/);
    expect(err.message).toMatch(/ftp:\/\/x' is not a health address/);
    expect(err.message).toMatch(/has no port/);
  });

  it('needs a services map', () => {
    expect(configErrorOf(() => parse('servcies: {}\n')).message).toMatch(/top-level 'services:'/);
  });

  it('warns about unknown fields with a suggestion', () => {
    const { warnings } = parseConfig('services:\n  a: { dependecies: [] }\n', 'f.yml');
    expect(warnings[0]).toMatchObject({ line: 2, file: 'f.yml' });
    expect(warnings[0].message).toMatch(/Did you mean 'dependencies'/);
  });

  it('rejects duplicate service names', () => {
    expect(configErrorOf(() => parse('services:\n  a: {}\n  a: {}\n')).message).toMatch(
      /dependency-config\.yml:3: YAML syntax error: duplicated mapping key/,
    );
  });
});

describe('checkGraph', () => {
  it('finds nothing wrong in the seed', () => {
    expect(checkGraph(parse(SEED))).toEqual({ errors: [], inconsistencies: [] });
  });

  it('reports unknown dependencies with the closest name, and self dependencies', () => {
    const { errors } = checkGraph(
      parse('services:\n  config-center: {}\n  a:\n    dependencies: [config-centre, a]\n'),
    );
    expect(errors.map((e) => e.message)).toEqual([
      "Service 'a' depends on 'config-centre', which is not defined. Did you mean 'config-center'?",
      "Service 'a' depends on itself.",
    ]);
    expect(errors[0].line).toBe(4);
  });

  it('prints every cycle as a path', () => {
    const c = parse(
      'services:\n  a: { dependencies: [b] }\n  b: { dependencies: [c, a] }\n  c: { dependencies: [a] }\n  d: { dependencies: [e] }\n  e: { dependencies: [d] }\n',
    );
    const messages = checkGraph(c)
      .errors.map((e) => e.message)
      .sort();
    expect(messages).toEqual([
      'Dependency cycle: a → b → a',
      'Dependency cycle: a → b → c → a',
      'Dependency cycle: d → e → d',
    ]);
  });

  it('caps the number of cycles in a dense tangle', () => {
    const names = Array.from({ length: 8 }, (_, i) => `s${i}`);
    const text =
      'services:\n' +
      names.map((n) => `  ${n}: { dependencies: [${names.filter((m) => m !== n).join(', ')}] }`).join('\n');
    const cycles = findCycles(parse(text));
    expect(cycles.truncated).toBe(true);
    expect(cycles.list.length).toBe(50);
  });

  it('flags levels and deploy orders that contradict the dependencies', () => {
    const c = parse(
      'services:\n  a: { level: 2, deploy_order: 5 }\n  b: { level: 2, deploy_order: 1, dependencies: [a] }\n',
    );
    const { errors, inconsistencies } = checkGraph(c);
    expect(errors).toEqual([]);
    expect(inconsistencies.map((p) => p.message)).toEqual([
      "Service 'b' has level 2, not above its dependency 'a' (level 2). a should be level 1, or drop `level`.",
      "Service 'b' has deploy_order 1, which deploys it before (or with) its dependency 'a' (deploy_order 5). b should have a deploy_order above 5, or drop `deploy_order`.",
    ]);
  });
});

describe('computeWaves', () => {
  it('layers the seed by longest path, ties by deploy_order then name', () => {
    expect(computeWaves(parse(SEED))).toEqual([
      ['config-center', 'service-registry'],
      ['inventory-service', 'user-service'],
      ['order-service'],
    ]);
  });

  it('puts a service one wave after its deepest dependency', () => {
    const c = parse(
      'services:\n  z: {}\n  y: { dependencies: [z] }\n  x: { dependencies: [y] }\n  w: { dependencies: [z, x] }\n  b: {}\n  a: {}\n',
    );
    expect(computeWaves(c)).toEqual([['a', 'b', 'z'], ['y'], ['x'], ['w']]);
  });

  it('orders services with a deploy_order before those without, and is stable across input order', () => {
    const one = computeWaves(parse('services:\n  b: {}\n  a: {}\n  c: { deploy_order: 9 }\n'));
    const two = computeWaves(parse('services:\n  c: { deploy_order: 9 }\n  a: {}\n  b: {}\n'));
    expect(one).toEqual([['c', 'a', 'b']]);
    expect(two).toEqual(one);
  });

  it('handles a 5,000-long chain without overflowing the stack', () => {
    const lines = ['services:', '  s0: {}'];
    for (let i = 1; i < 5000; i++) lines.push(`  s${i}: { dependencies: [s${i - 1}] }`);
    const c = parse(lines.join('\n'));
    expect(checkGraph(c).errors).toEqual([]);
    const waves = computeWaves(c);
    expect(waves.length).toBe(5000);
    expect(waves[4999]).toEqual(['s4999']);
  });
});

describe('dependencies and dependents', () => {
  it('walks transitively in both directions', () => {
    const c = parse(SEED);
    expect([...dependenciesOf(c, 'order-service')].sort()).toEqual([
      'config-center',
      'inventory-service',
      'service-registry',
      'user-service',
    ]);
    expect([...dependentsOf(c, 'config-center')].sort()).toEqual([
      'inventory-service',
      'order-service',
      'user-service',
    ]);
    expect(dependenciesOf(c, 'config-center').size).toBe(0);
  });
});

describe('affected services', () => {
  const c = parse(SEED);
  const order = computeWaves(c).flat();
  it('are the changed services and their dependents, in wave order', () => {
    expect(affectedServices(c, order, ['services/inventory/src/app.ts', 'README.md'])).toEqual([
      'inventory-service',
      'order-service',
    ]);
    expect(affectedServices(c, order, ['docs/x.md'])).toEqual([]);
  });
  it('are all services without a change list', () => {
    expect(affectedServices(c, order, [])).toEqual(order);
  });
});

describe('globs', () => {
  const m = (glob: string, file: string) => matchesAny(file, [globToRegExp(glob)]);
  it('match like path globs', () => {
    expect(m('services/inventory/**', 'services/inventory/a/b.ts')).toBe(true);
    expect(m('services/inventory/**', 'services/inventory-v2/a.ts')).toBe(false);
    expect(m('services/*/Dockerfile', 'services/user/Dockerfile')).toBe(true);
    expect(m('services/*/Dockerfile', 'services/user/x/Dockerfile')).toBe(false);
    expect(m('**/*.proto', 'api/v1/user.proto')).toBe(true);
    expect(m('**/*.proto', 'user.proto')).toBe(true);
    expect(m('libs/common', 'libs/common/x.ts')).toBe(true);
    expect(m('src/*.{ts,js}', 'src/a.js')).toBe(true);
    expect(m('src/?.ts', 'src/ab.ts')).toBe(false);
    expect(m('a.b', 'axb')).toBe(false);
  });
});

describe('urlSecrets', () => {
  it('finds passwords and token-like query values in health URLs', async () => {
    const { urlSecrets } = await import('../../shared/src/http/url-secrets.js');
    expect(urlSecrets('https://bob:p%40ss@host/health?api_key=k1&x=1&token=t2')).toEqual([
      'p%40ss',
      'p@ss',
      'k1',
      't2',
    ]);
    expect(urlSecrets('consul:api')).toEqual([]);
    expect(urlSecrets('tcp://h:1')).toEqual([]);
  });
});
