import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImageDownloadFailed, InvalidParameterValue } from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { recordingManagement } from './support';
import { IpxeBoot, cachedImage, expectedChecksum } from '../src';

const KERNEL = Buffer.from('a kernel');
const RAMDISK = Buffer.from('a ramdisk');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const MAC = '52:54:00:AA:BB:01';
const ports = [{ uuid: 'p1', address: MAC, pxeEnabled: true }];

describe('http boot files', () => {
  let server: Server;
  let base: string;
  const gets = new Map<string, number>();
  let root: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const name = request.url ?? '';
      gets.set(name, (gets.get(name) ?? 0) + 1);
      if (name === '/kernel') response.end(KERNEL);
      else if (name === '/ramdisk') response.end(RAMDISK);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'galvanic-httpboot-'));
    gets.clear();
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  describe('expectedChecksum, as Ironic reads instance_info', () => {
    it('prefers image_os_hash_algo and image_os_hash_value', () => {
      expect(
        expectedChecksum({
          image_os_hash_algo: 'SHA512',
          image_os_hash_value: 'AB12',
          image_checksum: 'ffff',
        }),
      ).toEqual({ algorithm: 'sha512', value: 'ab12' });
    });
    it('reads image_checksum as bare hex (MD5 for 32 digits) or algo:hex', () => {
      expect(expectedChecksum({ image_checksum: 'a'.repeat(32) })).toEqual({
        algorithm: 'md5',
        value: 'a'.repeat(32),
      });
      expect(expectedChecksum({ image_checksum: `sha256:${'b'.repeat(64)}` })).toEqual({
        algorithm: 'sha256',
        value: 'b'.repeat(64),
      });
      expect(expectedChecksum({})).toBeUndefined();
    });
    it('refuses what it cannot check', () => {
      expect(() => expectedChecksum({ image_checksum: 'xyz' })).toThrow(InvalidParameterValue);
      expect(() => expectedChecksum({ image_checksum: 'abc' })).toThrow(/names no supported/);
      expect(() =>
        expectedChecksum({ image_os_hash_algo: 'crc32', image_os_hash_value: 'ab' }),
      ).toThrow(/crc32 is not supported/);
      expect(() => expectedChecksum({ image_checksum: 'http://x/SHA256SUMS' })).toThrow(
        /checksum file is not supported/,
      );
    });
  });

  describe('the image cache', () => {
    it('downloads an image once per URL and checksum, verified', async () => {
      const expected = { algorithm: 'sha256' as const, value: sha256(RAMDISK) };
      const [first, second] = await Promise.all([
        cachedImage(root, `${base}/ramdisk`, expected),
        cachedImage(root, `${base}/ramdisk`, expected),
      ]);
      expect(first).toBe(second);
      expect(await readFile(first)).toEqual(RAMDISK);
      expect(await cachedImage(root, `${base}/ramdisk`, expected)).toBe(first);
      expect(gets.get('/ramdisk')).toBe(1);
    });

    it('keeps nothing of an image that does not match its checksum, or cannot be fetched', async () => {
      const wrong = { algorithm: 'sha256' as const, value: '0'.repeat(64) };
      await expect(cachedImage(root, `${base}/ramdisk`, wrong)).rejects.toThrow(
        ImageDownloadFailed,
      );
      await expect(cachedImage(root, `${base}/ramdisk`, wrong)).rejects.toThrow(
        `Failed to download image ${base}/ramdisk, reason: its sha256 checksum ${sha256(RAMDISK)} does not match the expected ${'0'.repeat(64)}`,
      );
      await expect(cachedImage(root, `${base}/missing`, undefined)).rejects.toThrow(
        /reason: the server answered 404/,
      );
      expect(await readdir(join(root, 'master_images'))).toEqual([]);
    });
  });

  describe('IpxeBoot', () => {
    const boot = (dhcp: 'none' | 'dnsmasq' = 'none') =>
      buildInterface(IpxeBoot, {
        deploy: { http_root: root, http_url: 'http://192.0.2.1:8080/' },
        pxe: { pxe_append_params: 'nofb' },
        dhcp: { dhcp_provider: dhcp },
        dnsmasq: { dhcp_hostsdir: join(root, 'hosts'), dhcp_optsdir: join(root, 'opts') },
      });

    it('needs [deploy] http_url', () => {
      const bare = buildInterface(IpxeBoot, { deploy: { http_root: root } });
      const task = makeTask({
        node: { ports, driverInfo: { deploy_kernel: 'k', deploy_ramdisk: 'r' } },
      });
      expect(() => bare.validate(task)).toThrow(/\[deploy\] http_url is not set/);
    });

    it('writes boot.ipxe, the per-MAC script and the images on prepare, and removes them on clean-up', async () => {
      const calls: string[] = [];
      const task = makeTask({
        interfaces: { management: recordingManagement(calls) },
        node: {
          ports,
          instanceInfo: {
            kernel: `${base}/kernel`,
            ramdisk: `${base}/ramdisk`,
            kernel_append_params: 'console=ttyS0',
            image_os_hash_algo: 'sha256',
            image_os_hash_value: sha256(RAMDISK),
          },
        },
      });
      const uuid = task.node.uuid;
      await boot().prepareInstance(task);
      expect(calls).toEqual(['setBootDevice pxe true']);
      expect(await readFile(join(root, 'boot.ipxe'), 'utf8')).toMatch(
        /^#!ipxe\n[^]*chain --autofree pxelinux\.cfg\/\$\{mac:hexhyp\}/,
      );
      expect(await readFile(join(root, 'pxelinux.cfg', '52-54-00-aa-bb-01'), 'utf8')).toBe(
        [
          '#!ipxe',
          `# node ${uuid}: boot_ramdisk`,
          `kernel http://192.0.2.1:8080/${uuid}/boot_ramdisk_kernel console=ttyS0 initrd=ramdisk BOOTIF=01-\${mac:hexhyp}`,
          `initrd --name ramdisk http://192.0.2.1:8080/${uuid}/boot_ramdisk_ramdisk`,
          'boot',
          '',
        ].join('\n'),
      );
      expect(await readFile(join(root, uuid, 'boot_ramdisk_ramdisk'))).toEqual(RAMDISK);
      await boot().cleanUpInstance(task);
      expect(await readdir(join(root, 'pxelinux.cfg'))).toEqual([]);
      expect((await readdir(root)).sort()).toEqual(['boot.ipxe', 'master_images', 'pxelinux.cfg']);
    });

    it('with dhcp_provider dnsmasq writes a host entry per MAC and the node boot options; clean-up ignores the MAC', async () => {
      const task = makeTask({
        interfaces: { management: recordingManagement([]) },
        node: {
          ports,
          driverInfo: { deploy_kernel: `${base}/kernel`, deploy_ramdisk: `${base}/ramdisk` },
        },
      });
      const uuid = task.node.uuid;
      await boot('dnsmasq').prepareRamdisk(task, { 'ipa-api-url': 'http://192.0.2.1:6385' });
      expect(await readFile(join(root, 'hosts', '52:54:00:aa:bb:01'), 'utf8')).toBe(
        `52:54:00:aa:bb:01,set:${uuid},set:ironic\n`,
      );
      expect(await readFile(join(root, 'opts', uuid), 'utf8')).toBe(
        [
          `tag:${uuid},tag:!ipxe,option:bootfile-name,undionly.kpxe`,
          `tag:${uuid},tag:!ipxe6,option6:bootfile-url,http://192.0.2.1:8080/boot.ipxe`,
          `tag:${uuid},tag:ipxe,option:bootfile-name,http://192.0.2.1:8080/boot.ipxe`,
          '',
        ].join('\n'),
      );
      expect(await readFile(join(root, 'pxelinux.cfg', '52-54-00-aa-bb-01'), 'utf8')).toContain(
        'nofb ipa-api-url=http://192.0.2.1:6385 initrd=ramdisk',
      );
      await boot('dnsmasq').cleanUpRamdisk(task);
      expect(await readdir(join(root, 'hosts'))).toEqual(['52:54:00:aa:bb:01']);
      expect(await readFile(join(root, 'hosts', '52:54:00:aa:bb:01'), 'utf8')).toBe(
        '52:54:00:aa:bb:01,ignore\n',
      );
      expect(await readdir(join(root, 'opts'))).toEqual([]);
    });
  });
});
