import { describe, expect, it } from 'vitest';
import { parseDuration, formatDuration } from '../../shared/src/duration.js';
import { ConfigError } from '../../shared/src/errors.js';
import { parseBoolean, notOneOf, parseInputs } from '../../shared/src/inputs.js';

describe('durations', () => {
  it('parse units and compounds', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('0')).toBe(0);
  });
  it('reject what is not a duration', () => {
    for (const bad of ['60', 's', '5 s', '-1s', '1d', '1s2', 'abc']) expect(parseDuration(bad), bad).toBeUndefined();
  });
  it('format for people', () => {
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(1234)).toBe('1.2s');
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(125_000)).toBe('2m5s');
  });
});

describe('booleans', () => {
  it('follow the YAML 1.2 core schema', () => {
    expect(['true', 'True', 'TRUE'].map(parseBoolean)).toEqual([true, true, true]);
    expect(['false', 'False', 'FALSE'].map(parseBoolean)).toEqual([false, false, false]);
    expect(['yes', 'on', '1', 'tRUE'].map(parseBoolean)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('parseInputs', () => {
  const schema = {
    name: { type: 'string', description: 'n', required: true },
    flag: { type: 'boolean', default: 'true', description: 'f' },
    wait: { type: 'duration', default: '30s', description: 'w' },
    count: { type: 'integer', default: '16', min: 1, description: 'c' },
    mode: { type: 'enum', options: ['a', 'b'], default: 'a', description: 'm' },
    list: { type: 'lines', description: 'l' },
    optional: { type: 'integer', description: 'o' },
  } as const;

  it('applies defaults when an input is absent or empty', () => {
    const v = parseInputs(schema, (n) => ({ name: 'x', flag: '' })[n]);
    expect(v).toEqual({ name: 'x', flag: true, wait: 30_000, count: 16, mode: 'a', list: [], optional: undefined });
  });

  it('parses given values', () => {
    const raw: Record<string, string> = {
      name: 'x',
      flag: 'False',
      wait: '500ms',
      count: '3',
      mode: 'b',
      list: ' a\n\n b \r\nc',
    };
    expect(parseInputs(schema, (n) => raw[n])).toMatchObject({
      flag: false,
      wait: 500,
      count: 3,
      mode: 'b',
      list: ['a', 'b', 'c'],
    });
  });

  it('reports every bad input at once, naming input, value and the accepted form', () => {
    const raw: Record<string, string> = { flag: 'yes', wait: '60', count: '0', mode: 'c' };
    let err: unknown;
    try {
      parseInputs(schema, (n) => raw[n]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message.split('\n')).toEqual([
      "Input 'name' is required: n",
      "Input 'flag' is 'yes'. Expected true or false.",
      "Input 'wait' is '60'. Expected a duration such as 500ms, 30s, 2m or 1h.",
      "Input 'count' is '0'. Expected a whole number of at least 1.",
      "Input 'mode' is 'c'. Expected one of: a, b.",
    ]);
  });
});

describe('a value that is not one of the options', () => {
  it('names the option it nearly is, and guesses nothing from a one-letter value or a far miss', () => {
    const options = ['kubernetes', 'istio', 'gateway-api', 'haproxy', 'nginx'];
    expect(notOneOf('provider', 'haproxxy', options).message).toBe(
      "Input 'provider' is 'haproxxy'. Expected one of: kubernetes, istio, gateway-api, haproxy, nginx. Did you mean 'haproxy'?",
    );
    expect(notOneOf('provider', 'h', options).message).not.toContain('Did you mean');
    expect(notOneOf('provider', 'traefik', options).message).not.toContain('Did you mean');
  });

  it('is what an enum input says when parsed', () => {
    const schema = {
      provider: { type: 'enum', options: ['blue-green', 'kubernetes'], required: true, description: 'd' },
    } as const;
    expect(() => parseInputs(schema, () => 'blue-grene')).toThrow(
      "Expected one of: blue-green, kubernetes. Did you mean 'blue-green'?",
    );
  });
});
