/** EventService subscriptions (EventDestination resources): create, list, read, delete. */
import type { Connection } from './connection';
import { RedfishProtocolError, RedfishUnsupportedError } from './errors';
import { getMembers, getResource } from './navigation';
import { linkOf } from './resources';
import type { EventDestination, EventService, ServiceRoot } from './resources';

export interface SubscriptionRequest {
  /** URL the BMC POSTs events to. */
  readonly destination: string;
  /** Default `Redfish`. */
  readonly protocol?: string;
  /** Opaque string the BMC returns in every event. */
  readonly context?: string;
  readonly eventTypes?: readonly string[];
  readonly registryPrefixes?: readonly string[];
  readonly resourceTypes?: readonly string[];
  /** Headers the BMC sends with events (often a secret for the receiver): never logged. */
  readonly httpHeaders?: Readonly<Record<string, string>>;
}

export interface CreatedSubscription {
  /** Path of the new EventDestination. */
  readonly path: string;
  /** The EventDestination as the BMC answered or, when it answered no body, as read back. */
  readonly subscription: EventDestination;
}

async function subscriptionsPath(conn: Connection, root: ServiceRoot): Promise<string> {
  const servicePath = linkOf(root.EventService);
  if (!servicePath) {
    throw new RedfishUnsupportedError('the service offers no EventService', {
      target: conn.target,
    });
  }
  const service = await getResource<EventService>(conn, servicePath);
  const link = linkOf(service.Subscriptions);
  if (!link) {
    throw new RedfishUnsupportedError('the EventService has no Subscriptions collection', {
      target: conn.target,
      path: servicePath,
    });
  }
  return link;
}

export async function createSubscription(
  conn: Connection,
  root: ServiceRoot,
  request: SubscriptionRequest,
): Promise<CreatedSubscription> {
  for (const value of Object.values(request.httpHeaders ?? {})) conn.redactor.add(value);
  const collection = await subscriptionsPath(conn, root);
  const body: Record<string, unknown> = {
    Destination: request.destination,
    Protocol: request.protocol ?? 'Redfish',
  };
  if (request.context !== undefined) body.Context = request.context;
  if (request.eventTypes) body.EventTypes = request.eventTypes;
  if (request.registryPrefixes) body.RegistryPrefixes = request.registryPrefixes;
  if (request.resourceTypes) body.ResourceTypes = request.resourceTypes;
  if (request.httpHeaders) {
    body.HttpHeaders = Object.entries(request.httpHeaders).map(([k, v]) => ({ [k]: v }));
  }
  // Not resent: a second POST would create a second subscription.
  const response = await conn.request<EventDestination>('POST', collection, {
    body,
    idempotent: false,
  });
  const path = response.location ?? linkOf(response.body);
  if (!path) {
    throw new RedfishProtocolError('subscription created without a Location', {
      target: conn.target,
      method: 'POST',
      path: collection,
      status: response.status,
    });
  }
  const subscription =
    response.body && typeof response.body === 'object'
      ? response.body
      : await getResource<EventDestination>(conn, path);
  return { path: conn.resolvePath(path), subscription };
}

export async function listSubscriptions(
  conn: Connection,
  root: ServiceRoot,
): Promise<EventDestination[]> {
  return getMembers<EventDestination>(conn, await subscriptionsPath(conn, root));
}

export function getSubscription(conn: Connection, path: string): Promise<EventDestination> {
  return getResource<EventDestination>(conn, path);
}

/** Deletes a subscription; one already gone (404) counts as deleted. */
export async function deleteSubscription(conn: Connection, path: string): Promise<void> {
  try {
    await conn.request('DELETE', path);
  } catch (err) {
    if ((err as { status?: number }).status === 404) return;
    throw err;
  }
}
