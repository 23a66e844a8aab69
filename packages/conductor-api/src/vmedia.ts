import { z } from 'zod';
import { defineRpcMethod, type RpcArgs } from '@galvanic/rpc';
import { nodeRef } from './nodes';

/** Ironic's boot_devices.VMEDIA_DEVICES. */
export const VMEDIA_DEVICE_TYPES = ['disk', 'cdrom', 'floppy'] as const;
/** How the BMC gets the image: from its URL (`http`), or from the conductor's http_root (`local`). */
export const VMEDIA_DOWNLOAD_SOURCES = ['http', 'local', 'swift'] as const;

const deviceType = z.enum(VMEDIA_DEVICE_TYPES);

/** Contract 1.3. The node's virtual media devices, as the management interface lists them. */
export const getVirtualMediaMethod = defineRpcMethod(
  'get_virtual_media',
  z.strictObject(nodeRef),
  z.object({
    devices: z.array(
      z.object({
        media_types: z.array(z.string()),
        inserted: z.boolean(),
        image: z.string().nullable(),
      }),
    ),
  }),
);

/** Contract 1.3. Starts attaching an image under the exclusive lock; the outcome lands in last_error. */
export const attachVirtualMediaMethod = defineRpcMethod(
  'attach_virtual_media',
  z.strictObject({
    ...nodeRef,
    device_type: deviceType,
    image_url: z.string().min(1),
    image_download_source: z.enum(VMEDIA_DOWNLOAD_SOURCES),
  }),
  z.object({}),
);
export type AttachVirtualMediaArgs = RpcArgs<typeof attachVirtualMediaMethod>;

/** Contract 1.3. Starts detaching the devices named (every device when absent). */
export const detachVirtualMediaMethod = defineRpcMethod(
  'detach_virtual_media',
  z.strictObject({ ...nodeRef, device_types: z.array(deviceType).optional() }),
  z.object({}),
);
export type DetachVirtualMediaArgs = RpcArgs<typeof detachVirtualMediaMethod>;
