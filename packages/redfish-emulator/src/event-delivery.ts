/**
 * Sends events to subscribers: one POST of an Event document per subscription, best effort (no
 * retries), never holding up the request that caused it.
 */
import type { SubscriptionRecord } from './subscriptions';

export interface EventRecord {
  readonly EventId: string;
  readonly EventTimestamp: string;
  readonly EventType: string;
  readonly MessageId: string;
  readonly Message?: string;
  readonly MessageArgs?: readonly string[];
  readonly Severity?: string;
  readonly OriginOfCondition?: { readonly '@odata.id': string };
}

export interface DeliveryCounts {
  delivered: number;
  failed: number;
}

let nextEventDocumentId = 1;

export function eventDocument(subscription: SubscriptionRecord, event: EventRecord): object {
  return {
    '@odata.type': '#Event.v1_7_0.Event',
    Id: String(nextEventDocumentId++),
    Name: 'Event Array',
    Context: subscription.context,
    Events: [event],
  };
}

export function subscribedTo(subscription: SubscriptionRecord, event: EventRecord): boolean {
  return subscription.eventTypes === undefined || subscription.eventTypes.includes(event.EventType);
}

export async function deliver(
  subscription: SubscriptionRecord,
  event: EventRecord,
  counts: DeliveryCounts,
  stop: AbortSignal,
): Promise<void> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  for (const extra of subscription.httpHeaders) Object.assign(headers, extra);
  try {
    const res = await fetch(subscription.destination, {
      method: 'POST',
      headers,
      body: JSON.stringify(eventDocument(subscription, event)),
      signal: AbortSignal.any([stop, AbortSignal.timeout(5000)]),
    });
    await res.arrayBuffer();
    if (res.ok) counts.delivered += 1;
    else counts.failed += 1;
  } catch {
    counts.failed += 1;
  }
}
