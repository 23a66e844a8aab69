import {
  InvalidParameterValue,
  type TaskContext,
  type VirtualMediaDevice,
  type VirtualMediaDeviceType,
} from '@galvanic/driver-sdk';
import type { VirtualMedia } from 'redfish-ts';
import { redfishCall } from './call';
import type { RedfishConnection } from './connect';

/** The device names Ironic's eject_vmedia takes, and the Redfish MediaType each one is. */
export const MEDIA_DEVICES: ReadonlyMap<string, string> = new Map([
  ['cd', 'CD'],
  ['dvd', 'DVD'],
  ['usb', 'USBStick'],
  ['floppy', 'Floppy'],
]);

/** Whether a device serves `mediaType`; a DVD drive serves CDs too (Ironic does the same). */
function serves(device: VirtualMedia, mediaType: string): boolean {
  const types = device.MediaTypes ?? [];
  return types.includes(mediaType) || (mediaType === 'CD' && types.includes('DVD'));
}

/**
 * The System's virtual media devices: its own VirtualMedia collection when it has one, else
 * those of its managers (as Ironic inserts into the System's when there are both).
 */
export async function virtualMediaOf(
  task: TaskContext,
  connection: RedfishConnection,
): Promise<VirtualMedia[]> {
  const { client, system } = connection;
  return redfishCall(task, connection, 'listing virtual media', async () => {
    const own = (await system.get()).VirtualMedia?.['@odata.id'];
    return own ? client.getMembers<VirtualMedia>(own) : system.virtualMedia();
  });
}

/** Inserts `image` into a CD (or DVD) device, ejecting what another image left there first. */
export function insertCd(
  task: TaskContext,
  connection: RedfishConnection,
  image: string,
): Promise<void> {
  return insertMedia(task, connection, image, 'CD');
}

/** Inserts `image` into a device serving `mediaType`, ejecting what another image left there first. */
export async function insertMedia(
  task: TaskContext,
  connection: RedfishConnection,
  image: string,
  mediaType: string,
): Promise<void> {
  const devices = (await virtualMediaOf(task, connection)).filter((d) => serves(d, mediaType));
  const device = devices.find((d) => d.Inserted && d.Image === image) ?? devices[0];
  const path = device?.['@odata.id'];
  if (!device || !path) {
    throw new InvalidParameterValue(
      `No suitable virtual media device found for node ${task.node.uuid} to mount image ${image}`,
    );
  }
  if (device.Inserted && device.Image === image) return;
  if (device.Inserted || device.Image) {
    await redfishCall(task, connection, `ejecting virtual media ${path}`, () =>
      connection.client.ejectMedia(path),
    );
  }
  await redfishCall(task, connection, `inserting ${image} into virtual media ${path}`, () =>
    connection.client.insertMedia(path, { image, inserted: true, writeProtected: true }),
  );
  task.logger.info('virtual media inserted', { node: task.node.uuid, device: path, image });
}

/** Ironic's virtual media device types and the Redfish MediaType each one is. */
export const DEVICE_TYPE_MEDIA: Readonly<Record<VirtualMediaDeviceType, string>> = {
  cdrom: 'CD',
  floppy: 'Floppy',
  disk: 'USBStick',
};

/** The System's devices as Ironic's get_virtual_media lists them. */
export async function listVirtualMedia(
  task: TaskContext,
  connection: RedfishConnection,
): Promise<VirtualMediaDevice[]> {
  return (await virtualMediaOf(task, connection)).map((device) => ({
    media_types: [...(device.MediaTypes ?? [])],
    inserted: device.Inserted ?? false,
    image: device.Image || null,
  }));
}

/** Ejects the media of every device of `mediaType` (every device when undefined); returns how many. */
export async function ejectMedia(
  task: TaskContext,
  connection: RedfishConnection,
  mediaType?: string,
): Promise<number> {
  let ejected = 0;
  for (const device of await virtualMediaOf(task, connection)) {
    const path = device['@odata.id'];
    if (!path || (mediaType && !serves(device, mediaType))) continue;
    if (!device.Inserted && !device.Image) continue;
    await redfishCall(task, connection, `ejecting virtual media ${path}`, () =>
      connection.client.ejectMedia(path),
    );
    ejected += 1;
    task.logger.info('virtual media ejected', { node: task.node.uuid, device: path });
  }
  return ejected;
}
