import { healthUrlInputs } from '../../../shared/src/http/health-urls.js';
import type { StepSchema } from '../../../shared/src/inputs.js';
import { providerNames, trafficInputs } from '../../../shared/src/traffic/index.js';

export const schema = {
  name: 'blue-green-switch',
  changes: 'deploy',
  title:
    'Move production traffic between two colours, with health gates, weighted steps, metric analysis and automatic revert',
  description:
    'Reads which colour a router sends traffic to, health-gates the other colour, moves traffic to it (all at once or in weighted steps), checks the router, the health and an optional Prometheus query after every step, and reverts to the previous colour by itself when a check fails.',
  inputs: {
    provider: {
      type: 'enum',
      required: true,
      options: providerNames,
      description: 'The router that carries the traffic (see Backends in the README).',
    },
    target: {
      type: 'string',
      default: 'auto',
      description:
        'Colour to move traffic to: `auto` picks the idle one, or a colour from `colors`. Switching to the active colour does nothing.',
    },
    'health-url': {
      type: 'string',
      description:
        'Health endpoint of the target colour; `{color}` is replaced by its name (e.g. `http://green.internal/healthz` or `http://{color}.internal/healthz`). Colours on different ports: `health-url-blue` / `health-url-green`. Empty skips health checks.',
    },
    ...healthUrlInputs,
    'healthy-threshold': {
      type: 'integer',
      default: '3',
      min: 1,
      description: 'Consecutive 2xx answers that make a colour healthy.',
    },
    'health-timeout': {
      type: 'duration',
      default: '60s',
      description: 'How long the target may take to become healthy before any traffic moves.',
    },
    'dry-run': {
      type: 'boolean',
      default: 'false',
      description: 'Print the exact change for every step and stop before applying it.',
    },
    steps: {
      type: 'string',
      default: '100',
      description:
        'Percent of traffic on the target after each step, ascending, ending at 100 (e.g. `10,50,100`). Selector backends (kubernetes) accept only `100`.',
    },
    'step-interval': {
      type: 'duration',
      default: '30s',
      description: "How long each step runs before its checks pass; the target's health is watched during it.",
    },
    'prometheus-url': {
      type: 'string',
      description:
        'Prometheus base URL for the analysis query (e.g. `http://prometheus:9090`); bearer token from `PROMETHEUS_TOKEN`.',
    },
    'analysis-query': {
      type: 'string',
      description:
        'PromQL evaluated after every step as an instant query; it must return exactly one sample. Errors, no data and NaN fail the step.',
    },
    'analysis-max': {
      type: 'string',
      description: 'The analysis value must be at most this (e.g. `0.01` for an error rate).',
    },
    'analysis-min': {
      type: 'string',
      description: 'The analysis value must be at least this (e.g. `0.99` for a success rate).',
    },
    'state-file': {
      type: 'string',
      description:
        'Path of a JSON file recording the switch for rollback (`active`, `previous`, `weights`, `time`, `who`); written after a successful switch.',
    },
    ...trafficInputs,
  },
  outputs: {
    active: { description: 'The colour that has the traffic when the step ends.' },
    previous: { description: 'The colour traffic was moved away from (the one a rollback returns to).' },
    switched: {
      type: 'boolean',
      description:
        '`true` when traffic now goes to the target, `false` for a no-op, a dry run, a failed gate or a revert.',
    },
    reverted: {
      type: 'boolean',
      description: '`true` when a check failed after traffic moved and Shipgate moved it back.',
    },
    weights: {
      type: 'json',
      description: 'Percent of traffic per colour at the end, as JSON, e.g. `{"blue":0,"green":100}`.',
    },
  },
} as const satisfies StepSchema;
