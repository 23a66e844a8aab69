/**
 * End to end: a QEMU VM behind an ipmi_sim BMC is deployed by the real `baremetal` CLI with the
 * `ipmi` hardware type, `ipxe` boot and `ramdisk` deploy, and boots the initramfs the test built.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
  startIpmiVm,
  testKernel,
  type ImageServer,
  type InProcessEnvironment,
  type IpmiVm,
} from '@galvanic/testing';

const NO_QEMU = skipWithoutQemu('the ipmi + ipxe VM deploy test');

const MARKER = 'GALVANIC-IPXE-RAMDISK-BOOTED';
const BOOT_TIMEOUT_MS = 180_000;

interface NodeView {
  uuid: string;
  provision_state: string;
  power_state: string | null;
  last_error: string | null;
  boot_interface: string;
}

describe.skipIf(NO_QEMU)(
  'deploying a QEMU VM behind ipmi_sim with ipxe boot and the ramdisk deploy',
  () => {
    let images: string;
    let httpRoot: string;
    let imageServer: ImageServer;
    let vm: IpmiVm;
    let env: InProcessEnvironment;
    let ramdiskSha256: string;
    const cli = (...args: string[]) => baremetal(env.apiUrl, ...args);
    const quiet = (...args: string[]) => baremetalQuiet(env.apiUrl, ...args);
    const show = async () => (await cli('node', 'show', 'vm1')) as NodeView;

    beforeAll(async () => {
      images = mkdtempSync(join(tmpdir(), 'vm-images-'));
      httpRoot = mkdtempSync(join(tmpdir(), 'vm-httproot-'));
      copyFileSync(testKernel(), join(images, 'vmlinuz'));
      buildInitramfs(join(images, 'initramfs.gz'), { marker: MARKER });
      ramdiskSha256 = createHash('sha256')
        .update(readFileSync(join(images, 'initramfs.gz')))
        .digest('hex');
      imageServer = await startImageServer(images);
      const httpPort = await freePort();
      vm = await startIpmiVm({ bootfileUrl: `http://${QEMU_HOST_ADDRESS}:${httpPort}/boot.ipxe` });
      env = await createInProcess({
        database: 'shared',
        env: {
          GALVANIC_DEPLOY__HTTP_ROOT: httpRoot,
          GALVANIC_DEPLOY__HTTP_URL: `http://${QEMU_HOST_ADDRESS}:${httpPort}`,
          GALVANIC_DEPLOY__HTTP_SERVER_PORT: String(httpPort),
          GALVANIC_CONDUCTOR__AUTOMATED_CLEAN: 'false',
        },
      });
      const info = vm.driverInfo;
      await quiet(
        'node',
        'create',
        '--driver',
        'ipmi',
        '--name',
        'vm1',
        '--boot-interface',
        'ipxe',
        '--deploy-interface',
        'ramdisk',
        '--driver-info',
        `ipmi_address=${info.ipmi_address}`,
        '--driver-info',
        `ipmi_port=${info.ipmi_port}`,
        '--driver-info',
        `ipmi_username=${info.ipmi_username}`,
        '--driver-info',
        `ipmi_password=${info.ipmi_password}`,
        '--driver-info',
        `deploy_kernel=${imageServer.url}/vmlinuz`,
        '--driver-info',
        `deploy_ramdisk=${imageServer.url}/initramfs.gz`,
      );
      const node = await show();
      await quiet('port', 'create', vm.macAddress, '--node', node.uuid);
      await quiet('node', 'manage', 'vm1', '--wait', '120');
      await quiet('node', 'provide', 'vm1', '--wait', '120');
    }, 300_000);

    afterAll(async () => {
      await env?.teardown();
      await vm?.stop();
      await imageServer?.close();
      for (const dir of [images, httpRoot]) if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const macScript = () => join(httpRoot, 'pxelinux.cfg', vm.macAddress.replaceAll(':', '-'));

    it('boots the instance ramdisk over iPXE, then powers it off and removes its boot files on undeploy', async () => {
      expect((await show()).provision_state).toBe('available');
      await quiet(
        'node',
        'set',
        'vm1',
        '--instance-info',
        `kernel=${imageServer.url}/vmlinuz`,
        '--instance-info',
        `ramdisk=${imageServer.url}/initramfs.gz`,
        '--instance-info',
        'kernel_append_params=console=ttyS0 panic=1 quiet galvanic.test=ipxe',
        '--instance-info',
        'image_os_hash_algo=sha256',
        '--instance-info',
        `image_os_hash_value=${ramdiskSha256}`,
      );
      await quiet('node', 'deploy', 'vm1', '--wait', String(BOOT_TIMEOUT_MS / 1000));
      const node = await show();
      expect(node).toMatchObject({
        provision_state: 'active',
        power_state: 'power on',
        last_error: null,
      });

      const booted = await vm.waitForConsole(/cmdline: .*galvanic\.test=ipxe/, BOOT_TIMEOUT_MS);
      expect(booted).toContain(MARKER);
      expect(booted).toMatch(/cmdline: .*BOOTIF=01-52-54-00/);
      expect(vm.log()).toContain('boot pxe');
      expect(readFileSync(join(httpRoot, 'boot.ipxe'), 'utf8')).toContain(
        'chain --autofree pxelinux.cfg/${mac:hexhyp}',
      );
      expect(readFileSync(macScript(), 'utf8')).toContain(`/${node.uuid}/boot_ramdisk_kernel`);
      // Fetched once into the cache, each image, however many times the VM read it.
      expect(imageServer.requests('initramfs.gz')).toBe(1);

      await quiet('node', 'undeploy', 'vm1', '--wait', '120');
      expect(await show()).toMatchObject({
        provision_state: 'available',
        power_state: 'power off',
      });
      expect(vm.running()).toBe(false);
      expect(existsSync(macScript())).toBe(false);
      expect(existsSync(join(httpRoot, node.uuid))).toBe(false);
    }, 400_000);

    it('fails a deploy whose image does not match its checksum, serving nothing', async () => {
      const cachedBefore = readdirSync(join(httpRoot, 'master_images'));
      await quiet(
        'node',
        'set',
        'vm1',
        '--instance-info',
        `kernel=${imageServer.url}/vmlinuz`,
        '--instance-info',
        `ramdisk=${imageServer.url}/initramfs.gz`,
        '--instance-info',
        'image_os_hash_algo=sha256',
        '--instance-info',
        `image_os_hash_value=${'0'.repeat(64)}`,
      );
      await expect(quiet('node', 'deploy', 'vm1', '--wait', '120')).rejects.toThrow();
      const node = await show();
      expect(node.provision_state).toBe('deploy failed');
      expect(node.last_error).toMatch(
        /initramfs\.gz.*sha256 checksum [0-9a-f]{64} does not match the expected 0{64}/,
      );
      expect(vm.running()).toBe(false);
      expect(existsSync(macScript())).toBe(false);
      expect(existsSync(join(httpRoot, node.uuid, 'boot_ramdisk_ramdisk'))).toBe(false);
      expect(readdirSync(join(httpRoot, 'master_images'))).toEqual(cachedBefore);
    }, 300_000);
  },
);
