// provider blue-green: send all traffic back to the colour blue-green-switch moved away from, through the same
// backend modules (shared/src/traffic), and leave the swap where the next switch or rollback finds it.
import { ConfigError, errorMessage } from '../../../shared/src/errors.js';
import { firstRecord, writeRecords } from '../../../shared/src/traffic/record.js';
import { whoRuns } from '../../../shared/src/traffic/state-file.js';
import { describeWeights, weightsFor } from '../../../shared/src/traffic/weights.js';
import type { BlueGreenConfig, Ctx } from './config.js';
import type { Applied, Candidates, Resolved, RollbackProvider } from './provider.js';
import type { TargetSpec } from './to.js';

export class BlueGreenProvider implements RollbackProvider {
  readonly gateBefore = true;
  readonly label: string;

  constructor(
    private readonly cfg: BlueGreenConfig,
    private readonly to: TargetSpec,
    private readonly ctx: Ctx,
  ) {
    this.label = `blue-green via ${cfg.backendName}`;
  }

  private other(colour: string): string {
    return this.cfg.colors[0] === colour ? this.cfg.colors[1] : this.cfg.colors[0];
  }

  /** The colour to return to and where that came from. */
  private async target(): Promise<{ colour: string; source: string }> {
    const { records, backend, backendName, colors } = this.cfg;
    if (this.to.kind === 'colour') return { colour: this.to.colour, source: "input 'to'" };
    const found = await firstRecord(records);
    if (!found) {
      // config refused a rollback with neither a state file nor a backend that keeps a record
      throw new ConfigError(
        `Nothing to roll back to: the ${backendName} object has no ${backend.records?.label ?? 'record'} (blue-green-switch writes it after a switch) and input 'state-file' is empty. Set 'to' to ${colors.join(' or ')}.`,
      );
    }
    const colour = found.record.previous;
    if (!colors.includes(colour)) {
      throw new ConfigError(
        `The ${found.store.label} says '${colour}', which is not one of 'colors' (${colors.join(', ')}). Set 'colors' as blue-green-switch had it, or set 'to'.`,
      );
    }
    return { colour, source: found.store.source(found.record) };
  }

  async resolve(): Promise<Resolved> {
    const before = await this.cfg.backend.active();
    const { colour, source } = await this.target();
    const noop = before.weights[colour] === 100;
    const details = [`${this.cfg.backendName} routes ${describeWeights(before.weights)}`, ...before.details];
    return { from: noop ? colour : this.other(colour), to: colour, colour, source, noop, details };
  }

  changes(r: Resolved): Promise<string[]> {
    return this.cfg.backend.plan(weightsFor(this.cfg.colors, r.to, 100));
  }

  async apply(r: Resolved): Promise<Applied> {
    const { backend, colors } = this.cfg;
    const { clock } = this.ctx;
    const weights = weightsFor(colors, r.to, 100);
    const start = clock.now();
    await backend.apply(weights);
    try {
      const state = await backend.verify(weights);
      return {
        ok: true,
        reason: `read back: ${describeWeights(state.weights)}`,
        lines: state.details,
        elapsedMs: clock.now() - start,
      };
    } catch (err) {
      return {
        ok: false,
        reason: `the router does not route what was applied: ${errorMessage(err)}`,
        lines: [],
        elapsedMs: clock.now() - start,
      };
    }
  }

  async record(r: Resolved): Promise<string[]> {
    const { platform } = this.ctx;
    // apply() read these weights back from the router before record() runs
    const weights = weightsFor(this.cfg.colors, r.to, 100);
    const record = {
      active: r.to,
      previous: r.from,
      weights,
      time: new Date().toISOString(),
      who: whoRuns(platform.job),
    };
    return writeRecords(this.cfg.records, record, (message) => platform.warning(message), false);
  }

  async candidates(): Promise<Candidates> {
    const { backend, backendName, colors, records, stateFile } = this.cfg;
    const now = await backend.active();
    const record = (await firstRecord(records))?.record;
    const previous = record?.previous;
    const rows = colors.map((c) => {
      const was =
        record?.time && c === record.active
          ? `active since ${record.time} (${record.who})`
          : c === previous
            ? 'previous: the rollback target'
            : '';
      return { cells: [c, `${now.weights[c] ?? 0} %`, was], current: c === now.active, target: c === previous };
    });
    const from = stateFile ? `${stateFile} and ${backendName}` : backendName;
    return { header: ['COLOUR', 'TRAFFIC', 'STATE'], rows, source: from };
  }

  async describeNow(): Promise<string> {
    const state = await this.cfg.backend.active();
    return `${this.cfg.backendName} routes ${describeWeights(state.weights)}`;
  }
}
