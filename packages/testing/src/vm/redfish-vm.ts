/**
 * A Redfish BMC (the emulator) whose one System is a QEMU virtual machine: power, boot override
 * and virtual media act on the VM (see QemuSystemBackend).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  QemuSystemBackend,
  type EmulatedSystemHandle,
  type RedfishEmulator,
} from '@galvanic/redfish-emulator';
import {
  redfishDriverInfo,
  startRedfishEmulator,
  type RedfishDriverInfo,
} from '@galvanic/redfish-emulator/testing';
import { randomMac, type BmcVm, type VmOptions } from './ipmi-vm';
import { readConsole, waitForConsole } from './serial-console';

export interface RedfishVm extends BmcVm {
  readonly emulator: RedfishEmulator;
  readonly system: EmulatedSystemHandle;
  readonly backend: QemuSystemBackend;
  /** `driver_info` for Ironic's redfish hardware type (HTTP, basic credentials). */
  readonly driverInfo: RedfishDriverInfo;
}

/** Starts a Redfish emulator on a free 127.0.0.1 port with one powered-off VM as its System. */
export async function startRedfishVm(options: VmOptions = {}): Promise<RedfishVm> {
  const macAddress = options.macAddress ?? randomMac();
  const directory = mkdtempSync(join(tmpdir(), 'galvanic-redfish-vm-'));
  let backend: QemuSystemBackend | undefined;
  const emulator = await startRedfishEmulator({
    systems: 1,
    backendFactory: (_index, inventory) => {
      const nic = inventory.ethernetInterfaces[0];
      backend = new QemuSystemBackend({
        inventory: {
          ...inventory,
          ethernetInterfaces: nic ? [{ ...nic, macAddress }] : [],
        },
        directory: join(directory, 'system'),
        maxRuntimeMs: options.maxRuntimeMs ?? 300_000,
        ...(options.memoryMiB ? { memoryMiB: options.memoryMiB } : {}),
        ...(options.bootfileUrl ? { bootfileUrl: options.bootfileUrl } : {}),
      });
      return backend;
    },
  });
  const system = emulator.systems[0];
  if (!system || !backend) {
    await emulator.close();
    throw new Error('the emulator did not build its QEMU System');
  }
  const qemu = backend;
  return {
    emulator,
    system,
    backend: qemu,
    macAddress,
    serialPath: qemu.serialPath,
    driverInfo: redfishDriverInfo(emulator, system),
    running: () => qemu.powerState() === 'On',
    console: () => readConsole(qemu.serialPath),
    waitForConsole: (pattern, timeoutMs) => waitForConsole(qemu.serialPath, pattern, timeoutMs),
    async stop() {
      await emulator.close();
      await qemu.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
