/** EventService and its Subscriptions (EventDestination): POST creates, GET shows, DELETE removes. */
import { badRequest, notFound } from '../errors';
import type { Router } from '../http/router';
import type { EmulatorModel } from '../model';
import type { NewSubscription, SubscriptionRecord } from '../subscriptions';
import type { EventRecord } from '../event-delivery';
import { deliver, subscribedTo } from '../event-delivery';
import { collectionReply, objectBody, ref, rejectUnknownParameters, resourceReply } from './common';

const EVENT_SERVICE_PATH = '/redfish/v1/EventService';
const SUBSCRIPTIONS_PATH = `${EVENT_SERVICE_PATH}/Subscriptions`;
const EVENT_TYPES = [
  'StatusChange',
  'ResourceUpdated',
  'ResourceAdded',
  'ResourceRemoved',
  'Alert',
];
const KNOWN_PROPERTIES = [
  'Destination',
  'Context',
  'Protocol',
  'SubscriptionType',
  'EventFormatType',
  'EventTypes',
  'RegistryPrefixes',
  'ResourceTypes',
  'OriginResources',
  'HttpHeaders',
];

const SUBMIT_TEST_EVENT = 'EventService.SubmitTestEvent';
const TEST_EVENT_PARAMETERS = [
  'EventId',
  'EventTimestamp',
  'EventType',
  'EventGroupId',
  'Message',
  'MessageArgs',
  'MessageId',
  'OriginOfCondition',
  'Severity',
];

function optionalText(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw badRequest(
      'ActionParameterValueTypeError',
      [JSON.stringify(value), name, SUBMIT_TEST_EVENT],
      [`#/${name}`],
    );
  }
  return value;
}

function parseTestEvent(body: Record<string, unknown>): EventRecord {
  rejectUnknownParameters(SUBMIT_TEST_EVENT, body, TEST_EVENT_PARAMETERS);
  const eventType = optionalText(body, 'EventType') ?? 'Alert';
  if (!EVENT_TYPES.includes(eventType)) {
    throw badRequest(
      'ActionParameterValueNotInList',
      [eventType, 'EventType', SUBMIT_TEST_EVENT],
      ['#/EventType'],
    );
  }
  const args = body.MessageArgs;
  if (args !== undefined && (!Array.isArray(args) || args.some((a) => typeof a !== 'string'))) {
    throw badRequest(
      'ActionParameterValueTypeError',
      [JSON.stringify(args), 'MessageArgs', SUBMIT_TEST_EVENT],
      ['#/MessageArgs'],
    );
  }
  const message = optionalText(body, 'Message');
  const severity = optionalText(body, 'Severity');
  const origin = optionalText(body, 'OriginOfCondition');
  return {
    EventId: optionalText(body, 'EventId') ?? String(Date.now()),
    EventTimestamp: optionalText(body, 'EventTimestamp') ?? new Date().toISOString(),
    EventType: eventType,
    MessageId: optionalText(body, 'MessageId') ?? 'Base.1.16.0.Success',
    ...(message !== undefined ? { Message: message } : {}),
    ...(args !== undefined ? { MessageArgs: args as string[] } : {}),
    ...(severity !== undefined ? { Severity: severity } : {}),
    ...(origin !== undefined ? { OriginOfCondition: ref(origin) } : {}),
  };
}

function subscriptionResource(subscription: SubscriptionRecord): object {
  return {
    '@odata.id': `${SUBSCRIPTIONS_PATH}/${subscription.id}`,
    '@odata.type': '#EventDestination.v1_14_0.EventDestination',
    Id: subscription.id,
    Name: `Event Subscription ${subscription.id}`,
    Destination: subscription.destination,
    Context: subscription.context,
    Protocol: subscription.protocol,
    SubscriptionType: subscription.subscriptionType,
    EventFormatType: subscription.eventFormatType,
    ...(subscription.eventTypes ? { EventTypes: subscription.eventTypes } : {}),
    RegistryPrefixes: subscription.registryPrefixes,
    ResourceTypes: subscription.resourceTypes,
    OriginResources: subscription.originResources.map(ref),
    // Write-only: "shall be null or an empty array" in responses.
    HttpHeaders: [],
    Status: { State: 'Enabled', Health: 'OK' },
  };
}

function stringList(
  body: Record<string, unknown>,
  name: string,
  allowed?: readonly string[],
): string[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw badRequest('PropertyValueTypeError', [JSON.stringify(value), name], [`#/${name}`]);
  }
  for (const item of value as string[]) {
    if (allowed && !allowed.includes(item)) {
      throw badRequest('PropertyValueNotInList', [item, name], [`#/${name}`]);
    }
  }
  return value as string[];
}

function parseSubscription(body: Record<string, unknown>): NewSubscription {
  for (const name of Object.keys(body)) {
    if (!KNOWN_PROPERTIES.includes(name) && !name.startsWith('@') && name !== 'Oem') {
      throw badRequest('PropertyUnknown', [name], [`#/${name}`]);
    }
  }
  const destination = body.Destination;
  if (destination === undefined) {
    throw badRequest('CreateFailedMissingReqProperties', ['Destination'], ['#/Destination']);
  }
  if (
    typeof destination !== 'string' ||
    !/^https?:\/\//i.test(destination) ||
    !URL.canParse(destination)
  ) {
    throw badRequest(
      'PropertyValueTypeError',
      [JSON.stringify(destination), 'Destination'],
      ['#/Destination'],
    );
  }
  const protocol = body.Protocol ?? 'Redfish';
  if (protocol !== 'Redfish') {
    throw badRequest('PropertyValueNotInList', [String(protocol), 'Protocol'], ['#/Protocol']);
  }
  const subscriptionType = body.SubscriptionType ?? 'RedfishEvent';
  if (subscriptionType !== 'RedfishEvent') {
    throw badRequest(
      'PropertyValueNotInList',
      [String(subscriptionType), 'SubscriptionType'],
      ['#/SubscriptionType'],
    );
  }
  const eventFormatType = body.EventFormatType ?? 'Event';
  if (eventFormatType !== 'Event' && eventFormatType !== 'MetricReport') {
    throw badRequest(
      'PropertyValueNotInList',
      [String(eventFormatType), 'EventFormatType'],
      ['#/EventFormatType'],
    );
  }
  const context = body.Context;
  if (context !== undefined && context !== null && typeof context !== 'string') {
    throw badRequest('PropertyValueTypeError', [JSON.stringify(context), 'Context'], ['#/Context']);
  }
  const headers = body.HttpHeaders;
  if (
    headers !== undefined &&
    headers !== null &&
    (!Array.isArray(headers) || headers.some((h) => typeof h !== 'object' || h === null))
  ) {
    // Header values may be secrets: never echoed back.
    throw badRequest('PropertyValueTypeError', ['<hidden>', 'HttpHeaders'], ['#/HttpHeaders']);
  }
  const origins = body.OriginResources;
  if (origins !== undefined && !Array.isArray(origins)) {
    throw badRequest(
      'PropertyValueTypeError',
      [JSON.stringify(origins), 'OriginResources'],
      ['#/OriginResources'],
    );
  }
  return {
    destination,
    context: typeof context === 'string' ? context : null,
    protocol: 'Redfish',
    subscriptionType: 'RedfishEvent',
    eventFormatType,
    eventTypes:
      body.EventTypes === undefined ? undefined : stringList(body, 'EventTypes', EVENT_TYPES),
    registryPrefixes: stringList(body, 'RegistryPrefixes'),
    resourceTypes: stringList(body, 'ResourceTypes'),
    originResources: (origins ?? []).map((origin: unknown) =>
      typeof origin === 'object' && origin !== null && '@odata.id' in origin
        ? String((origin as { '@odata.id': unknown })['@odata.id'])
        : String(origin),
    ),
    httpHeaders: (headers ?? []) as Record<string, string>[],
  };
}

export function registerEventRoutes(router: Router, model: EmulatorModel): void {
  router.on('GET', EVENT_SERVICE_PATH, () =>
    resourceReply({
      '@odata.id': EVENT_SERVICE_PATH,
      '@odata.type': '#EventService.v1_10_1.EventService',
      Id: 'EventService',
      Name: 'Event Service',
      ServiceEnabled: true,
      DeliveryRetryAttempts: 3,
      DeliveryRetryIntervalSeconds: 60,
      EventFormatTypes: ['Event'],
      EventTypesForSubscription: EVENT_TYPES,
      RegistryPrefixes: ['Base', 'ResourceEvent', 'TaskEvent'],
      ResourceTypes: ['ComputerSystem', 'Manager', 'Chassis', 'Task'],
      SubordinateResourcesSupported: false,
      Status: { State: 'Enabled', Health: 'OK' },
      Subscriptions: ref(SUBSCRIPTIONS_PATH),
      Actions: {
        '#EventService.SubmitTestEvent': {
          target: `${EVENT_SERVICE_PATH}/Actions/EventService.SubmitTestEvent`,
          'EventType@Redfish.AllowableValues': EVENT_TYPES,
        },
      },
    }),
  );

  // Sends the event to each subscriber that wants its type; answers before delivery ends.
  router.on('POST', `${EVENT_SERVICE_PATH}/Actions/${SUBMIT_TEST_EVENT}`, (ctx) => {
    const event = parseTestEvent(objectBody(ctx));
    for (const subscription of model.subscriptions.list()) {
      if (subscribedTo(subscription, event)) {
        void deliver(
          subscription,
          event,
          model.subscriptions.deliveries,
          model.subscriptions.deliveriesStopped,
        );
      }
    }
    return { status: 204 };
  });

  router.on('GET', SUBSCRIPTIONS_PATH, (ctx) =>
    collectionReply(
      ctx,
      {
        path: SUBSCRIPTIONS_PATH,
        type: 'EventDestinationCollection',
        name: 'Event Subscriptions Collection',
        members: model.subscriptions.list().map((s) => `${SUBSCRIPTIONS_PATH}/${s.id}`),
      },
      model.settings.pageSize,
    ),
  );

  router.on('POST', SUBSCRIPTIONS_PATH, (ctx) => {
    const subscription = model.subscriptions.create(parseSubscription(objectBody(ctx)));
    return {
      status: 201,
      body: subscriptionResource(subscription),
      etag: true,
      headers: { Location: `${SUBSCRIPTIONS_PATH}/${subscription.id}` },
    };
  });

  router.on('GET', `${SUBSCRIPTIONS_PATH}/{subscription}`, (ctx, params) => {
    const subscription = model.subscriptions.get(params.subscription as string);
    if (!subscription) throw notFound(ctx.path);
    return resourceReply(subscriptionResource(subscription), 'GET, DELETE');
  });

  router.on('DELETE', `${SUBSCRIPTIONS_PATH}/{subscription}`, (ctx, params) => {
    if (!model.subscriptions.delete(params.subscription as string)) throw notFound(ctx.path);
    return { status: 204 };
  });
}
