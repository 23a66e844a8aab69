/**
 * Ironic's virtual media API (1.89, 1.93): attach an image to a device of the node's BMC, detach
 * devices, list them. Attach and detach are accepted under the exclusive lock after the
 * management interface validates, then run in the background; a failure is recorded in
 * `last_error`. With `image_download_source` `local` the conductor fetches the image into its
 * image cache and the BMC reads it from `[deploy] external_http_url` (else `http_url`); with
 * `http` the BMC fetches the URL given.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttachVirtualMediaArgs, DetachVirtualMediaArgs } from '@galvanic/conductor-api';
import type { CoreConfig } from '@galvanic/config';
import type {
  ManagementInterface,
  VirtualMediaDevice,
  VirtualMediaDeviceType,
} from '@galvanic/driver-sdk';
import { cachedImage, httpUrlOf, nodeDirectory, publishNodeFile } from '@galvanic/driver-generic';
import { InvalidParameterValue, TemporaryFailure } from '@galvanic/errors';
import type { NodeTask } from '../nodes/task';
import type { CallOrigin, NodeIdent, NodeTaskManager } from '../nodes/task-manager';

const ALL_DEVICE_TYPES: readonly VirtualMediaDeviceType[] = ['disk', 'cdrom', 'floppy'];

function management(task: NodeTask): ManagementInterface {
  return task.interfaceOf<ManagementInterface>('management');
}

/** The file an image attached locally to `deviceType` is served as, under the node's directory. */
function localFileName(deviceType: VirtualMediaDeviceType): string {
  return `vmedia-${deviceType}.${deviceType === 'cdrom' ? 'iso' : 'img'}`;
}

async function acceptChange(task: NodeTask, what: string): Promise<void> {
  await management(task).validate(task.context);
  if (task.node.maintenance && task.node.fault === 'power failure') {
    throw new TemporaryFailure(
      `Unable to ${what} virtual media for node ${task.node.uuid} due to power failure state`,
    );
  }
  await task.save({ last_error: null });
}

/** The URL the BMC should read: the given one, or the cached copy served from http_root. */
async function imageUrlForBmc(
  task: NodeTask,
  deploy: CoreConfig['deploy'],
  args: AttachVirtualMediaArgs,
): Promise<string> {
  if (args.image_download_source === 'http') return args.image_url;
  const base = deploy.external_http_url ?? deploy.http_url;
  if (!base) {
    throw new InvalidParameterValue(
      'image_download_source local needs [deploy] http_url (or external_http_url) on the conductor',
    );
  }
  const cached = await cachedImage(
    deploy.http_root,
    args.image_url,
    undefined,
    task.context.signal,
  );
  const name = localFileName(args.device_type);
  await publishNodeFile(deploy.http_root, task.node.uuid, name, cached);
  return httpUrlOf(base, task.node.uuid, name);
}

export async function startVirtualMediaAttach(
  tasks: NodeTaskManager,
  node: NodeIdent,
  call: CallOrigin,
  deploy: CoreConfig['deploy'],
  args: AttachVirtualMediaArgs,
): Promise<void> {
  const failed = async (task: NodeTask, reason: string): Promise<void> => {
    await task.save({
      last_error: `Could not attach device ${args.device_type} to node ${task.node.uuid}: ${reason}`,
    });
  };
  await tasks.startAsync(
    node,
    call,
    (task) => acceptChange(task, 'attach'),
    async (task) => {
      try {
        const url = await imageUrlForBmc(task, deploy, args);
        await management(task).attachVirtualMedia(task.context, args.device_type, url);
      } catch (error) {
        await failed(task, error instanceof Error ? error.message : String(error));
      }
    },
    (task, error) => failed(task, error.message),
  );
}

export async function startVirtualMediaDetach(
  tasks: NodeTaskManager,
  node: NodeIdent,
  call: CallOrigin,
  deploy: CoreConfig['deploy'],
  args: DetachVirtualMediaArgs,
): Promise<void> {
  const types = args.device_types ?? ALL_DEVICE_TYPES;
  const failed = async (task: NodeTask, reason: string): Promise<void> => {
    await task.save({
      last_error: `Could not detach device(s) ${types.join(', ')} from node ${task.node.uuid}: ${reason}`,
    });
  };
  await tasks.startAsync(
    node,
    call,
    (task) => acceptChange(task, 'detach'),
    async (task) => {
      try {
        await management(task).detachVirtualMedia(task.context, args.device_types);
        const dir = nodeDirectory(deploy.http_root, task.node.uuid);
        await Promise.all(types.map((type) => rm(join(dir, localFileName(type)), { force: true })));
      } catch (error) {
        await failed(task, error instanceof Error ? error.message : String(error));
      }
    },
    (task, error) => failed(task, error.message),
  );
}

export async function virtualMedia(task: NodeTask): Promise<{ devices: VirtualMediaDevice[] }> {
  await management(task).validate(task.context);
  return { devices: await management(task).getVirtualMedia(task.context) };
}
