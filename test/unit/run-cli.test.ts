import { describe, expect, it } from 'vitest';
import { cli, helpText, parseArgs, runWithArgs } from '../../shared/src/cli.js';
import { ConfigError, ExternalError } from '../../shared/src/errors.js';
import { LocalPlatform } from '../../shared/src/platform/index.js';
import { run } from '../../shared/src/run.js';
import { defineStep, type StepResult } from '../../shared/src/step.js';

function makeStep(behaviour: () => StepResult | never) {
  return defineStep({
    schema: {
      name: 'demo-step',
      title: 'A step for tests',
      description: 'Does what the test says.',
      inputs: {
        target: { type: 'string', required: true, description: 'What to act on.' },
        'dry-run': { type: 'boolean', default: 'false', description: 'Only say what would happen.' },
        wait: { type: 'duration', default: '2s', description: 'How long to wait.' },
      },
      outputs: { done: { description: 'true when done.' } },
    },
    loadConfig: () => undefined,
    async run({ inputs, summary }) {
      summary.add(`acting on ${inputs.target}`);
      return behaviour();
    },
  });
}

function harness(flags: Record<string, string>, json = true) {
  const io = { out: '', err: '' };
  const platform = new LocalPlatform({
    env: {},
    flags,
    json,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
  });
  return { io, platform };
}

describe('run', () => {
  it('exits 0 with outputs and the summary when the verdict passes', async () => {
    const { io, platform } = harness({ target: 'x' });
    expect(
      await run(
        makeStep(() => ({ outputs: { done: 'true' } })),
        platform,
      ),
    ).toBe(0);
    expect(JSON.parse(io.out)).toEqual({ done: 'true' });
    expect(io.err).toContain('acting on x');
  });

  it('exits 1 on a failed verdict, still setting outputs and writing the summary', async () => {
    const { io, platform } = harness({ target: 'x' });
    expect(
      await run(
        makeStep(() => ({ outputs: { done: 'false' }, failure: 'it broke' })),
        platform,
      ),
    ).toBe(1);
    expect(JSON.parse(io.out)).toEqual({ done: 'false', failure: 'it broke' });
    expect(io.err).toContain('error: it broke');
    expect(io.err).toContain('**Failed:** it broke');
  });

  it('exits 2 on bad input before the step runs', async () => {
    const { io, platform } = harness({ wait: 'soon' });
    let ran = false;
    const code = await run(
      makeStep(() => {
        ran = true;
        return { outputs: {} };
      }),
      platform,
    );
    expect(code).toBe(2);
    expect(ran).toBe(false);
    expect(io.err).toContain("Input 'target' is required");
    expect(io.err).toContain("Input 'wait' is 'soon'. Expected a duration");
  });

  it('exits 2 on a ConfigError with annotations, 3 on an ExternalError, 70 on a bug; the summary is always written', async () => {
    const cases: [() => never, number, string][] = [
      [
        () => {
          throw new ConfigError('bad file', [{ message: 'bad line', file: 'c.yml', line: 3 }]);
        },
        2,
        'error: c.yml:3: bad line',
      ],
      [
        () => {
          throw new ExternalError('registry said 500');
        },
        3,
        'error: registry said 500',
      ],
      [
        () => {
          throw new TypeError('oops');
        },
        70,
        'Internal error in demo-step',
      ],
    ];
    for (const [throwing, code, message] of cases) {
      const { io, platform } = harness({ target: 'x' });
      expect(await run(makeStep(throwing), platform)).toBe(code);
      expect(io.err).toContain(message);
      expect(io.err).toContain('## Shipgate · demo-step');
      expect(io.err).toContain('acting on x');
    }
  });

  const schema = makeStep(() => ({ outputs: {} })).schema;

  it('sets the outputs a step gave its context also when it throws; on return the result’s outputs win', async () => {
    const state = { moved: false };
    const step = (fail: boolean) =>
      defineStep({
        schema,
        loadConfig: () => undefined,
        async run({ outputs }) {
          outputs.track(() => (state.moved ? { done: 'partly' } : undefined));
          state.moved = true;
          if (fail) throw new ExternalError('router went away');
          return { outputs: { done: 'true' } };
        },
      });
    const failed = harness({ target: 'x' });
    expect(await run(step(true), failed.platform)).toBe(3);
    expect(JSON.parse(failed.io.out)).toMatchObject({ done: 'partly' });
    state.moved = false;
    const passed = harness({ target: 'x' });
    expect(await run(step(false), passed.platform)).toBe(0);
    expect(JSON.parse(passed.io.out)).toEqual({ done: 'true' });
  });

  it('leaves the outputs unset when the step throws before its state says anything', async () => {
    const { io, platform } = harness({ target: 'x' });
    const step = defineStep({
      schema,
      loadConfig: () => undefined,
      async run({ outputs }) {
        outputs.track(() => undefined);
        throw new ExternalError('down');
      },
    });
    expect(await run(step, platform)).toBe(3);
    expect(JSON.parse(io.out)).not.toHaveProperty('done');
  });

  it('checks the config before run: a ConfigError from loadConfig exits 2 and run never starts', async () => {
    const { io, platform } = harness({ target: 'nowhere' });
    let ran = false;
    const step = defineStep({
      schema,
      loadConfig: ({ inputs }) => {
        if (inputs.target === 'nowhere') throw new ConfigError("Input 'target' is 'nowhere'. Name a real target.");
        return { target: inputs.target };
      },
      async run(_ctx, config) {
        ran = true;
        return { outputs: { done: config.target } };
      },
    });
    expect(await run(step, platform)).toBe(2);
    expect(ran).toBe(false);
    expect(io.err).toContain("Input 'target' is 'nowhere'");
  });
});

describe('parseArgs', () => {
  const step = makeStep(() => ({ outputs: {} }));
  it('takes --name value, --name=value and bare booleans', () => {
    expect(parseArgs(step.schema, ['--target', 'a b', '--wait=5s', '--dry-run']).flags).toEqual({
      target: 'a b',
      wait: '5s',
      'dry-run': 'true',
    });
    expect(parseArgs(step.schema, ['--dry-run', '--target', 'x', '--json']).flags['dry-run']).toBe('true');
    expect(parseArgs(step.schema, ['--dry-run', 'false']).flags['dry-run']).toBe('false');
  });
  it('rejects unknown flags with the closest name', () => {
    expect(() => parseArgs(step.schema, ['--taget', 'x'])).toThrow(
      "Unknown flag '--taget' for demo-step. Did you mean '--target'?",
    );
    expect(() => parseArgs(step.schema, ['--target'])).toThrow("Flag '--target' needs a value");
  });
  it('generates help from the schema', () => {
    const help = helpText(step.schema);
    expect(help).toContain('--target  (required)');
    expect(help).toContain('--wait  (default: 2s)');
    expect(help).toContain('How long to wait.');
    expect(help).toContain('done  true when done.');
  });
});

describe('cli', () => {
  const io = () => {
    const c = { out: '', err: '' };
    return { c, io: { env: {}, stdout: (t: string) => void (c.out += t), stderr: (t: string) => void (c.err += t) } };
  };
  it('dispatches by step name and suggests the closest on a typo', async () => {
    const made = makeStep(() => ({ outputs: { done: 'true' } }));
    const step = { schema: made.schema, load: async () => made };
    const a = io();
    expect(await cli([step], ['demo-stp', '--target', 'x'], a.io)).toBe(2);
    expect(a.c.err).toContain("Unknown step 'demo-stp'. Did you mean 'demo-step'?");
    const b = io();
    expect(await cli([step], ['demo-step', '--target', 'x', '--json'], b.io)).toBe(0);
    expect(JSON.parse(b.c.out)).toEqual({ done: 'true' });
    const h = io();
    expect(await cli([step], ['demo-step', '--help'], h.io)).toBe(0);
    expect(h.c.out).toContain('shipgate demo-step');
  });

  it('answers help, bad flags and bad inputs from the schema; the step code loads once the inputs parsed', async () => {
    const made = makeStep(() => ({ outputs: { done: 'true' } }));
    let loads = 0;
    const schema = { ...made.schema, cliListings: { 'list-things': 'Print the things.' } };
    const entry = {
      schema,
      load: async () => {
        loads++;
        return { ...made, listings: { 'list-things': (json: boolean) => (json ? '["a"]\n' : 'a\n') } };
      },
    };
    const h = io();
    expect(await runWithArgs(entry, ['--help'], h.io)).toBe(0);
    expect(h.c.out).toContain('--list-things');
    expect(h.c.out).toContain('Print the things.');
    expect(await runWithArgs(entry, ['--target'], io().io)).toBe(2);
    const missing = io();
    expect(await runWithArgs(entry, ['--json'], missing.io)).toBe(2);
    expect(missing.c.err).toContain("'target'");
    expect(loads).toBe(0);
    const listed = io();
    expect(await runWithArgs(entry, ['--list-things', '--json'], listed.io)).toBe(0);
    expect(listed.c.out).toBe('["a"]\n');
    expect(loads).toBe(1);
    const ran = io();
    expect(await runWithArgs(entry, ['--target', 'x', '--json'], ran.io)).toBe(0);
    expect(JSON.parse(ran.c.out)).toEqual({ done: 'true' });
    expect(loads).toBe(2);
  });
});
