import { describe, expect, it } from 'vitest';
import { parseServersState, socketAddress } from '../../shared/src/traffic/haproxy/haproxy.js';
import { parseInputs } from '../../shared/src/inputs.js';
import { providers, trafficInputs } from '../../shared/src/traffic/index.js';
import { describeWeights, leader, percentages, weightsFor } from '../../shared/src/traffic/weights.js';

// `show servers state web` from HAProxy 2.6: blue live, green disabled in the config and then drained.
const STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 web 1 blue 127.0.0.1 2 0 100 100 0 1 0 2 0 0 0 0 - 45101 - 0 0 - - 0
3 web 2 green 127.0.0.1 2 12 30 0 0 1 0 0 8 0 0 0 - 46859 - 0 0 - - 0

`;

describe('HAProxy runtime API parsing', () => {
  it('reads server name, operational and admin state and weight by column name', () => {
    expect(parseServersState(STATE)).toEqual([
      { name: 'blue', op: 2, admin: 0, weight: 100 },
      { name: 'green', op: 2, admin: 12, weight: 30 },
    ]);
  });

  it('rejects an answer that is not format version 1', () => {
    expect(() => parseServersState("Can't find backend.\n")).toThrow(/unexpected answer: Can't find backend/);
    expect(() => parseServersState('')).toThrow(/\(empty\)/);
  });

  it('tells a unix socket path from host:port', () => {
    expect(socketAddress('/run/haproxy/admin.sock')).toEqual({ path: '/run/haproxy/admin.sock' });
    expect(socketAddress('./admin.sock')).toEqual({ path: './admin.sock' });
    expect(socketAddress('127.0.0.1:9999')).toEqual({ host: '127.0.0.1', port: 9999 });
    expect(socketAddress('lb.internal:9999')).toEqual({ host: 'lb.internal', port: 9999 });
    expect(socketAddress('[::1]:9999')).toEqual({ host: '::1', port: 9999 });
  });
});

describe('weights', () => {
  const colors = ['blue', 'green'] as const;
  it('turns router weights into percentages that sum to 100', () => {
    expect(percentages({ blue: 1, green: 3 }, colors)).toEqual({ blue: 25, green: 75 });
    expect(percentages({ blue: 2, green: 1 }, colors)).toEqual({ blue: 67, green: 33 });
    expect(percentages({ blue: 0, green: 0 }, colors)).toEqual({ blue: 0, green: 0 });
    expect(percentages({ green: 7 }, colors)).toEqual({ blue: 0, green: 100 });
  });

  it('builds a step in the order of the colours, names the leader, and describes it', () => {
    expect(Object.entries(weightsFor(colors, 'green', 10))).toEqual([
      ['blue', 90],
      ['green', 10],
    ]);
    expect(leader({ blue: 90, green: 10 }, colors)).toBe('blue');
    expect(leader({ blue: 50, green: 50 }, colors)).toBeUndefined();
    expect(describeWeights({ blue: 90, green: 10 })).toBe('blue 90 % · green 10 %');
  });
});

describe('backend registry', () => {
  const parse = (provider: string, given: Record<string, string>) =>
    providers[provider].parse(
      parseInputs(trafficInputs, (n) => given[n]),
      { colors: ['blue', 'green'], env: () => undefined },
    );
  const required = (provider: string, inputs: string[]) =>
    inputs
      .map((i) => `Input '${i}' is required with provider '${provider}'. Set it, or pick the provider you run.`)
      .join('\n');
  it('names each missing input as the user spells it, per colour for addresses', () => {
    expect(() => parse('haproxy', {})).toThrow(required('haproxy', ['haproxy-socket', 'haproxy-backend']));
    expect(() =>
      parse('nginx', { 'nginx-upstream-file': 'f', 'nginx-upstream': 'web', 'blue-address': 'a:1' }),
    ).toThrow(required('nginx', ['green-address']));
    expect(parse('haproxy', { 'haproxy-socket': 's', 'haproxy-backend': 'b' })).toEqual({
      colors: ['blue', 'green'],
      socket: 's',
      backend: 'b',
    });
  });

  it('registers every factory under its own name', () => {
    for (const [name, factory] of Object.entries(providers)) expect(factory.name).toBe(name);
  });
});
