/**
 * Real (virtual) machines for boot tests: QEMU VMs behind an IPMI BMC (`ipmi_sim`) or a Redfish
 * BMC (the emulator), the kernel and initramfs they boot, and their serial consoles.
 */
export {
  testKernel,
  buildInitramfs,
  buildWholeDiskImage,
  galvanicCacheDir,
  type InitramfsOptions,
  type WholeDiskImageOptions,
} from './boot-images';
export { readConsole, waitForConsole } from './serial-console';
export { startIpmiVm, randomMac, type IpmiVm, type BmcVm, type VmOptions } from './ipmi-vm';
export { startRedfishVm, type RedfishVm } from './redfish-vm';
export { qemuAvailable, QEMU_HOST_ADDRESS } from '@galvanic/redfish-emulator';
export { skipWithoutQemu } from './qemu-check';
export { startImageServer, type ImageServer } from './image-server';
