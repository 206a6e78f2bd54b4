/**
 * A step's outputs as they become known. run() sets them on the platform when the step returns and also when it
 * throws, so an error after something changed still says what changed, and no step catches an error to do it.
 */
export class OutputSink {
  private readonly values = new Map<string, string>();
  private readonly live: (() => Record<string, string> | undefined)[] = [];

  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  /**
   * Outputs read from the step's own state when it ends, however it ends: an outcome the flow fills in as it goes.
   * `undefined` while there is nothing to say yet (an error before the first change leaves the outputs unset).
   */
  track(read: () => Record<string, string> | undefined): void {
    this.live.push(read);
  }

  /** What was set, then what the tracked state says now; a later value wins. */
  collect(): Record<string, string> {
    const out = Object.fromEntries(this.values);
    for (const read of this.live) Object.assign(out, read() ?? {});
    return out;
  }
}
