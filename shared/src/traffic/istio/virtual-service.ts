// Istio: a VirtualService whose HTTP routes send traffic to destinations whose `subset` is a colour (subsets defined
// in a DestinationRule). Weights move between those destinations; routes without colour subsets are left alone.
import { ConfigError } from '../../errors.js';
import type { KubeObject, KubeResource } from '../../kube/client.js';
import { WeightedKubeBackend, type WeightedList } from '../kube-common/weighted.js';

/** networking.istio.io serves VirtualService as v1 since Istio 1.22; older control planes only as v1beta1. */
export const VIRTUAL_SERVICE: KubeResource = {
  group: 'networking.istio.io',
  versions: ['v1', 'v1beta1'],
  plural: 'virtualservices',
  kind: 'VirtualService',
};

export class IstioBackend extends WeightedKubeBackend {
  readonly provider = 'istio';

  protected lists(obj: KubeObject): WeightedList[] {
    const http: any[] = Array.isArray(obj.spec?.http) ? obj.spec.http : [];
    const lists: WeightedList[] = [];
    http.forEach((route, i) => {
      const dests: any[] = Array.isArray(route?.route) ? route.route : [];
      if (!dests.some((d) => this.colours.includes(d?.destination?.subset))) return;
      const label = `http[${i}]${route.name ? ` (${route.name})` : ''}`;
      const others = dests.filter((d) => !this.colours.includes(d?.destination?.subset));
      if (others.length) {
        throw new ConfigError(
          `${this.client.describe(this.ref)} ${label} also routes to ${others.map((d) => `${d?.destination?.host}/${d?.destination?.subset ?? '(no subset)'}`).join(', ')}. ` +
            `Shipgate moves weights only between subsets ${this.colours.join(' and ')} (input 'colors'); give those a route of their own.`,
        );
      }
      for (const c of this.colours) {
        if (dests.filter((d) => d.destination.subset === c).length > 1) {
          throw new ConfigError(
            `${this.client.describe(this.ref)} ${label} has more than one destination with subset '${c}'; Shipgate needs one per colour.`,
          );
        }
      }
      lists.push({
        label,
        pointer: `/spec/http/${i}/route`,
        entries: dests.map((d) => ({ colour: d.destination.subset, weight: d.weight, raw: d })),
      });
    });
    if (!lists.length) {
      throw new ConfigError(
        `${this.client.describe(this.ref)} (input 'virtual-service') has no http route to a destination with subset ${this.colours.join(' or ')} (input 'colors'). ` +
          `Add one, e.g. route: [{destination: {host: web, subset: ${this.colours[0]}}}].`,
      );
    }
    return lists;
  }

  /** Istio: a lone destination gets all traffic; among several, one without a weight gets none. */
  protected implicitWeight(size: number): number {
    return size === 1 ? 100 : 0;
  }

  protected entry(template: any, colour: string, weight: number): unknown {
    return { ...template, destination: { ...template.destination, subset: colour }, weight };
  }
}
