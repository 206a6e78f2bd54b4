// What the Istio and Gateway API backends share: an object holding lists of weighted destinations (VirtualService
// http[].route[], HTTPRoute rules[].backendRefs[]), some of which are the two colours. Reading turns each list into
// percentages; a change is a JSON patch that sets the colours' weights (and adds a colour's entry when a list lacks
// it), sent with the read resourceVersion as a precondition.
import { ExternalError } from '../../errors.js';
import type { TrafficBackend, TrafficState, Weights } from '../backend.js';
import { leader, percentages } from '../weights.js';
import { AnnotationRecordStore } from './annotation.js';
import {
  guarded,
  type JsonPatchOp,
  type KubeClient,
  type KubeObject,
  type KubePatch,
  type KubeRef,
} from '../../kube/client.js';

/** One list of weighted destinations in the routed object. */
export interface WeightedList {
  /** Where it is, for people: `http[0]`, `rules[1]`. */
  label: string;
  /** JSON pointer of the array, e.g. `/spec/http/0/route`. */
  pointer: string;
  /** Colour of each entry (only colour entries are listed; others make the object unusable), and its weight as written. */
  entries: { colour: string; weight: number | undefined; raw: any }[];
}

const sameWeights = (a: Weights, b: Weights, colours: string[]) => colours.every((c) => (a[c] ?? 0) === (b[c] ?? 0));
const show = (w: Weights, colours: string[]) => colours.map((c) => `${c} ${w[c] ?? 0}`).join(', ');

/** A bug in the caller, not the user's input: targets are built by the step from validated `steps`. */
export function checkTarget(target: Weights, colours: string[]): void {
  const keys = Object.keys(target);
  const ok =
    keys.every((k) => colours.includes(k)) &&
    colours.every((c) => Number.isInteger(target[c] ?? 0) && (target[c] ?? 0) >= 0);
  if (!ok || colours.reduce((s, c) => s + (target[c] ?? 0), 0) !== 100) {
    throw new Error(
      `Target weights ${JSON.stringify(target)} must give ${colours.join(' and ')} whole percentages that sum to 100.`,
    );
  }
}

export abstract class WeightedKubeBackend implements TrafficBackend {
  abstract readonly provider: string;
  readonly selectorOnly = false;
  /** Made on first use: `provider` is set by the subclass after this constructor ran. */
  private store?: AnnotationRecordStore;

  constructor(
    protected readonly client: KubeClient,
    protected readonly ref: KubeRef,
    protected readonly colours: [string, string],
  ) {}

  get records(): AnnotationRecordStore {
    return (this.store ??= new AnnotationRecordStore(this.client, this.ref, this.provider));
  }

  /** The object's colour lists; throws ConfigError when it routes the colours in a way Shipgate cannot move. */
  protected abstract lists(obj: KubeObject): WeightedList[];
  /** Weight an entry without one counts as, in a list of `size` entries. */
  protected abstract implicitWeight(size: number): number;
  /** A new entry for `colour`, copied from another colour's entry. */
  protected abstract entry(template: any, colour: string, weight: number): unknown;

  /** Percent per colour in one list: weights are relative, and an entry without one counts as implicitWeight. */
  private percent(list: WeightedList): Weights {
    const raw: Weights = Object.fromEntries(this.colours.map((c) => [c, 0]));
    for (const e of list.entries) raw[e.colour] += e.weight ?? this.implicitWeight(list.entries.length);
    return percentages(raw, this.colours);
  }

  private state(obj: KubeObject): TrafficState {
    const lists = this.lists(obj);
    const per = lists.map((l) => this.percent(l));
    const weights = per[0];
    const details = lists.map((l, i) => `${this.client.describe(this.ref)} ${l.label}: ${show(per[i], this.colours)}`);
    if (per.some((w) => !sameWeights(w, weights, this.colours)))
      details.push(`The routes disagree; the first one (${lists[0].label}) is reported.`);
    return { active: leader(weights, this.colours), weights, details };
  }

  async active(): Promise<TrafficState> {
    return this.state(await this.client.get(this.ref));
  }

  /** The JSON patch that makes every colour list route `target`; undefined when all already do. */
  private change(obj: KubeObject, target: Weights): KubePatch | undefined {
    const ops: JsonPatchOp[] = [];
    for (const list of this.lists(obj)) {
      const missing = this.colours.filter((c) => !list.entries.some((e) => e.colour === c) && (target[c] ?? 0) > 0);
      if (!missing.length && sameWeights(this.percent(list), target, this.colours)) continue;
      // Every colour entry gets an explicit weight: an implicit one would change meaning once the list grows.
      list.entries.forEach((e, i) =>
        ops.push({ op: 'add', path: `${list.pointer}/${i}/weight`, value: target[e.colour] ?? 0 }),
      );
      for (const c of missing)
        ops.push({ op: 'add', path: `${list.pointer}/-`, value: this.entry(list.entries[0].raw, c, target[c]) });
    }
    return ops.length ? { type: 'json', ops } : undefined;
  }

  async plan(target: Weights): Promise<string[]> {
    checkTarget(target, this.colours);
    const obj = await this.client.get(this.ref);
    const before = this.state(obj);
    const patch = this.change(obj, target);
    if (!patch) return [`${this.client.describe(this.ref)} already routes ${show(target, this.colours)}: no change.`];
    return [
      `${this.client.describe(this.ref)}: ${show(before.weights, this.colours)} → ${show(target, this.colours)}`,
      this.client.command(this.ref, guarded(patch, obj)),
    ];
  }

  async apply(target: Weights): Promise<void> {
    checkTarget(target, this.colours);
    await this.client.modify(this.ref, (obj) => this.change(obj, target));
  }

  async verify(target: Weights): Promise<TrafficState> {
    const obj = await this.client.get(this.ref);
    const state = this.state(obj);
    const wrong = this.lists(obj).filter((l) => !sameWeights(this.percent(l), target, this.colours));
    if (wrong.length) {
      throw new ExternalError(
        `${this.client.describe(this.ref)} does not route ${show(target, this.colours)} after the change: ${wrong.map((l) => `${l.label} has ${show(this.percent(l), this.colours)}`).join('; ')}.`,
      );
    }
    return state;
  }
}
