/** EventService subscriptions (EventDestination resources) kept in memory. */

export interface SubscriptionRecord {
  readonly id: string;
  readonly destination: string;
  readonly context: string | null;
  readonly protocol: 'Redfish';
  readonly subscriptionType: 'RedfishEvent';
  readonly eventFormatType: 'Event' | 'MetricReport';
  readonly eventTypes: readonly string[] | undefined;
  readonly registryPrefixes: readonly string[];
  readonly resourceTypes: readonly string[];
  readonly originResources: readonly string[];
  /** Sent with each event; write-only, never shown in a GET (DSP0266). */
  readonly httpHeaders: readonly Readonly<Record<string, string>>[];
  readonly createdTime: string;
}

export type NewSubscription = Omit<SubscriptionRecord, 'id' | 'createdTime'>;

export class SubscriptionStore {
  /** Events sent to subscribers (SubmitTestEvent), and sends that failed. */
  readonly deliveries = { delivered: 0, failed: 0 };
  readonly #stopDeliveries = new AbortController();

  /** Aborted at close: sends still under way stop. */
  get deliveriesStopped(): AbortSignal {
    return this.#stopDeliveries.signal;
  }

  close(): void {
    this.#stopDeliveries.abort();
  }
  readonly #byId = new Map<string, SubscriptionRecord>();
  #nextId = 1;

  create(subscription: NewSubscription): SubscriptionRecord {
    const record: SubscriptionRecord = {
      ...subscription,
      id: String(this.#nextId++),
      createdTime: new Date().toISOString(),
    };
    this.#byId.set(record.id, record);
    return record;
  }

  get(id: string): SubscriptionRecord | undefined {
    return this.#byId.get(id);
  }

  list(): SubscriptionRecord[] {
    return [...this.#byId.values()];
  }

  delete(id: string): boolean {
    return this.#byId.delete(id);
  }
}
