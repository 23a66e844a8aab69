/**
 * UpdateService: a FirmwareInventory (each System's BIOS, each Manager's firmware) and
 * `#UpdateService.SimpleUpdate`, which — as on real BMCs — always runs as a task. When the task
 * ends, BMC firmware has the new version at once; a BIOS image is flashed at the System's next
 * boot. The version is the first dotted number in the image's file name (else the file name).
 */
import { badRequest } from '../errors';
import type { Router } from '../http/router';
import type { EmulatedManager, EmulatedSystem, EmulatorModel } from '../model';
import {
  NO_CONTENT,
  STATUS_OK,
  collectionReply,
  lookup,
  objectBody,
  ref,
  rejectUnknownParameters,
  resourceReply,
} from './common';
import { startTask } from './task-service';

const UPDATE_SERVICE_PATH = '/redfish/v1/UpdateService';
const INVENTORY_PATH = `${UPDATE_SERVICE_PATH}/FirmwareInventory`;
const SIMPLE_UPDATE = 'UpdateService.SimpleUpdate';
const TRANSFER_PROTOCOLS = ['HTTP', 'HTTPS'];

type FirmwareTarget =
  | { readonly kind: 'bios'; readonly system: EmulatedSystem }
  | { readonly kind: 'bmc'; readonly manager: EmulatedManager };

function inventoryId(target: FirmwareTarget): string {
  return target.kind === 'bios' ? `BIOS-${target.system.id}` : `BMC-${target.manager.id}`;
}

function allTargets(model: EmulatorModel): FirmwareTarget[] {
  return [
    ...model.systems.map((system) => ({ kind: 'bios' as const, system })),
    ...model.managers.map((manager) => ({ kind: 'bmc' as const, manager })),
  ];
}

function softwareInventoryResource(target: FirmwareTarget): object {
  const id = inventoryId(target);
  const bios = target.kind === 'bios';
  return {
    '@odata.id': `${INVENTORY_PATH}/${id}`,
    '@odata.type': '#SoftwareInventory.v1_10_0.SoftwareInventory',
    Id: id,
    Name: bios ? 'BIOS' : 'BMC Firmware',
    Version: bios ? target.system.biosVersion : target.manager.firmwareVersion,
    Updateable: true,
    SoftwareId: bios ? 'GLV-BIOS' : 'GLV-BMC',
    Status: STATUS_OK,
    RelatedItem: [ref(bios ? target.system.path : target.manager.path)],
  };
}

/** The version an image carries, from its file name. */
export function versionOfImage(imageUri: string): string {
  const name = decodeURIComponent(new URL(imageUri).pathname.split('/').pop() ?? '');
  return /\d+(?:\.\d+)+/.exec(name)?.[0] ?? (name.replace(/\.[^.]*$/, '') || imageUri);
}

function resolveTargets(model: EmulatorModel, targets: unknown): FirmwareTarget[] {
  if (targets === undefined || targets === null) {
    return model.systems.map((system) => ({ kind: 'bios', system }));
  }
  if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string')) {
    throw badRequest(
      'ActionParameterValueTypeError',
      [JSON.stringify(targets), 'Targets', SIMPLE_UPDATE],
      ['#/Targets'],
    );
  }
  const byPath = new Map<string, FirmwareTarget>();
  for (const target of allTargets(model)) {
    byPath.set(`${INVENTORY_PATH}/${inventoryId(target)}`, target);
    if (target.kind === 'bios') byPath.set(target.system.path, target);
    else byPath.set(target.manager.path, target);
  }
  return (targets as string[]).map((path) => {
    const target = byPath.get(path.replace(/\/+$/, ''));
    if (!target) {
      throw badRequest(
        'ActionParameterValueNotInList',
        [path, 'Targets', SIMPLE_UPDATE],
        ['#/Targets'],
      );
    }
    return target;
  });
}

function parseSimpleUpdate(
  model: EmulatorModel,
  body: Record<string, unknown>,
): { version: string; targets: FirmwareTarget[] } {
  rejectUnknownParameters(SIMPLE_UPDATE, body, [
    'ImageURI',
    'TransferProtocol',
    'Targets',
    'Username',
    'Password',
    'ForceUpdate',
  ]);
  const image = body.ImageURI;
  if (image === undefined) {
    throw badRequest('ActionParameterMissing', [SIMPLE_UPDATE, 'ImageURI'], ['#/ImageURI']);
  }
  if (typeof image !== 'string' || !URL.canParse(image)) {
    throw badRequest(
      'ActionParameterValueFormatError',
      [String(image), 'ImageURI', SIMPLE_UPDATE],
      ['#/ImageURI'],
    );
  }
  const protocol = body.TransferProtocol;
  if (protocol !== undefined && !TRANSFER_PROTOCOLS.includes(protocol as string)) {
    throw badRequest(
      'ActionParameterValueNotInList',
      [String(protocol), 'TransferProtocol', SIMPLE_UPDATE],
      ['#/TransferProtocol'],
    );
  }
  return { version: versionOfImage(image), targets: resolveTargets(model, body.Targets) };
}

export function registerUpdateRoutes(router: Router, model: EmulatorModel): void {
  router.on('GET', UPDATE_SERVICE_PATH, () =>
    resourceReply({
      '@odata.id': UPDATE_SERVICE_PATH,
      '@odata.type': '#UpdateService.v1_11_0.UpdateService',
      Id: 'UpdateService',
      Name: 'Update Service',
      ServiceEnabled: true,
      Status: STATUS_OK,
      FirmwareInventory: ref(INVENTORY_PATH),
      Actions: {
        '#UpdateService.SimpleUpdate': {
          target: `${UPDATE_SERVICE_PATH}/Actions/${SIMPLE_UPDATE}`,
          'TransferProtocol@Redfish.AllowableValues': TRANSFER_PROTOCOLS,
        },
      },
    }),
  );

  router.on('GET', INVENTORY_PATH, (ctx) =>
    collectionReply(
      ctx,
      {
        path: INVENTORY_PATH,
        type: 'SoftwareInventoryCollection',
        name: 'Firmware Inventory Collection',
        members: allTargets(model).map((target) => `${INVENTORY_PATH}/${inventoryId(target)}`),
      },
      model.settings.pageSize,
    ),
  );

  router.on('GET', `${INVENTORY_PATH}/{item}`, (ctx, params) => {
    const targets = new Map(allTargets(model).map((target) => [inventoryId(target), target]));
    return resourceReply(softwareInventoryResource(lookup(targets, params.item as string, ctx)));
  });

  router.on('POST', `${UPDATE_SERVICE_PATH}/Actions/${SIMPLE_UPDATE}`, (ctx) => {
    const { version, targets } = parseSimpleUpdate(model, objectBody(ctx));
    return startTask(
      model,
      `${SIMPLE_UPDATE} ${targets.map(inventoryId).join(', ')}`,
      ctx,
      async () => {
        for (const target of targets) {
          if (target.kind === 'bmc') target.manager.firmwareVersion = version;
          else target.system.pendingBiosVersion = version;
        }
        return NO_CONTENT;
      },
    );
  });
}
