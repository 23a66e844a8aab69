/**
 * The Redfish QEMU backend booting from the network (the ipmi VMs and the CD path are proven by
 * services/conductor/test/vm-deploy-*.test.ts).
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redfishRequest } from '@galvanic/redfish-emulator/testing';
import {
  QEMU_HOST_ADDRESS,
  buildInitramfs,
  skipWithoutQemu,
  startRedfishVm,
  testKernel,
  type RedfishVm,
} from '../src/index';

const NO_QEMU = skipWithoutQemu('the VM machinery tests');

/** A web server for the VM's iPXE: boot.ipxe, the kernel and the initramfs. */
function serveDirectory(dir: string): Promise<Server> {
  const server = createServer((request, response) => {
    try {
      response.end(readFileSync(join(dir, (request.url ?? '/').slice(1))));
    } catch {
      response.statusCode = 404;
      response.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(NO_QEMU)('a VM behind the Redfish emulator boots over the network', () => {
  let dir: string;
  let server: Server;
  let bootfileUrl: string;
  const vms: RedfishVm[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vm-test-'));
    writeFileSync(join(dir, 'kernel'), readFileSync(testKernel()));
    buildInitramfs(join(dir, 'initrd'), { marker: 'VM-MACHINERY-BOOTED' });
    server = await serveDirectory(dir);
    const port = (server.address() as AddressInfo).port;
    writeFileSync(
      join(dir, 'boot.ipxe'),
      `#!ipxe\nkernel http://${QEMU_HOST_ADDRESS}:${port}/kernel console=ttyS0 panic=1 quiet marker=\${net0/mac}\ninitrd http://${QEMU_HOST_ADDRESS}:${port}/initrd\nboot\n`,
    );
    bootfileUrl = `http://${QEMU_HOST_ADDRESS}:${port}/boot.ipxe`;
  });

  afterAll(async () => {
    await Promise.all(vms.map((vm) => vm.stop()));
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a Redfish System backed by QEMU boots once from the network and powers off', async () => {
    const vm = await startRedfishVm({ bootfileUrl });
    vms.push(vm);
    const path = vm.system.path;
    const patched = await redfishRequest(vm.emulator, 'PATCH', path, {
      body: { Boot: { BootSourceOverrideTarget: 'Pxe', BootSourceOverrideEnabled: 'Once' } },
    });
    expect(patched.status).toBeLessThan(300);
    const reset = await redfishRequest(
      vm.emulator,
      'POST',
      `${path}/Actions/ComputerSystem.Reset`,
      {
        body: { ResetType: 'On' },
      },
    );
    expect(reset.status).toBeLessThan(300);
    expect(vm.running()).toBe(true);
    await vm.waitForConsole('VM-MACHINERY-BOOTED', 120_000);
    const system = await redfishRequest(vm.emulator, 'GET', path);
    expect(system.json).toMatchObject({
      PowerState: 'On',
      Boot: { BootSourceOverrideEnabled: 'Disabled' },
    });
    await redfishRequest(vm.emulator, 'POST', `${path}/Actions/ComputerSystem.Reset`, {
      body: { ResetType: 'ForceOff' },
    });
    expect(vm.running()).toBe(false);
    expect(vm.backend.bootDevices).toEqual(['network']);
  });
});
