// Kubernetes Service: traffic goes to the Pods the Service selects, so switching is one merge patch of
// `spec.selector.<selector-key>`. A selector picks one colour at a time: weighted steps are impossible here.
import { ConfigError, ExternalError } from '../../errors.js';
import type { TrafficBackend, TrafficState, Weights } from '../backend.js';
import { guarded, type KubeClient, type KubeObject, type KubePatch, type KubeRef } from '../../kube/client.js';
import { AnnotationRecordStore } from '../kube-common/annotation.js';
import { checkTarget } from '../kube-common/weighted.js';

export class ServiceSelectorBackend implements TrafficBackend {
  readonly provider = 'kubernetes';
  readonly selectorOnly = true;
  readonly records: AnnotationRecordStore;

  constructor(
    private readonly client: KubeClient,
    private readonly ref: KubeRef,
    private readonly colours: [string, string],
    private readonly key: string,
  ) {
    this.records = new AnnotationRecordStore(client, ref, this.provider);
  }

  private selected(obj: KubeObject): string | undefined {
    return (obj.spec?.selector as Record<string, string> | undefined)?.[this.key];
  }

  private state(obj: KubeObject): TrafficState {
    const value = this.selected(obj);
    const active = this.colours.find((c) => c === value);
    const selector = Object.entries((obj.spec?.selector ?? {}) as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const details = [`${this.client.describe(this.ref)} selector: ${selector || '(none)'}`];
    if (!active)
      details.push(
        value === undefined
          ? `The selector has no '${this.key}' key (input 'selector-key').`
          : `'${this.key}=${value}' is not one of ${this.colours.join(', ')} (input 'colors').`,
      );
    return { active, weights: Object.fromEntries(this.colours.map((c) => [c, c === active ? 100 : 0])), details };
  }

  /** The one colour `target` sends everything to. */
  private only(target: Weights): string {
    checkTarget(target, this.colours);
    const colour = this.colours.find((c) => target[c] === 100);
    if (!colour) {
      throw new ConfigError(
        `Provider 'kubernetes' switches a Service selector, which sends all traffic to one colour: ${JSON.stringify(target)} cannot be routed. Use input 'steps: 100', or provider 'istio' or 'gateway-api' for weighted steps.`,
      );
    }
    return colour;
  }

  private change(obj: KubeObject, colour: string): KubePatch | undefined {
    return this.selected(obj) === colour
      ? undefined
      : { type: 'merge', body: { spec: { selector: { [this.key]: colour } } } };
  }

  async active(): Promise<TrafficState> {
    return this.state(await this.client.get(this.ref));
  }

  async plan(target: Weights): Promise<string[]> {
    const colour = this.only(target);
    const obj = await this.client.get(this.ref);
    const patch = this.change(obj, colour);
    if (!patch) return [`${this.client.describe(this.ref)} already selects ${this.key}=${colour}: no change.`];
    return [
      `${this.client.describe(this.ref)} selector ${this.key}: ${this.selected(obj) ?? '(absent)'} → ${colour}`,
      this.client.command(this.ref, guarded(patch, obj)),
    ];
  }

  async apply(target: Weights): Promise<void> {
    const colour = this.only(target);
    await this.client.modify(this.ref, (obj) => this.change(obj, colour));
  }

  async verify(target: Weights): Promise<TrafficState> {
    const colour = this.only(target);
    const state = this.state(await this.client.get(this.ref));
    if (state.active !== colour) {
      throw new ExternalError(
        `${this.client.describe(this.ref)} does not select ${this.key}=${colour} after the switch: ${state.details.join(' ')}`,
      );
    }
    return state;
  }
}
