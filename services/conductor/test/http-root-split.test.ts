/**
 * Split mode with each conductor serving its own http_root (`[deploy] serve_http_root`): the api
 * and two conductors as processes over RabbitMQ, a `manual-management` node (fake power, no
 * machine) with `ipxe` boot and the `ramdisk` deploy. What a booting machine would fetch, the
 * entry script, its MAC's script, and the kernel and ramdisk that script names, comes over HTTP
 * from the `http_url` of the conductor that owns the node, and is gone after undeploy.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  baremetal,
  baremetalQuiet,
  createSplit,
  freePort,
  sendHttp,
  startImageServer,
  type ImageServer,
  type SplitEnvironment,
} from '@galvanic/testing';

const CONDUCTORS = ['c1', 'c2'] as const;
const MAC = '52:54:00:5e:00:53';
const KERNEL = 'a kernel, as the image server holds it';
const RAMDISK = 'a ramdisk, as the image server holds it';

interface NodeView {
  uuid: string;
  provision_state: string;
  power_state: string | null;
  last_error: string | null;
  conductor: string | null;
}

describe('a split-mode conductor serving http_root to the machines it boots', () => {
  let env: SplitEnvironment;
  let images: string;
  let imageServer: ImageServer;
  const roots = new Map<string, string>();
  const httpUrls = new Map<string, string>();
  const quiet = (...args: string[]) => baremetalQuiet(env.apiUrl, ...args);
  const show = async () =>
    (await apiRequest(env.apiUrl, 'GET', '/v1/nodes/split-ipxe', { minor: 112 })).body as NodeView;

  beforeAll(async () => {
    images = mkdtempSync(join(tmpdir(), 'split-images-'));
    writeFileSync(join(images, 'vmlinuz'), KERNEL);
    writeFileSync(join(images, 'initramfs.gz'), RAMDISK);
    imageServer = await startImageServer(images);
    for (const host of CONDUCTORS) {
      roots.set(host, mkdtempSync(join(tmpdir(), `split-httproot-${host}-`)));
      httpUrls.set(host, `http://127.0.0.1:${await freePort()}`);
    }
    env = await createSplit({
      conductors: CONDUCTORS,
      env: { GALVANIC_CONDUCTOR__AUTOMATED_CLEAN: 'false' },
      conductorEnv: (host) => {
        const url = new URL(httpUrls.get(host) ?? '');
        return {
          GALVANIC_DEPLOY__SERVE_HTTP_ROOT: 'true',
          GALVANIC_DEPLOY__HTTP_ROOT: roots.get(host) ?? '',
          GALVANIC_DEPLOY__HTTP_URL: url.origin,
          GALVANIC_DEPLOY__HTTP_SERVER_HOST: url.hostname,
          GALVANIC_DEPLOY__HTTP_SERVER_PORT: url.port,
        };
      },
    });
    // prettier-ignore
    await quiet(
      'node', 'create', '--driver', 'manual-management', '--name', 'split-ipxe',
      '--boot-interface', 'ipxe', '--deploy-interface', 'ramdisk',
      '--driver-info', `deploy_kernel=${imageServer.url}/vmlinuz`,
      '--driver-info', `deploy_ramdisk=${imageServer.url}/initramfs.gz`,
    );
    await quiet('port', 'create', MAC, '--node', (await show()).uuid);
    await quiet('node', 'manage', 'split-ipxe', '--wait', '120');
    await quiet('node', 'provide', 'split-ipxe', '--wait', '120');
  }, 300_000);

  afterAll(async () => {
    await env?.teardown();
    await imageServer?.close();
    for (const dir of [images, ...roots.values()])
      if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the iPXE scripts, kernel and ramdisk from the owning conductor, and removes them on undeploy', async () => {
    const sha256 = createHash('sha256').update(RAMDISK).digest('hex');
    // prettier-ignore
    await quiet(
      'node', 'set', 'split-ipxe',
      '--instance-info', `kernel=${imageServer.url}/vmlinuz`,
      '--instance-info', `ramdisk=${imageServer.url}/initramfs.gz`,
      '--instance-info', 'kernel_append_params=console=ttyS0 galvanic.test=split',
      '--instance-info', 'image_os_hash_algo=sha256',
      '--instance-info', `image_os_hash_value=${sha256}`,
    );
    await quiet('node', 'deploy', 'split-ipxe', '--wait', '120');
    const node = (await baremetal(env.apiUrl, 'node', 'show', 'split-ipxe')) as NodeView;
    // power_state is not checked: fake power reports back what the conductor recorded, and the
    // ramdisk deploy's reboot records nothing (Ironic's node_power_action would say 'power on').
    expect(node).toMatchObject({ provision_state: 'active', last_error: null });
    const owner = node.conductor ?? '';
    expect(CONDUCTORS).toContain(owner);
    const base = httpUrls.get(owner) ?? '';
    const other = httpUrls.get(CONDUCTORS.find((host) => host !== owner) ?? '') ?? '';

    // What iPXE does: the entry script, then the script for its MAC, then what that one names.
    const entry = await sendHttp(base, 'GET', '/boot.ipxe');
    expect(entry.status).toBe(200);
    expect(entry.text).toContain('chain --autofree pxelinux.cfg/${mac:hexhyp}');
    const macPath = `/pxelinux.cfg/${MAC.replaceAll(':', '-')}`;
    const script = await sendHttp(base, 'GET', macPath);
    expect(script.status).toBe(200);
    const kernelUrl = /^kernel (\S+) console=ttyS0 galvanic\.test=split /m.exec(script.text)?.[1];
    const ramdiskUrl = /^initrd --name ramdisk (\S+)$/m.exec(script.text)?.[1];
    expect(kernelUrl).toBe(`${base}/${node.uuid}/boot_ramdisk_kernel`);
    expect(ramdiskUrl).toBe(`${base}/${node.uuid}/boot_ramdisk_ramdisk`);
    const kernelPath = new URL(kernelUrl ?? '').pathname;
    const ramdiskPath = new URL(ramdiskUrl ?? '').pathname;
    expect((await sendHttp(base, 'GET', kernelPath)).text).toBe(KERNEL);
    expect((await sendHttp(base, 'GET', ramdiskPath)).text).toBe(RAMDISK);
    // Each conductor serves only its own http_root: the other one has no files for this node.
    expect((await sendHttp(other, 'GET', macPath)).status).toBe(404);
    expect((await sendHttp(other, 'GET', ramdiskPath)).status).toBe(404);
    // Downloaded once into the owner's image cache.
    expect(imageServer.requests('initramfs.gz')).toBe(1);

    await quiet('node', 'undeploy', 'split-ipxe', '--wait', '120');
    expect(await show()).toMatchObject({ provision_state: 'available', last_error: null });
    for (const path of [macPath, kernelPath, ramdiskPath]) {
      expect((await sendHttp(base, 'GET', path)).status, path).toBe(404);
    }
    // The entry script stays: every machine's DHCP answer names it.
    expect((await sendHttp(base, 'GET', '/boot.ipxe')).status).toBe(200);
  }, 300_000);
});
