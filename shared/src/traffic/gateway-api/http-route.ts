// Gateway API: an HTTPRoute whose rules send traffic to one Service per colour (backendRefs named
// `<service>-<colour>`, or as given in `backend-refs`). Weights move between those backendRefs; rules without them
// are left alone.
import { ConfigError } from '../../errors.js';
import type { KubeClient, KubeObject, KubeRef, KubeResource } from '../../kube/client.js';
import { WeightedKubeBackend, type WeightedList } from '../kube-common/weighted.js';

export const HTTP_ROUTE: KubeResource = {
  group: 'gateway.networking.k8s.io',
  versions: ['v1'],
  plural: 'httproutes',
  kind: 'HTTPRoute',
};

export class GatewayApiBackend extends WeightedKubeBackend {
  readonly provider = 'gateway-api';

  constructor(
    client: KubeClient,
    ref: KubeRef,
    colours: [string, string],
    private readonly refs: Record<string, string>,
  ) {
    super(client, ref, colours);
  }

  /** The colour a backendRef stands for: a core Service named after it. */
  private colourOf(ref: any): string | undefined {
    if ((ref?.group ?? '') !== '' || (ref?.kind ?? 'Service') !== 'Service') return undefined;
    return this.colours.find((c) => this.refs[c] === ref?.name);
  }

  protected lists(obj: KubeObject): WeightedList[] {
    const rules: any[] = Array.isArray(obj.spec?.rules) ? obj.spec.rules : [];
    const names = this.colours.map((c) => `${c}=${this.refs[c]}`).join(', ');
    const lists: WeightedList[] = [];
    rules.forEach((rule, i) => {
      const refs: any[] = Array.isArray(rule?.backendRefs) ? rule.backendRefs : [];
      if (!refs.some((r) => this.colourOf(r))) return;
      const label = `rules[${i}]${rule.name ? ` (${rule.name})` : ''}`;
      const others = refs.filter((r) => !this.colourOf(r));
      if (others.length) {
        throw new ConfigError(
          `${this.client.describe(this.ref)} ${label} also sends traffic to ${others.map((r) => `${r?.kind ?? 'Service'} ${r?.name}`).join(', ')}. ` +
            `Shipgate moves weights only between the colour backendRefs (${names}; input 'backend-refs'); give others a rule of their own.`,
        );
      }
      for (const c of this.colours) {
        if (refs.filter((r) => this.colourOf(r) === c).length > 1) {
          throw new ConfigError(
            `${this.client.describe(this.ref)} ${label} names backendRef '${this.refs[c]}' more than once; Shipgate needs one per colour.`,
          );
        }
      }
      lists.push({
        label,
        pointer: `/spec/rules/${i}/backendRefs`,
        entries: refs.map((r) => ({ colour: this.colourOf(r)!, weight: r.weight, raw: r })),
      });
    });
    if (!lists.length) {
      throw new ConfigError(
        `${this.client.describe(this.ref)} (input 'http-route') has no rule with a backendRef named after a colour (${names}). ` +
          `Set input 'backend-refs' (e.g. blue=web-blue,green=web-green) or 'service' to the prefix of their names.`,
      );
    }
    return lists;
  }

  /** Gateway API: weight defaults to 1 and is relative to the rule's other backendRefs. */
  protected implicitWeight(): number {
    return 1;
  }

  protected entry(template: any, colour: string, weight: number): unknown {
    return { ...template, name: this.refs[colour], weight };
  }
}
