/**
 * The command line of a small x86-64 QEMU virtual machine for boot tests: TCG (no hardware
 * virtualisation needed), one virtio NIC on QEMU's user-mode network, serial console to a file,
 * and a boot device as a BMC would choose it.
 */

/** Where the firmware boots from: the NIC (iPXE ROM), the CD drive, or the (absent) disk. */
export type QemuBootDevice = 'network' | 'cdrom' | 'disk';

export interface QemuMachineSpec {
  /** The NIC's MAC address, e.g. `52:54:00:12:34:56`. */
  readonly macAddress: string;
  /** The file the serial console (ttyS0) is appended to. */
  readonly serialPath: string;
  /** Default 256. */
  readonly memoryMiB?: number;
  readonly bootDevice: QemuBootDevice;
  /**
   * What QEMU's DHCP server offers as boot file, e.g. `http://10.0.2.2:8080/boot.ipxe` (10.0.2.2
   * is the host's loopback as the VM sees it).
   */
  readonly bootfileUrl?: string;
  /** An ISO file in the CD drive. */
  readonly cdromPath?: string;
  /** A QMP control socket, for a backend that talks to the running VM. */
  readonly qmpSocketPath?: string;
  /** A raw image file as the VM's disk (virtio), which it can write. */
  readonly diskPath?: string;
  /** TCP ports of the VM reachable on the host's loopback: host port → guest port. */
  readonly hostForwards?: readonly { readonly hostPort: number; readonly guestPort: number }[];
}

export const QEMU_BINARY = 'qemu-system-x86_64';

/** The host's loopback as a VM on QEMU's user-mode network reaches it. */
export const QEMU_HOST_ADDRESS = '10.0.2.2';

const BOOT_ORDER: Readonly<Record<QemuBootDevice, string>> = {
  network: 'n',
  cdrom: 'd',
  disk: 'c',
};

/** The arguments after the binary's name. */
export function qemuArguments(spec: QemuMachineSpec): string[] {
  const netdev = [
    'user',
    'id=n0',
    ...(spec.bootfileUrl ? [`bootfile=${spec.bootfileUrl}`] : []),
    ...(spec.hostForwards ?? []).map(
      (forward) => `hostfwd=tcp:127.0.0.1:${forward.hostPort}-:${forward.guestPort}`,
    ),
  ];
  return [
    '-accel',
    'tcg',
    '-machine',
    'pc',
    '-m',
    String(spec.memoryMiB ?? 256),
    '-nodefaults',
    '-display',
    'none',
    '-no-reboot',
    '-serial',
    `file:${spec.serialPath}`,
    '-netdev',
    netdev.join(','),
    '-device',
    `virtio-net-pci,netdev=n0,mac=${spec.macAddress}`,
    ...(spec.cdromPath
      ? ['-drive', `file=${spec.cdromPath},media=cdrom,readonly=on,if=ide,index=2`]
      : []),
    ...(spec.diskPath ? ['-drive', `file=${spec.diskPath},format=raw,if=virtio,cache=unsafe`] : []),
    ...(spec.qmpSocketPath ? ['-qmp', `unix:${spec.qmpSocketPath},server=on,wait=off`] : []),
    '-boot',
    `order=${BOOT_ORDER[spec.bootDevice]}`,
  ];
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
