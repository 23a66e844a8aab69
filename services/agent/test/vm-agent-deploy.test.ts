/**
 * End to end on a QEMU VM behind ipmi_sim, driven by the real `baremetal` CLI: iPXE boots the
 * Galvanic deploy ramdisk, whose agent inspects the VM, erases its disk on cleaning, and writes a
 * whole-disk image the test built; the VM then boots from its own disk.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QEMU_HOST_ADDRESS,
  apiRequest,
  baremetal,
  baremetalQuiet,
  buildAgentRamdisk,
  buildInitramfs,
  buildWholeDiskImage,
  createInProcess,
  freePort,
  qemuAvailable,
  startImageServer,
  startIpmiVm,
  testKernel,
  type ImageServer,
  type InProcessEnvironment,
  type IpmiVm,
} from '@galvanic/testing';

const HAVE_QEMU = qemuAvailable();
if (!HAVE_QEMU) {
  console.warn('SKIPPED: the agent VM deploy test needs qemu-system-x86_64 and ipxe-qemu');
}

const MARKER = 'GALVANIC-WHOLE-DISK-IMAGE-BOOTED';
const DISK_BYTES = 64 * 1024 * 1024;
const WAIT_S = '300';

interface NodeView {
  uuid: string;
  provision_state: string;
  power_state: string | null;
  last_error: string | null;
  properties: Record<string, unknown>;
}

describe.skipIf(!HAVE_QEMU)('the agent deploys a whole-disk image onto a QEMU VM', () => {
  let work: string;
  let images: ImageServer;
  let vm: IpmiVm;
  let env: InProcessEnvironment;
  let disk: string;
  let imageSha256: string;
  const cli = (...args: string[]) => baremetal(env.apiUrl, ...args);
  const quiet = (...args: string[]) => baremetalQuiet(env.apiUrl, ...args);
  const show = async () => (await cli('node', 'show', 'vm1')) as NodeView;
  /** What QEMU and the serial console said, for a failure's message. */
  const vmLogs = () => {
    let qemu = '';
    try {
      qemu = readFileSync(join(dirname(vm.serialPath), 'chassis', 'qemu.log'), 'utf8');
    } catch {
      qemu = '(no qemu.log)';
    }
    return `qemu:\n${qemu.slice(-3000)}\nconsole:\n${vm.console().slice(-6000)}`;
  };
  /** A CLI call whose failure carries the VM's logs. */
  const step = async (...args: string[]) => {
    try {
      await quiet(...args);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${vmLogs()}`);
    }
  };
  const readDisk = (offset: number, length: number): Buffer => {
    const fd = openSync(disk, 'r');
    try {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offset);
      return buffer;
    } finally {
      closeSync(fd);
    }
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'galvanic-agent-vm-'));
    const served = join(work, 'images');
    const httpRoot = join(work, 'httproot');
    mkdirSync(served);
    mkdirSync(httpRoot);
    const ramdisk = await buildAgentRamdisk();
    copyFileSync(ramdisk.kernel, join(served, 'vmlinuz'));
    copyFileSync(ramdisk.initramfs, join(served, 'galvanic-ramdisk.gz'));
    buildInitramfs(join(work, 'marker.gz'), { marker: MARKER });
    buildWholeDiskImage(join(served, 'disk.img'), {
      kernel: testKernel(),
      initrd: join(work, 'marker.gz'),
      append: 'console=ttyS0 panic=1 quiet galvanic.test=whole-disk',
    });
    imageSha256 = createHash('sha256')
      .update(readFileSync(join(served, 'disk.img')))
      .digest('hex');
    disk = join(work, 'vm-disk.img');
    writeFileSync(disk, Buffer.alloc(0));
    rmSync(disk);
    writeFileSync(disk, Buffer.alloc(DISK_BYTES));
    images = await startImageServer(served);
    const [httpPort, apiPort, agentPort] = [await freePort(), await freePort(), await freePort()];
    vm = await startIpmiVm({
      bootfileUrl: `http://${QEMU_HOST_ADDRESS}:${httpPort}/boot.ipxe`,
      diskPath: disk,
      hostForwards: [{ hostPort: agentPort, guestPort: 9999 }],
      maxRuntimeMs: 900_000,
    });
    env = await createInProcess({
      database: 'shared',
      env: {
        GALVANIC_API__PORT: String(apiPort),
        GALVANIC_API__RAMDISK_HEARTBEAT_TIMEOUT: '3',
        GALVANIC_DEPLOY__HTTP_ROOT: httpRoot,
        GALVANIC_DEPLOY__HTTP_URL: `http://${QEMU_HOST_ADDRESS}:${httpPort}`,
        GALVANIC_DEPLOY__HTTP_SERVER_PORT: String(httpPort),
        GALVANIC_AGENT__API_URL: `http://${QEMU_HOST_ADDRESS}:${apiPort}`,
        GALVANIC_PXE__PXE_APPEND_PARAMS: `console=ttyS0 panic=1 quiet ipa-advertise-host=127.0.0.1 ipa-advertise-port=${agentPort}`,
        GALVANIC_CONDUCTOR__AUTOMATED_CLEAN: 'true',
        GALVANIC_CONDUCTOR__CHECK_PROVISION_STATE_INTERVAL: '5',
        GALVANIC_CONDUCTOR__DEPLOY_CALLBACK_TIMEOUT: '240',
        GALVANIC_CONDUCTOR__CLEAN_CALLBACK_TIMEOUT: '240',
        GALVANIC_CONDUCTOR__INSPECT_WAIT_TIMEOUT: '240',
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
      'direct',
      '--inspect-interface',
      'agent',
      '--driver-info',
      `ipmi_address=${info.ipmi_address}`,
      '--driver-info',
      `ipmi_port=${info.ipmi_port}`,
      '--driver-info',
      `ipmi_username=${info.ipmi_username}`,
      '--driver-info',
      `ipmi_password=${info.ipmi_password}`,
      '--driver-info',
      `deploy_kernel=${images.url}/vmlinuz`,
      '--driver-info',
      `deploy_ramdisk=${images.url}/galvanic-ramdisk.gz`,
    );
    await quiet('port', 'create', vm.macAddress, '--node', (await show()).uuid);
    await quiet('node', 'manage', 'vm1', '--wait', '120');
  }, 900_000);

  afterAll(async () => {
    await env?.teardown();
    await vm?.stop();
    await images?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('inspects the VM through the agent: properties and its NIC from the inventory', async () => {
    await step('node', 'inspect', 'vm1', '--wait', WAIT_S);
    const node = await show();
    expect(node).toMatchObject({ provision_state: 'manageable', last_error: null });
    expect(node.properties).toMatchObject({ cpus: 1, cpu_arch: 'x86_64', local_gb: 0 });
    expect(node.properties.memory_mb).toBeGreaterThanOrEqual(200);
    const inventory = await apiRequest(env.apiUrl, 'GET', `/v1/nodes/${node.uuid}/inventory`, {
      minor: 81,
    });
    const data = inventory.body as {
      inventory: { disks: { name: string; size: number }[]; interfaces: { mac_address: string }[] };
    };
    expect(data.inventory.disks).toEqual([
      expect.objectContaining({ name: '/dev/vda', size: DISK_BYTES }),
    ]);
    expect(data.inventory.interfaces.map((nic) => nic.mac_address)).toContain(vm.macAddress);
    expect(vm.running()).toBe(false);
  }, 400_000);

  it('cleans on provide (the agent erases the disk metadata), deploys the image, and the VM boots it', async () => {
    // Something for cleaning to erase: a partition table on the empty disk.
    const fd = openSync(disk, 'r+');
    const mbr = Buffer.alloc(512);
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    writeFileSync(disk, Buffer.concat([mbr, Buffer.alloc(DISK_BYTES - 512)]));
    closeSync(fd);
    await step('node', 'provide', 'vm1', '--wait', WAIT_S);
    expect(await show()).toMatchObject({ provision_state: 'available', last_error: null });
    expect(readDisk(510, 2).equals(Buffer.alloc(2))).toBe(true);

    await quiet(
      'node',
      'set',
      'vm1',
      '--instance-info',
      `image_source=${images.url.replace('127.0.0.1', QEMU_HOST_ADDRESS)}/disk.img`,
      '--instance-info',
      'image_os_hash_algo=sha256',
      '--instance-info',
      `image_os_hash_value=${imageSha256}`,
      '--instance-info',
      'image_disk_format=raw',
    );
    const configDrive = join(work, 'config-drive.bin');
    // As the CLI takes a config drive file: the drive gzipped and base64-encoded.
    writeFileSync(configDrive, gzipSync(Buffer.alloc(32 * 1024, 'config-2 ')).toString('base64'));
    await step('node', 'deploy', 'vm1', '--config-drive', configDrive, '--wait', WAIT_S);
    expect(await show()).toMatchObject({
      provision_state: 'active',
      power_state: 'power on',
      last_error: null,
    });
    const booted = await vm.waitForConsole(/cmdline: .*galvanic\.test=whole-disk/, 240_000);
    expect(booted).toContain(MARKER);
    // The config drive went into a second partition after the image's.
    expect(readDisk(446 + 16 + 4, 1)[0]).toBe(0x83);

    await step('node', 'undeploy', 'vm1', '--wait', WAIT_S);
    expect(await show()).toMatchObject({ provision_state: 'available', last_error: null });
    expect(readDisk(510, 2).equals(Buffer.alloc(2))).toBe(true);
    expect(vm.running()).toBe(false);
  }, 900_000);

  it("fails a deploy whose image does not match its checksum, with the agent's error", async () => {
    // Undeploy forgot the instance: the same image, with a checksum it does not have.
    await quiet(
      'node',
      'set',
      'vm1',
      '--instance-info',
      `image_source=${images.url.replace('127.0.0.1', QEMU_HOST_ADDRESS)}/disk.img`,
      '--instance-info',
      'image_os_hash_algo=sha256',
      '--instance-info',
      `image_os_hash_value=${'0'.repeat(64)}`,
    );
    await expect(quiet('node', 'deploy', 'vm1', '--wait', WAIT_S)).rejects.toThrow();
    const node = await show();
    expect(node.provision_state).toBe('deploy failed');
    expect(node.last_error).toContain('standby.prepare_image failed');
    expect(node.last_error).toContain('checksum mismatch');
  }, 400_000);
});
