import {
  deployOptions,
  InvalidParameterValue,
  type DriverEnvironment,
  type TaskContext,
} from '@galvanic/driver-sdk';
import { expectedChecksum } from './checksum';
import { cachedImage } from './image-cache';
import { httpUrlOf, publishNodeFile } from './node-files';

/** A kernel and ramdisk to boot, and what to pass the kernel. */
export interface KernelBootSpec {
  /** `deploy` or `rescue` for an agent's ramdisk, `boot_ramdisk` for the instance. */
  readonly label: 'deploy' | 'rescue' | 'boot_ramdisk';
  readonly kernelUrl: string;
  readonly ramdiskUrl: string;
  readonly append: string;
  /** Verifies the ramdisk (the instance's image, for the ramdisk deploy). */
  readonly verifyRamdisk: boolean;
}

/** Where the node's published kernel and ramdisk are, on disk and over HTTP. */
export interface PublishedKernel {
  readonly kernelPath: string;
  readonly ramdiskPath: string;
  readonly kernelUrl: string;
  readonly ramdiskUrl: string;
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `[deploy]` values a boot interface needs, with http_url required. */
export function httpBootSettings(env: DriverEnvironment, task: TaskContext) {
  const options = env.config.get(deployOptions);
  if (!options.http_url) {
    throw new InvalidParameterValue(
      `Node ${task.node.uuid} cannot boot over HTTP: [deploy] http_url is not set on conductor`,
    );
  }
  return {
    httpRoot: options.http_root,
    httpUrl: options.http_url,
    externalHttpUrl: options.external_http_url ?? options.http_url,
  };
}

/**
 * Fetches (once, into the image cache) the kernel and ramdisk of `spec`, verifying the ramdisk
 * against instance_info's checksum when asked, and links them into the node's directory.
 */
export async function publishKernel(
  env: DriverEnvironment,
  task: TaskContext,
  spec: KernelBootSpec,
): Promise<PublishedKernel> {
  const { httpRoot, httpUrl } = httpBootSettings(env, task);
  const uuid = task.node.uuid;
  const checksum = spec.verifyRamdisk ? expectedChecksum(task.node.instanceInfo) : undefined;
  const [kernel, ramdisk] = await Promise.all([
    cachedImage(httpRoot, spec.kernelUrl, undefined, task.signal),
    cachedImage(httpRoot, spec.ramdiskUrl, checksum, task.signal),
  ]);
  const kernelName = `${spec.label}_kernel`;
  const ramdiskName = `${spec.label}_ramdisk`;
  return {
    kernelPath: await publishNodeFile(httpRoot, uuid, kernelName, kernel),
    ramdiskPath: await publishNodeFile(httpRoot, uuid, ramdiskName, ramdisk),
    kernelUrl: httpUrlOf(httpUrl, uuid, kernelName),
    ramdiskUrl: httpUrlOf(httpUrl, uuid, ramdiskName),
  };
}

/** The instance's kernel command line: `kernel_append_params` (or the older `ramdisk_kernel_arguments`). */
export function instanceAppendParams(info: Readonly<Record<string, unknown>>): string {
  return text(info.kernel_append_params) || text(info.ramdisk_kernel_arguments);
}
