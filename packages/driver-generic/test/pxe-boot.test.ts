import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidParameterValue,
  MissingParameterValue,
  describeProperty,
} from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { recordingManagement } from './support';
import { PxeBoot } from '../src';

const MAC_A = '52:54:00:AA:BB:01';
const MAC_B = '52:54:00:aa:bb:02';
const ports = [
  { uuid: 'p1', address: MAC_A, pxeEnabled: true },
  { uuid: 'p2', address: MAC_B, pxeEnabled: true },
  { uuid: 'p3', address: '52:54:00:aa:bb:03', pxeEnabled: false },
];
const driverInfo = {
  deploy_kernel: 'http://images.example/ipa.kernel',
  deploy_ramdisk: 'http://images.example/ipa.initramfs',
};

describe('PxeBoot', () => {
  let tftpRoot: string;
  let boot: PxeBoot;

  beforeEach(async () => {
    tftpRoot = await mkdtemp(join(tmpdir(), 'galvanic-pxe-'));
    boot = buildInterface(PxeBoot, {
      pxe: { tftp_root: tftpRoot, pxe_append_params: 'nofb console=ttyS0' },
    });
  });
  afterEach(async () => {
    await rm(tftpRoot, { recursive: true, force: true });
  });

  const configDir = () => join(tftpRoot, 'pxelinux.cfg');

  it('reads deploy_kernel and deploy_ramdisk, both required', () => {
    const properties = boot.getProperties();
    expect(Object.keys(properties)).toEqual(['deploy_kernel', 'deploy_ramdisk']);
    expect(describeProperty(properties.deploy_kernel!)).toMatch(/ Required\.$/);
  });

  it("refuses a node without ports in Ironic's words", () => {
    const task = makeTask({ node: { driverInfo } });
    expect(() => boot.validate(task)).toThrow(InvalidParameterValue);
    expect(() => boot.validate(task)).toThrow(
      `Node ${task.node.uuid} does not have any port associated with it`,
    );
  });

  it('names the missing deploy image fields', () => {
    const task = makeTask({ node: { ports, driverInfo: { deploy_kernel: 'k' } } });
    expect(() => boot.validate(task)).toThrow(MissingParameterValue);
    expect(() => boot.validate(task)).toThrow("Missing are: ['deploy_ramdisk']");
    const bare = makeTask({ node: { ports } });
    expect(() => boot.validate(bare)).toThrow("Missing are: ['deploy_kernel', 'deploy_ramdisk']");
  });

  it('validates a node with ports and deploy images', () => {
    expect(() => boot.validate(makeTask({ node: { ports, driverInfo } }))).not.toThrow();
  });

  it('writes a deploy ramdisk config per PXE-enabled MAC, and removes them', async () => {
    const task = makeTask({ node: { ports, driverInfo } });
    await boot.prepareRamdisk(task, { 'ipa-api-url': 'http://10.0.0.1:6385' });
    expect((await readdir(configDir())).sort()).toEqual([
      '01-52-54-00-aa-bb-01',
      '01-52-54-00-aa-bb-02',
    ]);
    const config = await readFile(join(configDir(), '01-52-54-00-aa-bb-01'), 'utf8');
    expect(config).toBe(
      [
        'default deploy',
        '',
        'label deploy',
        '    kernel http://images.example/ipa.kernel',
        '    append initrd=http://images.example/ipa.initramfs nofb console=ttyS0 ipa-api-url=http://10.0.0.1:6385',
        '    ipappend 2',
        '',
      ].join('\n'),
    );
    await boot.cleanUpRamdisk(task);
    expect(await readdir(configDir())).toEqual([]);
  });

  it('writes an instance config booting instance_info kernel and ramdisk, sets PXE persistently, and removes it', async () => {
    const calls: string[] = [];
    const task = makeTask({
      interfaces: { management: recordingManagement(calls) },
      node: {
        ports,
        driverInfo,
        instanceInfo: {
          kernel: '/images/vmlinuz',
          ramdisk: '/images/initrd',
          ramdisk_kernel_arguments: 'root=/dev/ram0',
        },
      },
    });
    await boot.prepareInstance(task);
    const config = await readFile(join(configDir(), '01-52-54-00-aa-bb-02'), 'utf8');
    expect(config).toContain('label boot_ramdisk\n    kernel /images/vmlinuz\n');
    expect(config).toContain(
      '    append initrd=/images/initrd nofb console=ttyS0 root=/dev/ram0\n',
    );
    expect(calls).toEqual(['setBootDevice pxe true']);
    await boot.cleanUpInstance(task);
    expect(await readdir(configDir())).toEqual([]);
  });

  it('refuses to prepare an instance without kernel and ramdisk', async () => {
    const task = makeTask({ node: { ports, driverInfo, instanceInfo: { kernel: 'k' } } });
    await expect(boot.prepareInstance(task)).rejects.toThrow(MissingParameterValue);
    await expect(boot.prepareInstance(task)).rejects.toThrow("Missing are: ['ramdisk']");
  });

  it('cleans up quietly when nothing was written', async () => {
    await expect(boot.cleanUpRamdisk(makeTask({ node: { ports } }))).resolves.toBeUndefined();
  });
});
