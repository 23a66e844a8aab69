/**
 * End to end: a QEMU VM behind the Redfish emulator is deployed by the real `baremetal` CLI with
 * the `redfish` hardware type, `redfish-virtual-media` boot and the `ramdisk` deploy: Galvanic
 * builds an ISO of the kernel and initramfs, the BMC inserts it, the VM boots from its CD drive.
 * No network boot at all.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QEMU_HOST_ADDRESS,
  baremetal,
  baremetalQuiet,
  buildInitramfs,
  createInProcess,
  freePort,
  skipWithoutQemu,
  startImageServer,
  startRedfishVm,
  testKernel,
  type ImageServer,
  type InProcessEnvironment,
  type RedfishVm,
} from '@galvanic/testing';

const NO_QEMU = skipWithoutQemu('the redfish virtual media VM deploy test');

const MARKER = 'GALVANIC-VIRTUAL-MEDIA-RAMDISK-BOOTED';
const BOOT_TIMEOUT_MS = 180_000;

interface NodeView {
  uuid: string;
  provision_state: string;
  power_state: string | null;
  last_error: string | null;
}

describe.skipIf(NO_QEMU)(
  'deploying a QEMU VM behind the Redfish emulator with virtual media and the ramdisk deploy',
  () => {
    let images: string;
    let httpRoot: string;
    let imageServer: ImageServer;
    let vm: RedfishVm;
    let env: InProcessEnvironment;
    let httpPort: number;
    const quiet = (...args: string[]) => baremetalQuiet(env.apiUrl, ...args);
    const show = async () => (await baremetal(env.apiUrl, 'node', 'show', 'vm2')) as NodeView;

    beforeAll(async () => {
      images = mkdtempSync(join(tmpdir(), 'vm-images-'));
      httpRoot = mkdtempSync(join(tmpdir(), 'vm-httproot-'));
      copyFileSync(testKernel(), join(images, 'vmlinuz'));
      buildInitramfs(join(images, 'initramfs.gz'), { marker: MARKER });
      imageServer = await startImageServer(images);
      httpPort = await freePort();
      vm = await startRedfishVm();
      env = await createInProcess({
        database: 'shared',
        env: {
          GALVANIC_DEPLOY__HTTP_ROOT: httpRoot,
          GALVANIC_DEPLOY__HTTP_URL: `http://${QEMU_HOST_ADDRESS}:${httpPort}`,
          GALVANIC_DEPLOY__EXTERNAL_HTTP_URL: `http://127.0.0.1:${httpPort}`,
          GALVANIC_DEPLOY__HTTP_SERVER_PORT: String(httpPort),
          GALVANIC_CONDUCTOR__AUTOMATED_CLEAN: 'false',
        },
      });
      const info = vm.driverInfo;
      // prettier-ignore
      await quiet(
        'node', 'create', '--driver', 'redfish', '--name', 'vm2',
        '--boot-interface', 'redfish-virtual-media', '--deploy-interface', 'ramdisk',
        '--driver-info', `redfish_address=${info.redfish_address}`,
        '--driver-info', `redfish_system_id=${info.redfish_system_id}`,
        '--driver-info', `redfish_username=${info.redfish_username}`,
        '--driver-info', `redfish_password=${info.redfish_password}`,
      );
      await quiet('node', 'manage', 'vm2', '--wait', '120');
      await quiet('node', 'provide', 'vm2', '--wait', '120');
    }, 300_000);

    afterAll(async () => {
      await env?.teardown();
      await vm?.stop();
      await imageServer?.close();
      for (const dir of [images, httpRoot]) if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('boots an ISO built from the kernel and initramfs from the virtual CD, and ejects it on undeploy', async () => {
      // prettier-ignore
      await quiet(
        'node', 'set', 'vm2',
        '--instance-info', `kernel=${imageServer.url}/vmlinuz`,
        '--instance-info', `ramdisk=${imageServer.url}/initramfs.gz`,
        '--instance-info', 'kernel_append_params=console=ttyS0 panic=1 quiet galvanic.test=vmedia',
      );
      await quiet('node', 'deploy', 'vm2', '--wait', String(BOOT_TIMEOUT_MS / 1000));
      const node = await show();
      expect(node).toMatchObject({
        provision_state: 'active',
        power_state: 'power on',
        last_error: null,
      });

      const booted = await vm.waitForConsole(/cmdline: .*galvanic\.test=vmedia/, BOOT_TIMEOUT_MS);
      expect(booted).toContain(MARKER);
      expect(vm.backend.bootDevices.at(-1)).toBe('cdrom');
      const cd = vm.system.state().media['Cd'];
      expect(cd).toMatchObject({
        inserted: true,
        image: `http://127.0.0.1:${httpPort}/${node.uuid}/boot_ramdisk.iso`,
      });
      expect(vm.system.state().bootOverride).toMatchObject({ target: 'Cd', enabled: 'Continuous' });
      expect(existsSync(join(httpRoot, node.uuid, 'boot_ramdisk.iso'))).toBe(true);

      await quiet('node', 'undeploy', 'vm2', '--wait', '120');
      expect(await show()).toMatchObject({
        provision_state: 'available',
        power_state: 'power off',
      });
      expect(vm.running()).toBe(false);
      expect(vm.system.state().media['Cd']).toMatchObject({ inserted: false, image: null });
      expect(existsSync(join(httpRoot, node.uuid))).toBe(false);
    }, 400_000);
  },
);
