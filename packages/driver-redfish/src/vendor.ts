import {
  InvalidParameterValue,
  VendorInterface,
  passthru,
  type HttpMethod,
  type PropertyTable,
  type TaskContext,
} from '@galvanic/driver-sdk';
import type { EventDestination } from 'redfish-ts';
import { redfishCall, translate } from './call';
import { closeRedfishClients, connect, driverInfoOf, type RedfishConnection } from './connect';
import { RedfishFailure } from './errors';
import { redfishOptions } from './options';
import { MEDIA_DEVICES, ejectMedia, virtualMediaOf } from './virtual-media';

/** What Ironic answers of a subscription: these fields of the EventDestination. */
const SUBSCRIPTION_FIELDS = ['Id', 'Context', 'Protocol', 'Destination', 'EventTypes'] as const;

export type SubscriptionSummary = Partial<Record<(typeof SUBSCRIPTION_FIELDS)[number], unknown>>;

function argument(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

function summarize(subscription: EventDestination): SubscriptionSummary {
  return Object.fromEntries(
    SUBSCRIPTION_FIELDS.filter((k) => k in subscription).map((k) => [k, subscription[k]]),
  );
}

function subscriptionId(body: unknown): string {
  const id = argument(body, 'id');
  if (id === undefined || id === null || id === '') {
    throw new InvalidParameterValue("id can't be None");
  }
  if (typeof id !== 'string' || !/^[^/?#\s]+$/.test(id)) {
    throw new InvalidParameterValue(`id ${JSON.stringify(id)} is not a subscription Id`);
  }
  return id;
}

function isUri(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol.length > 1 && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Ironic's `redfish` vendor passthru: eject_vmedia and the event subscription methods. */
export class RedfishVendor extends VendorInterface {
  static override readonly optionGroups = [redfishOptions];

  override async close(): Promise<void> {
    await closeRedfishClients();
  }

  override getProperties(): PropertyTable {
    return {};
  }

  validate(task: TaskContext): void {
    driverInfoOf(this.env, task);
  }

  override validateCall(task: TaskContext | undefined, method: string, body: unknown): void {
    if (task) driverInfoOf(this.env, task);
    if (method === 'eject_vmedia') this.mediaTypeOf(body);
    if (method === 'create_subscription') this.subscriptionRequest(body);
    if (method === 'get_subscription' || method === 'delete_subscription') subscriptionId(body);
  }

  @passthru({
    httpMethods: ['POST'],
    description:
      "Eject a virtual media device. If no device is provided then all attached devices will be ejected. Optional arguments: 'boot_device' - the boot device to eject, either 'cd', 'dvd', 'usb', or 'floppy'",
  })
  async eject_vmedia(task: TaskContext, body: unknown, _httpMethod: HttpMethod): Promise<void> {
    const mediaType = this.mediaTypeOf(body);
    const connection = connect(this.env, task);
    if (mediaType) {
      const devices = await virtualMediaOf(task, connection);
      if (!devices.some((d) => d.MediaTypes?.includes(mediaType))) {
        throw new InvalidParameterValue(
          `Boot device ${String(argument(body, 'boot_device'))} is not a valid value`,
        );
      }
    }
    const ejected = await ejectMedia(task, connection, mediaType);
    task.logger.info('eject_vmedia done', { node: task.node.uuid, ejected });
  }

  @passthru({
    httpMethods: ['POST'],
    async: false,
    description:
      "Creates a subscription on a node. Required argument: a dictionary of {'Destination': 'destination_url'}",
  })
  async create_subscription(
    task: TaskContext,
    body: unknown,
    _httpMethod: HttpMethod,
  ): Promise<SubscriptionSummary> {
    const request = this.subscriptionRequest(body);
    const connection = connect(this.env, task);
    try {
      const created = await redfishCall(task, connection, 'creating a subscription', () =>
        connection.client.createSubscription(request),
      );
      return summarize(created.subscription);
    } catch (error) {
      throw new RedfishFailure(
        `Failed to create subscription on node ${task.node.uuid}. Subscription destination: ${request.destination}. Error: ${(error as Error).message}`,
      );
    }
  }

  @passthru({
    httpMethods: ['GET'],
    async: false,
    description: 'Returns all subscriptions on the node.',
  })
  async get_all_subscriptions(
    task: TaskContext,
    _body: unknown,
    _httpMethod: HttpMethod,
  ): Promise<unknown> {
    const connection = connect(this.env, task);
    return redfishCall(task, connection, 'listing subscriptions', async () =>
      connection.client.get(await this.subscriptionsPath(connection)),
    );
  }

  @passthru({
    httpMethods: ['GET'],
    async: false,
    description:
      "Get a subscription on the node. Required argument: a dictionary of {'id': 'subscription_bmc_id'}",
  })
  async get_subscription(
    task: TaskContext,
    body: unknown,
    _httpMethod: HttpMethod,
  ): Promise<SubscriptionSummary> {
    const id = subscriptionId(body);
    const connection = connect(this.env, task);
    const subscription = await redfishCall(
      task,
      connection,
      `reading subscription ${id}`,
      async () =>
        connection.client.getSubscription(`${await this.subscriptionsPath(connection)}/${id}`),
    ).catch((error: unknown) => {
      throw new RedfishFailure(
        `Redfish get_subscription failed for subscription ${id} on node ${task.node.uuid}. Error: ${(error as Error).message}`,
      );
    });
    return summarize(subscription);
  }

  @passthru({
    httpMethods: ['DELETE'],
    async: false,
    description:
      "Delete a subscription on a node. Required argument: a dictionary of {'id': 'subscription_bmc_id'}",
  })
  async delete_subscription(
    task: TaskContext,
    body: unknown,
    _httpMethod: HttpMethod,
  ): Promise<void> {
    const id = subscriptionId(body);
    const connection = connect(this.env, task);
    try {
      const path = `${await this.subscriptionsPath(connection)}/${id}`;
      // redfish-ts treats a 404 on DELETE as done; Ironic reports an unknown subscription.
      await redfishCall(task, connection, `reading subscription ${id}`, () =>
        connection.client.getSubscription(path),
      );
      await redfishCall(task, connection, `deleting subscription ${id}`, () =>
        connection.client.deleteSubscription(path),
      );
    } catch (error) {
      throw new RedfishFailure(
        `Redfish delete_subscription failed for subscription ${id} on node ${task.node.uuid}. Error: ${translate(error, task, 'delete_subscription').message}`,
      );
    }
    task.logger.info('subscription deleted', { node: task.node.uuid, id });
  }

  private async subscriptionsPath(connection: RedfishConnection): Promise<string> {
    const root = await connection.client.root();
    const servicePath = root.EventService?.['@odata.id'];
    if (!servicePath) throw new Error('the BMC offers no EventService');
    const service = await connection.client.get(servicePath);
    const path = (service.Subscriptions as { '@odata.id'?: string } | undefined)?.['@odata.id'];
    if (!path) throw new Error('the EventService has no Subscriptions collection');
    return path.replace(/\/+$/, '');
  }

  private mediaTypeOf(body: unknown): string | undefined {
    const device = argument(body, 'boot_device');
    if (device === undefined || device === null || device === '') return undefined;
    const mediaType =
      typeof device === 'string' ? MEDIA_DEVICES.get(device.toLowerCase()) : undefined;
    if (!mediaType) {
      throw new InvalidParameterValue(`Boot device ${String(device)} is not a valid value`);
    }
    return mediaType;
  }

  private subscriptionRequest(body: unknown) {
    const destination = argument(body, 'Destination');
    const eventTypes = argument(body, 'EventTypes') ?? ['Alert'];
    const context = argument(body, 'Context') ?? '';
    const protocol = argument(body, 'Protocol') ?? 'Redfish';
    const headers = argument(body, 'HttpHeaders');
    if (!Array.isArray(eventTypes) || !eventTypes.every((t) => typeof t === 'string')) {
      throw new InvalidParameterValue(
        `EventTypes ${JSON.stringify(eventTypes)} is not a valid value`,
      );
    }
    if (typeof context !== 'string') {
      throw new InvalidParameterValue(`Context ${JSON.stringify(context)} is not a valid string`);
    }
    if (typeof protocol !== 'string') {
      throw new InvalidParameterValue(`Protocol ${JSON.stringify(protocol)} is not a string`);
    }
    if (headers !== undefined && headers !== null && !Array.isArray(headers)) {
      // Not quoted: headers usually carry a secret for the receiver.
      throw new InvalidParameterValue('HttpHeaders is not a list of headers');
    }
    if (!isUri(destination)) {
      throw new InvalidParameterValue(`Destination ${String(destination)} is not a valid URI`);
    }
    const httpHeaders: Record<string, string> = {};
    for (const header of (headers ?? []) as unknown[]) {
      if (typeof header !== 'object' || header === null) {
        throw new InvalidParameterValue('HttpHeaders is not a list of headers');
      }
      for (const [k, v] of Object.entries(header)) httpHeaders[k] = String(v);
    }
    return {
      destination: destination as string,
      eventTypes: eventTypes as string[],
      context,
      protocol,
      ...(Object.keys(httpHeaders).length > 0 ? { httpHeaders } : {}),
    };
  }
}
