/** Managers (the BMCs): one per System or one shared, their clock, firmware and Reset action. */
import { badRequest } from '../errors';
import type { Reply } from '../http/context';
import type { Router } from '../http/router';
import type { EmulatedManager, EmulatorModel } from '../model';
import { MANAGERS_PATH } from '../model';
import {
  NO_CONTENT,
  STATUS_OK,
  collectionReply,
  lookup,
  objectBody,
  ref,
  rejectUnknownParameters,
  requireCurrentEtag,
  resourceReply,
} from './common';
import { registerVirtualMediaRoutes } from './virtual-media';

const MANAGER_RESET_TYPES = ['GracefulRestart', 'ForceRestart'] as const;

function managerUuid(index: number): string {
  return `b1c0f1e2-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

/** Manager.DateTime: the BMC clock shown in its local offset, to the second. */
function managerDateTime(manager: EmulatedManager, now = Date.now()): string {
  const sign = manager.localOffset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = manager.localOffset.slice(1).split(':').map(Number);
  const offsetMs = sign * ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000;
  const local = new Date(now + manager.clockOffsetMs + offsetMs);
  return `${local.toISOString().slice(0, 19)}${manager.localOffset}`;
}

/** The Manager without its clock reading: what its ETag covers. */
function managerState(model: EmulatorModel, manager: EmulatedManager, index: number): object {
  return {
    '@odata.id': manager.path,
    '@odata.type': '#Manager.v1_18_0.Manager',
    Id: manager.id,
    Name: 'Manager',
    Description: 'Emulated baseboard management controller',
    ManagerType: 'BMC',
    Model: 'Galvanic Emulated BMC',
    FirmwareVersion: manager.firmwareVersion,
    DateTimeLocalOffset: manager.localOffset,
    UUID: managerUuid(model.inventoryIndexBase + index),
    ServiceEntryPointUUID: model.serviceUuid,
    PowerState: 'On',
    Status: STATUS_OK,
    ...(manager.hostsVirtualMedia ? { VirtualMedia: ref(`${manager.path}/VirtualMedia`) } : {}),
    Links: {
      ManagerForServers: manager.systems.map((system) => ref(system.path)),
      ManagerForChassis: manager.systems.map((system) => ref(system.chassisPath)),
    },
    Actions: {
      '#Manager.Reset': {
        target: `${manager.path}/Actions/Manager.Reset`,
        'ResetType@Redfish.AllowableValues': MANAGER_RESET_TYPES,
      },
    },
  };
}

function managerReply(model: EmulatorModel, manager: EmulatedManager): Reply {
  const state = managerState(model, manager, model.managers.indexOf(manager));
  return {
    ...resourceReply({ ...state, DateTime: managerDateTime(manager) }, 'GET, PATCH'),
    etagSource: state,
  };
}

const LOCAL_OFFSET = /^[+-](?:[01]\d|2[0-3]):[0-5]\d$/;

export function registerManagerRoutes(router: Router, model: EmulatorModel): void {
  router.on('GET', MANAGERS_PATH, (ctx) =>
    collectionReply(
      ctx,
      {
        path: MANAGERS_PATH,
        type: 'ManagerCollection',
        name: 'Manager Collection',
        members: model.managers.map((manager) => manager.path),
      },
      model.settings.pageSize,
    ),
  );

  router.on('GET', `${MANAGERS_PATH}/{manager}`, (ctx, params) =>
    managerReply(model, lookup(model.managersById, params.manager as string, ctx)),
  );

  // DateTime and DateTimeLocalOffset (Ironic's set_bmc_clock step).
  router.on('PATCH', `${MANAGERS_PATH}/{manager}`, (ctx, params) => {
    const manager = lookup(model.managersById, params.manager as string, ctx);
    const current = managerState(model, manager, model.managers.indexOf(manager));
    requireCurrentEtag(model, ctx, current);
    const body = objectBody(ctx);
    for (const name of Object.keys(body)) {
      if (name.startsWith('@') || name === 'DateTime' || name === 'DateTimeLocalOffset') continue;
      const id = name in current ? 'PropertyNotWritable' : 'PropertyUnknown';
      throw badRequest(id, [name], [`#/${name}`]);
    }
    const { DateTime: dateTime, DateTimeLocalOffset: localOffset } = body;
    let instant: number | undefined;
    if (dateTime !== undefined) {
      instant = typeof dateTime === 'string' ? Date.parse(dateTime) : NaN;
      if (Number.isNaN(instant)) {
        throw badRequest(
          'PropertyValueTypeError',
          [JSON.stringify(dateTime), 'DateTime'],
          ['#/DateTime'],
        );
      }
    }
    if (
      localOffset !== undefined &&
      (typeof localOffset !== 'string' || !LOCAL_OFFSET.test(localOffset))
    ) {
      throw badRequest(
        'PropertyValueTypeError',
        [JSON.stringify(localOffset) ?? 'null', 'DateTimeLocalOffset'],
        ['#/DateTimeLocalOffset'],
      );
    }
    if (instant !== undefined) manager.clockOffsetMs = instant - Date.now();
    if (typeof localOffset === 'string') manager.localOffset = localOffset;
    return managerReply(model, manager);
  });

  const managerReset = 'Manager.Reset';
  router.on('POST', `${MANAGERS_PATH}/{manager}/Actions/${managerReset}`, (ctx, params) => {
    lookup(model.managersById, params.manager as string, ctx);
    const body = objectBody(ctx);
    rejectUnknownParameters(managerReset, body, ['ResetType']);
    const resetType = body.ResetType;
    if (
      resetType !== undefined &&
      !MANAGER_RESET_TYPES.includes(resetType as (typeof MANAGER_RESET_TYPES)[number])
    ) {
      throw badRequest(
        'ActionParameterValueNotInList',
        [String(resetType), 'ResetType', managerReset],
        ['#/ResetType'],
      );
    }
    return NO_CONTENT;
  });

  registerVirtualMediaRoutes(router, model);
}
