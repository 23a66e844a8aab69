/** ComputerSystem resources: the collection, a System, its boot override PATCH and Reset action. */
import type {
  BootOverride,
  BootSourceOverrideEnabled,
  BootSourceOverrideMode,
  BootSourceTarget,
  IndicatorLed,
  ResetType,
} from '../backend/types';
import { badRequest } from '../errors';
import type { Router } from '../http/router';
import type { EmulatedSystem, EmulatorModel } from '../model';
import { SYSTEMS_PATH } from '../model';
import {
  NO_CONTENT,
  collectionReply,
  lookup,
  objectBody,
  ref,
  rejectUnknownParameters,
  requireCurrentEtag,
  resourceReply,
  viaBackend,
} from './common';
import { runAction } from './task-service';

export const BOOT_TARGETS: readonly BootSourceTarget[] = [
  'None',
  'Pxe',
  'Floppy',
  'Cd',
  'Usb',
  'Hdd',
  'BiosSetup',
  'Utilities',
  'Diags',
  'UefiShell',
  'UefiHttp',
];
const BOOT_ENABLED: readonly BootSourceOverrideEnabled[] = ['Disabled', 'Once', 'Continuous'];
const BOOT_MODES: readonly BootSourceOverrideMode[] = ['UEFI', 'Legacy'];
const INDICATOR_LEDS: readonly IndicatorLed[] = ['Off', 'Lit', 'Blinking'];

export function systemResource(system: EmulatedSystem): object {
  const { backend } = system;
  const inventory = backend.inventory;
  const boot = backend.bootOverride();
  const led = backend.indicatorLed();
  const totalCores = inventory.processors.reduce((sum, p) => sum + p.cores, 0);
  const totalThreads = inventory.processors.reduce((sum, p) => sum + p.threads, 0);
  const memoryMiB = inventory.memory.reduce((sum, m) => sum + m.capacityMiB, 0);
  const powerState = backend.powerState();
  return {
    '@odata.id': system.path,
    '@odata.type': '#ComputerSystem.v1_20_1.ComputerSystem',
    Id: system.id,
    Name: inventory.name,
    Description: 'Emulated computer system',
    SystemType: 'Physical',
    AssetTag: system.assetTag,
    Manufacturer: inventory.manufacturer,
    Model: inventory.model,
    SKU: inventory.sku,
    SerialNumber: inventory.serialNumber,
    PartNumber: `${inventory.sku}-01`,
    UUID: inventory.uuid,
    HostName: inventory.hostName,
    Status: { State: 'Enabled', Health: 'OK' },
    IndicatorLED: led,
    LocationIndicatorActive: led !== 'Off',
    PowerState: powerState,
    Boot: {
      BootSourceOverrideEnabled: boot.enabled,
      BootSourceOverrideTarget: boot.target,
      'BootSourceOverrideTarget@Redfish.AllowableValues': BOOT_TARGETS,
      BootSourceOverrideMode: boot.mode,
      'BootSourceOverrideMode@Redfish.AllowableValues': BOOT_MODES,
      HttpBootUri: boot.httpBootUri,
    },
    BiosVersion: system.biosVersion,
    ProcessorSummary: {
      Count: inventory.processors.length,
      CoreCount: totalCores,
      LogicalProcessorCount: totalThreads,
      Model: inventory.processors[0]?.model ?? null,
      Status: { State: 'Enabled', Health: 'OK' },
    },
    MemorySummary: {
      TotalSystemMemoryGiB: memoryMiB / 1024,
      Status: { State: 'Enabled', Health: 'OK' },
    },
    Bios: ref(`${system.path}/Bios`),
    SecureBoot: ref(`${system.path}/SecureBoot`),
    Processors: ref(`${system.path}/Processors`),
    Memory: ref(`${system.path}/Memory`),
    EthernetInterfaces: ref(`${system.path}/EthernetInterfaces`),
    SimpleStorage: ref(`${system.path}/SimpleStorage`),
    Storage: ref(`${system.path}/Storage`),
    VirtualMedia: ref(`${system.path}/VirtualMedia`),
    Links: {
      Chassis: [ref(system.chassisPath)],
      ManagedBy: [ref(system.manager.path)],
    },
    Actions: {
      '#ComputerSystem.Reset': {
        target: `${system.path}/Actions/ComputerSystem.Reset`,
        'ResetType@Redfish.AllowableValues': backend.resetTypes,
      },
    },
  };
}

function pick<T extends string>(
  value: unknown,
  allowed: readonly T[],
  property: string,
  pointer: string,
): T {
  if (typeof value !== 'string') {
    throw badRequest(
      'PropertyValueTypeError',
      [JSON.stringify(value) ?? 'null', property],
      [pointer],
    );
  }
  if (!allowed.includes(value as T)) {
    throw badRequest('PropertyValueNotInList', [value, property], [pointer]);
  }
  return value as T;
}

function patchedBoot(current: BootOverride, patch: unknown): BootOverride {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw badRequest(
      'PropertyValueTypeError',
      [JSON.stringify(patch) ?? 'null', 'Boot'],
      ['#/Boot'],
    );
  }
  let next = current;
  for (const [name, value] of Object.entries(patch as Record<string, unknown>)) {
    const pointer = `#/Boot/${name}`;
    switch (name) {
      case 'BootSourceOverrideTarget':
        next = { ...next, target: pick(value, BOOT_TARGETS, name, pointer) };
        break;
      case 'BootSourceOverrideEnabled':
        next = { ...next, enabled: pick(value, BOOT_ENABLED, name, pointer) };
        break;
      case 'BootSourceOverrideMode':
        next = { ...next, mode: pick(value, BOOT_MODES, name, pointer) };
        break;
      case 'HttpBootUri':
        if (value !== null && typeof value !== 'string') {
          throw badRequest('PropertyValueTypeError', [JSON.stringify(value), name], [pointer]);
        }
        next = { ...next, httpBootUri: value === '' ? null : value };
        break;
      default:
        if (name.startsWith('@')) break;
        if (name.endsWith('@Redfish.AllowableValues')) {
          throw badRequest('PropertyNotWritable', [name], [pointer]);
        }
        throw badRequest('PropertyUnknown', [name], [pointer]);
    }
  }
  return next;
}

const WRITABLE = new Set(['Boot', 'IndicatorLED', 'LocationIndicatorActive', 'AssetTag']);

export function registerSystemRoutes(router: Router, model: EmulatorModel): void {
  router.on('GET', SYSTEMS_PATH, (ctx) =>
    collectionReply(
      ctx,
      {
        path: SYSTEMS_PATH,
        type: 'ComputerSystemCollection',
        name: 'Computer System Collection',
        members: model.systems.map((system) => system.path),
      },
      model.settings.pageSize,
    ),
  );

  router.on('GET', `${SYSTEMS_PATH}/{system}`, (ctx, params) =>
    resourceReply(
      systemResource(lookup(model.systemsById, params.system as string, ctx)),
      'GET, PATCH',
    ),
  );

  router.on('PATCH', `${SYSTEMS_PATH}/{system}`, async (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    const current = systemResource(system);
    requireCurrentEtag(model, ctx, current);
    const body = objectBody(ctx);
    for (const name of Object.keys(body)) {
      if (name.startsWith('@') || WRITABLE.has(name)) continue;
      const id = name in current ? 'PropertyNotWritable' : 'PropertyUnknown';
      throw badRequest(id, [name], [`#/${name}`]);
    }
    // Check everything before changing anything.
    const boot = 'Boot' in body ? patchedBoot(system.backend.bootOverride(), body.Boot) : undefined;
    let led: IndicatorLed | undefined;
    if ('IndicatorLED' in body) {
      led = pick(body.IndicatorLED, INDICATOR_LEDS, 'IndicatorLED', '#/IndicatorLED');
    }
    if ('LocationIndicatorActive' in body) {
      if (typeof body.LocationIndicatorActive !== 'boolean') {
        throw badRequest(
          'PropertyValueTypeError',
          [JSON.stringify(body.LocationIndicatorActive) ?? 'null', 'LocationIndicatorActive'],
          ['#/LocationIndicatorActive'],
        );
      }
      led = body.LocationIndicatorActive ? 'Blinking' : 'Off';
    }
    if ('AssetTag' in body && typeof body.AssetTag !== 'string') {
      throw badRequest(
        'PropertyValueTypeError',
        [JSON.stringify(body.AssetTag) ?? 'null', 'AssetTag'],
        ['#/AssetTag'],
      );
    }
    await viaBackend(async () => {
      if (boot) await system.backend.setBootOverride(boot);
      if (led) await system.backend.setIndicatorLed(led);
    });
    if (typeof body.AssetTag === 'string') system.assetTag = body.AssetTag;
    return resourceReply(systemResource(system), 'GET, PATCH');
  });

  const resetAction = 'ComputerSystem.Reset';
  router.on('POST', `${SYSTEMS_PATH}/{system}/Actions/${resetAction}`, async (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    const body = objectBody(ctx);
    rejectUnknownParameters(resetAction, body, ['ResetType']);
    const resetType = body.ResetType;
    if (resetType === undefined) {
      throw badRequest('ActionParameterMissing', [resetAction, 'ResetType'], ['#/ResetType']);
    }
    if (typeof resetType !== 'string') {
      throw badRequest(
        'ActionParameterValueTypeError',
        [JSON.stringify(resetType), 'ResetType', resetAction],
        ['#/ResetType'],
      );
    }
    if (!system.backend.resetTypes.includes(resetType as ResetType)) {
      throw badRequest(
        'ActionParameterValueNotInList',
        [resetType, 'ResetType', resetAction],
        ['#/ResetType'],
      );
    }
    return runAction(model, resetAction, ctx, async () => {
      await viaBackend(() => system.backend.reset(resetType as ResetType));
      return NO_CONTENT;
    });
  });
}
