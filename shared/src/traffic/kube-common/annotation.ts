// The record the Kubernetes backends keep on the object they route (Service, VirtualService, HTTPRoute): the colour
// traffic came from, in one annotation, so a rollback in another job finds it without a state file.
import type { KubeClient, KubeRef } from '../../kube/client.js';
import type { StoredSwitch, SwitchRecord, SwitchRecordStore } from '../record.js';

/** Annotation on the routed object that remembers the colour traffic came from, for rollback. */
export const PREVIOUS_ANNOTATION = 'shipgate.dev/previous-color';

export class AnnotationRecordStore implements SwitchRecordStore {
  readonly label = `${PREVIOUS_ANNOTATION} annotation`;
  readonly required = false;

  constructor(
    private readonly client: KubeClient,
    private readonly ref: KubeRef,
    /** The provider name, for the summary line (`… on the kubernetes object`). */
    private readonly provider: string,
  ) {}

  /** A write is a merge patch of an object the backend has read already: nothing to check ahead. */
  async checkWritable(): Promise<void> {}

  async read(): Promise<StoredSwitch | undefined> {
    const previous = (await this.client.get(this.ref)).metadata?.annotations?.[PREVIOUS_ANNOTATION] || undefined;
    return previous ? { previous } : undefined;
  }

  source(): string {
    return `the ${this.label}`;
  }

  /** Stores `record.previous` (merge patch, guarded by resourceVersion); the rest of the record has no place here. */
  async write({ previous }: SwitchRecord): Promise<string> {
    await this.client.modify(this.ref, (current) =>
      current.metadata?.annotations?.[PREVIOUS_ANNOTATION] === previous
        ? undefined
        : { type: 'merge', body: { metadata: { annotations: { [PREVIOUS_ANNOTATION]: previous } } } },
    );
    return `${PREVIOUS_ANNOTATION}=${previous} on the ${this.provider} object`;
  }
}
