import { qemuAvailable } from '@galvanic/redfish-emulator';

/**
 * Whether tests that boot VMs must be skipped here: true, with a warning naming `what` and the
 * packages to install, when `qemu-system-x86_64` cannot run.
 */
export function skipWithoutQemu(what: string): boolean {
  if (qemuAvailable()) return false;
  console.warn(
    `SKIPPED: ${what} needs qemu-system-x86_64 (apt-get install qemu-system-x86 ipxe-qemu, or run .ci/run)`,
  );
  return true;
}
