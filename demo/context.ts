// What demo/run.ts hands each part of the demo.
import type { Server } from 'node:net';

/** A finished `shipgate` run. */
export interface ShipgateRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The helpers one part of the demo gets: its workspace, its step headings, servers and cleanups, and the CLI. */
export interface DemoContext {
  /** The part's own workspace, the working directory of every `shipgate` run. */
  work: string;
  /** Prints the next numbered heading of this part. */
  step(text: string): void;
  /** Registers a server for cleanup and resolves the loopback port it listens on. */
  listen(server: Server): Promise<number>;
  /** Registers any other cleanup (a daemon's stop). */
  onExit(fn: () => unknown): void;
  /** Runs `shipgate <args>` as a GitLab job would, echoing its output. */
  shipgate(args: string[], env?: Record<string, string>): Promise<ShipgateRun>;
}

export type DemoPart = (ctx: DemoContext) => Promise<void>;
