/**
 * VirtualMedia. A per-System manager lists its System's virtual media under
 * `/Managers/{id}/VirtualMedia`; every System also lists it under `/Systems/{id}/VirtualMedia`
 * (ComputerSystem.VirtualMedia, Redfish 2021.1 on), the only place when one manager is shared by
 * all Systems.
 */
import type {
  InsertMediaRequest,
  MediaState,
  TransferMethod,
  TransferProtocolType,
  VirtualMediaSlot,
} from '../backend/types';
import { RedfishError, badRequest, baseMessage, notFound } from '../errors';
import type { RequestContext } from '../http/context';
import type { Router } from '../http/router';
import type { EmulatedSystem, EmulatorModel } from '../model';
import { MANAGERS_PATH, SYSTEMS_PATH } from '../model';
import {
  NO_CONTENT,
  STATUS_OK,
  collectionReply,
  lookup,
  objectBody,
  rejectUnknownParameters,
  requireCurrentEtag,
  resourceReply,
  viaBackend,
} from './common';
import { runAction } from './task-service';

const TRANSFER_PROTOCOLS: readonly TransferProtocolType[] = [
  'CIFS',
  'FTP',
  'SFTP',
  'HTTP',
  'HTTPS',
  'NFS',
  'SCP',
  'TFTP',
  'OEM',
];
const TRANSFER_METHODS: readonly TransferMethod[] = ['Stream', 'Upload'];
const INSERT = 'VirtualMedia.InsertMedia';
const EJECT = 'VirtualMedia.EjectMedia';
function imageName(image: string | null): string | null {
  if (image === null) return null;
  try {
    const segments = new URL(image).pathname.split('/');
    return decodeURIComponent(segments[segments.length - 1] ?? '') || null;
  } catch {
    return null;
  }
}

function virtualMediaResource(
  system: EmulatedSystem,
  slot: VirtualMediaSlot,
  path: string,
  byPatch: boolean,
): object {
  const media = system.backend.media(slot.id);
  return {
    '@odata.id': path,
    '@odata.type': '#VirtualMedia.v1_6_2.VirtualMedia',
    Id: slot.id,
    Name: slot.name,
    MediaTypes: slot.mediaTypes,
    Image: media.image,
    ImageName: imageName(media.image),
    ConnectedVia: media.image === null ? 'NotConnected' : 'URI',
    Inserted: media.inserted,
    WriteProtected: media.writeProtected,
    TransferProtocolType: media.transferProtocolType,
    TransferMethod: media.transferMethod,
    UserName: media.userName,
    Status: STATUS_OK,
    ...(byPatch
      ? {}
      : {
          Actions: {
            '#VirtualMedia.InsertMedia': { target: `${path}/Actions/${INSERT}` },
            '#VirtualMedia.EjectMedia': { target: `${path}/Actions/${EJECT}` },
          },
        }),
  };
}

const INSERT_PARAMETERS = [
  'Image',
  'Inserted',
  'WriteProtected',
  'TransferProtocolType',
  'TransferMethod',
  'UserName',
  'Password',
];

function optionalBoolean(body: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = body[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw badRequest(
      'ActionParameterValueTypeError',
      [JSON.stringify(value) ?? 'null', name, INSERT],
      [`#/${name}`],
    );
  }
  return value;
}

function optionalChoice<T extends string>(
  body: Record<string, unknown>,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw badRequest('ActionParameterValueNotInList', [String(value), name, INSERT], [`#/${name}`]);
  }
  return value as T;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    const shown = name === 'Password' ? '<hidden>' : (JSON.stringify(value) ?? 'null');
    throw badRequest('ActionParameterValueTypeError', [shown, name, INSERT], [`#/${name}`]);
  }
  return value;
}

export function parseInsertMedia(body: Record<string, unknown>): InsertMediaRequest {
  rejectUnknownParameters(INSERT, body, INSERT_PARAMETERS);
  const image = body.Image;
  if (image === undefined || image === null) {
    throw badRequest('ActionParameterMissing', [INSERT, 'Image'], ['#/Image']);
  }
  if (typeof image !== 'string') {
    throw badRequest(
      'ActionParameterValueTypeError',
      [JSON.stringify(image), 'Image', INSERT],
      ['#/Image'],
    );
  }
  if (!URL.canParse(image)) {
    throw badRequest('ActionParameterValueFormatError', [image, 'Image', INSERT], ['#/Image']);
  }
  const transferProtocolType = optionalChoice(body, 'TransferProtocolType', TRANSFER_PROTOCOLS);
  const transferMethod = optionalChoice(body, 'TransferMethod', TRANSFER_METHODS);
  const userName = optionalString(body, 'UserName');
  const password = optionalString(body, 'Password');
  return {
    image,
    inserted: optionalBoolean(body, 'Inserted', true),
    writeProtected: optionalBoolean(body, 'WriteProtected', true),
    ...(transferProtocolType ? { transferProtocolType } : {}),
    ...(transferMethod ? { transferMethod } : {}),
    ...(userName !== undefined ? { userName } : {}),
    ...(password !== undefined ? { password } : {}),
  };
}

const PATCHABLE = new Set([
  'Image',
  'Inserted',
  'WriteProtected',
  'TransferProtocolType',
  'TransferMethod',
  'UserName',
  'Password',
]);

/**
 * What a PATCH of a VirtualMedia asks for: the media to attach (from the PATCH over what is
 * attached now), or undefined to leave the slot empty (`Image: null`, or no image at all).
 */
function parseMediaPatch(
  body: Record<string, unknown>,
  current: MediaState,
): InsertMediaRequest | undefined {
  for (const name of Object.keys(body)) {
    if (name.startsWith('@') || PATCHABLE.has(name)) continue;
    throw badRequest('PropertyUnknown', [name], [`#/${name}`]);
  }
  const image = 'Image' in body ? body.Image : current.image;
  if (image === null || image === '') return undefined;
  if (typeof image !== 'string' || !URL.canParse(image)) {
    throw badRequest(
      'PropertyValueTypeError',
      [JSON.stringify(image) ?? 'null', 'Image'],
      ['#/Image'],
    );
  }
  const flag = (name: 'Inserted' | 'WriteProtected', fallback: boolean): boolean => {
    const value = body[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      throw badRequest(
        'PropertyValueTypeError',
        [JSON.stringify(value) ?? 'null', name],
        [`#/${name}`],
      );
    }
    return value;
  };
  const attaching = image !== current.image;
  const request = parseInsertMedia({
    Image: image,
    Inserted: flag('Inserted', attaching ? true : current.inserted),
    WriteProtected: flag('WriteProtected', attaching ? true : current.writeProtected),
    ...pick(body, ['TransferProtocolType', 'TransferMethod', 'UserName', 'Password']),
  });
  return request;
}

function pick(body: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(names.filter((name) => name in body).map((name) => [name, body[name]]));
}

/** Routes for one place virtual media is listed (`base` ends in `/VirtualMedia`). */
function registerVirtualMediaPlace(
  router: Router,
  model: EmulatorModel,
  base: string,
  systemOf: (ctx: RequestContext, owner: string) => EmulatedSystem,
  basePath: (owner: string) => string,
): void {
  const slotOf = (system: EmulatedSystem, id: string, ctx: RequestContext): VirtualMediaSlot =>
    lookup(new Map(system.backend.mediaSlots.map((slot) => [slot.id, slot])), id, ctx);

  router.on('GET', base, (ctx, params) => {
    const owner = params.owner as string;
    const system = systemOf(ctx, owner);
    const path = basePath(owner);
    return collectionReply(
      ctx,
      {
        path,
        type: 'VirtualMediaCollection',
        name: 'Virtual Media Services',
        members: system.backend.mediaSlots.map((slot) => `${path}/${slot.id}`),
      },
      model.settings.pageSize,
    );
  });

  router.on('GET', `${base}/{slot}`, (ctx, params) => {
    const owner = params.owner as string;
    const system = systemOf(ctx, owner);
    const slot = slotOf(system, params.slot as string, ctx);
    const byPatch = model.settings.virtualMediaByPatch;
    return resourceReply(
      virtualMediaResource(system, slot, `${basePath(owner)}/${slot.id}`, byPatch),
      byPatch ? 'GET, PATCH' : 'GET',
    );
  });

  // Older BMCs have no InsertMedia/EjectMedia actions: Image and Inserted are PATCHed instead.
  router.on('PATCH', `${base}/{slot}`, async (ctx, params) => {
    if (!model.settings.virtualMediaByPatch) {
      throw new RedfishError(405, baseMessage('OperationNotAllowed'), { Allow: 'GET, HEAD' });
    }
    const owner = params.owner as string;
    const system = systemOf(ctx, owner);
    const slot = slotOf(system, params.slot as string, ctx);
    const path = `${basePath(owner)}/${slot.id}`;
    requireCurrentEtag(model, ctx, virtualMediaResource(system, slot, path, true));
    const change = parseMediaPatch(objectBody(ctx), system.backend.media(slot.id));
    await viaBackend(async () => {
      if (system.backend.media(slot.id).image !== null) await system.backend.ejectMedia(slot.id);
      if (change) await system.backend.insertMedia(slot.id, change);
    });
    return resourceReply(virtualMediaResource(system, slot, path, true), 'GET, PATCH');
  });

  router.on('POST', `${base}/{slot}/Actions/${INSERT}`, (ctx, params) => {
    if (model.settings.virtualMediaByPatch) throw notFound(ctx.path);
    const system = systemOf(ctx, params.owner as string);
    const slot = slotOf(system, params.slot as string, ctx);
    const request = parseInsertMedia(objectBody(ctx));
    return runAction(model, INSERT, ctx, async () => {
      await viaBackend(() => system.backend.insertMedia(slot.id, request));
      return NO_CONTENT;
    });
  });

  router.on('POST', `${base}/{slot}/Actions/${EJECT}`, (ctx, params) => {
    if (model.settings.virtualMediaByPatch) throw notFound(ctx.path);
    const system = systemOf(ctx, params.owner as string);
    const slot = slotOf(system, params.slot as string, ctx);
    rejectUnknownParameters(EJECT, objectBody(ctx), []);
    return runAction(model, EJECT, ctx, async () => {
      await viaBackend(() => system.backend.ejectMedia(slot.id));
      return NO_CONTENT;
    });
  });
}

export function registerVirtualMediaRoutes(router: Router, model: EmulatorModel): void {
  registerVirtualMediaPlace(
    router,
    model,
    `${MANAGERS_PATH}/{owner}/VirtualMedia`,
    (ctx, owner) => {
      const manager = lookup(model.managersById, owner, ctx);
      const system = manager.hostsVirtualMedia ? manager.systems[0] : undefined;
      return lookup(new Map(system ? [[owner, system]] : []), owner, ctx);
    },
    (owner) => `${MANAGERS_PATH}/${encodeURIComponent(owner)}/VirtualMedia`,
  );

  registerVirtualMediaPlace(
    router,
    model,
    `${SYSTEMS_PATH}/{owner}/VirtualMedia`,
    (ctx, owner) => lookup(model.systemsById, owner, ctx),
    (owner) => `${SYSTEMS_PATH}/${encodeURIComponent(owner)}/VirtualMedia`,
  );
}
