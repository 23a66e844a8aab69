/**
 * A deterministic default inventory per System index: the same index always gets the same UUID,
 * serial numbers and MAC addresses, so tests can name them.
 */
import type { SystemInventory } from './types';

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0');
}

/** `52:54:00` is the locally administered prefix QEMU uses; the last octets come from the index. */
export function macAddressFor(index: number, nic: number): string {
  const value = index * 4 + nic;
  return `52:54:00:${hex((value >> 16) & 0xff, 2)}:${hex((value >> 8) & 0xff, 2)}:${hex(value & 0xff, 2)}`;
}

export function uuidFor(index: number): string {
  return `a1c0f1e2-0000-4000-8000-${hex(index, 12)}`;
}

export function defaultInventory(index: number): SystemInventory {
  const serial = `GLV${String(index + 1).padStart(6, '0')}`;
  return {
    name: `system-${index + 1}`,
    manufacturer: 'Galvanic',
    model: 'Emulated Server R1',
    sku: 'GLV-R1',
    serialNumber: serial,
    uuid: uuidFor(index),
    hostName: `host-${index + 1}`,
    biosVersion: '2.4.1',
    processors: [1, 2].map((n) => ({
      id: `CPU${n}`,
      socket: `CPU ${n}`,
      manufacturer: 'Intel(R) Corporation',
      model: 'Intel(R) Xeon(R) Gold 6330 CPU @ 2.00GHz',
      architecture: 'x86' as const,
      instructionSet: 'x86-64' as const,
      maxSpeedMHz: 3100,
      cores: 8,
      threads: 16,
    })),
    memory: [1, 2, 3, 4].map((n) => ({
      id: `DIMM${n}`,
      deviceLocator: `DIMM_A${n}`,
      capacityMiB: 16384,
      memoryDeviceType: 'DDR4' as const,
      operatingSpeedMhz: 3200,
    })),
    ethernetInterfaces: [1, 2].map((n) => ({
      id: `NIC${n}`,
      macAddress: macAddressFor(index, n - 1),
      speedMbps: 25000,
      linkUp: n === 1,
    })),
    disks: [
      {
        id: 'Disk1',
        name: 'SSD 1',
        model: 'Emulated SSD 480G',
        capacityBytes: 480_103_981_056,
        mediaType: 'SSD',
        protocol: 'SATA',
        serialNumber: `${serial}-D1`,
      },
      {
        id: 'Disk2',
        name: 'HDD 2',
        model: 'Emulated HDD 2T',
        capacityBytes: 2_000_398_934_016,
        mediaType: 'HDD',
        protocol: 'SAS',
        serialNumber: `${serial}-D2`,
      },
    ],
  };
}
