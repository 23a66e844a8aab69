/**
 * Ironic's virtual media API (1.89 POST/DELETE, 1.93 GET /v1/nodes/{node}/vmedia) through the
 * conductor and the redfish management interface, against the Redfish emulator.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiRequest,
  createInProcess,
  freePort,
  innerError,
  startImageServer,
  type ImageServer,
  type InProcessEnvironment,
} from '@galvanic/testing';
import {
  redfishDriverInfo,
  startRedfishFleet,
  type RedfishEmulator,
} from '@galvanic/redfish-emulator/testing';

interface Device {
  media_types: string[];
  inserted: boolean;
  image: string | null;
}

describe('the vmedia API against the Redfish emulator', () => {
  let env: InProcessEnvironment;
  let bmc: RedfishEmulator;
  let images: string;
  let httpRoot: string;
  let imageServer: ImageServer;
  let httpPort: number;
  let uuid: string;
  const api = (method: string, path: string, minor: number, body?: unknown) =>
    apiRequest(env.apiUrl, method, path, { minor, ...(body === undefined ? {} : { body }) });
  const devices = async () => (await api('GET', '/v1/nodes/vm/vmedia', 93)).body as Device[];
  const media = (slot: string) => bmc.systems[0]!.state().media[slot];

  /** Attach and detach run in the background: wait until the BMC shows what `done` wants. */
  async function until(done: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!done()) {
      if (Date.now() > deadline) {
        const node = (await api('GET', '/v1/nodes/vm', 89)).body as { last_error: string };
        throw new Error(`${what} did not happen; last_error: ${node.last_error}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    images = mkdtempSync(join(tmpdir(), 'vmedia-images-'));
    httpRoot = mkdtempSync(join(tmpdir(), 'vmedia-httproot-'));
    writeFileSync(join(images, 'config.img'), 'a config drive');
    imageServer = await startImageServer(images);
    bmc = await startRedfishFleet(1);
    httpPort = await freePort();
    env = await createInProcess({
      database: 'shared',
      env: {
        GALVANIC_DEPLOY__HTTP_ROOT: httpRoot,
        GALVANIC_DEPLOY__HTTP_URL: `http://127.0.0.1:${httpPort}`,
        GALVANIC_DEPLOY__HTTP_SERVER_PORT: String(httpPort),
      },
    });
    const created = await api('POST', '/v1/nodes', 89, {
      name: 'vm',
      driver: 'redfish',
      driver_info: redfishDriverInfo(bmc, bmc.systems[0]!),
    });
    expect(created.status).toBe(201);
    uuid = (created.body as { uuid: string }).uuid;
  });

  afterAll(async () => {
    await env?.teardown();
    await bmc?.close();
    await imageServer?.close();
    for (const dir of [images, httpRoot]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is not there before 1.89, and listing not before 1.93', async () => {
    const body = { device_type: 'cdrom', image_url: 'http://example.com/x.iso' };
    expect((await api('POST', '/v1/nodes/vm/vmedia', 88, body)).status).toBe(404);
    expect((await api('DELETE', '/v1/nodes/vm/vmedia', 88)).status).toBe(404);
    expect((await api('GET', '/v1/nodes/vm/vmedia', 92)).status).toBe(404);
  });

  it('refuses bad requests in Ironic words', async () => {
    const refusal = async (body: unknown, path = '/v1/nodes/vm/vmedia', method = 'POST') => {
      const res = await api(method, path, 93, body);
      expect(res.status).toBe(400);
      return innerError(res.body).faultstring;
    };
    expect(await refusal({ device_type: 'tape', image_url: 'http://x/y.iso' })).toBe(
      `Schema error for vmedia: "tape" is not one of ['disk', 'cdrom', 'floppy']`,
    );
    expect(await refusal({ device_type: 'cdrom' })).toBe(
      `Schema error for vmedia: 'image_url' is a required property`,
    );
    expect(await refusal({ device_type: 'cdrom', image_url: 'h', user: 'x' })).toBe(
      `Schema error for vmedia: Additional properties are not allowed ('user' was unexpected)`,
    );
    expect(await refusal({ device_type: 'cdrom', image_url: 'ftp://x/y.iso' })).toBe(
      'Unsupported or missing URL scheme: ftp',
    );
    expect(await refusal(undefined, '/v1/nodes/vm/vmedia?device_types=cdrom,tape', 'DELETE')).toBe(
      'Invalid device type(s) tape (valid are disk, cdrom, floppy)',
    );
  });

  it('attaches an image the BMC fetches itself, lists it, and detaches one device type', async () => {
    const iso = 'http://images.example/boot.iso';
    const res = await api('POST', '/v1/nodes/vm/vmedia', 89, {
      device_type: 'cdrom',
      image_url: iso,
      image_download_source: 'http',
    });
    expect(res.status).toBe(204);
    await until(() => media('Cd')?.image === iso, 'inserting the CD');
    expect(media('Cd')).toMatchObject({ inserted: true, image: iso });
    expect(await devices()).toEqual(
      expect.arrayContaining([{ media_types: ['CD', 'DVD'], inserted: true, image: iso }]),
    );

    expect((await api('DELETE', '/v1/nodes/vm/vmedia?device_types=cdrom', 89)).status).toBe(204);
    await until(() => media('Cd')?.image === null, 'ejecting the CD');
  });

  it('serves a local image from http_root, and detaching everything removes it', async () => {
    const res = await api('POST', '/v1/nodes/vm/vmedia', 89, {
      device_type: 'disk',
      image_url: `${imageServer.url}/config.img`,
    });
    expect(res.status).toBe(204);
    const served = `http://127.0.0.1:${httpPort}/${uuid}/vmedia-disk.img`;
    await until(() => media('Usb')?.image === served, 'inserting the USB stick');
    const fetched = await fetch(served);
    expect(await fetched.text()).toBe('a config drive');

    expect((await api('DELETE', '/v1/nodes/vm/vmedia', 89)).status).toBe(204);
    // Detaching runs in the background: the BMC ejects first, then the served copy goes.
    const servedFile = join(httpRoot, uuid, 'vmedia-disk.img');
    await until(
      () => media('Usb')?.image === null && !existsSync(servedFile),
      'ejecting everything and removing the served copy',
    );
    expect((await devices()).every((device) => !device.inserted)).toBe(true);
  });

  it('records a failed attach in last_error', async () => {
    const res = await api('POST', '/v1/nodes/vm/vmedia', 89, {
      device_type: 'cdrom',
      image_url: `${imageServer.url}/missing.iso`,
    });
    expect(res.status).toBe(204);
    let lastError = '';
    const deadline = Date.now() + 30_000;
    while (!lastError && Date.now() < deadline) {
      lastError =
        ((await api('GET', '/v1/nodes/vm', 89)).body as { last_error: string | null }).last_error ??
        '';
      if (!lastError) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(lastError).toBe(
      `Could not attach device cdrom to node ${uuid}: Failed to download image ${imageServer.url}/missing.iso, reason: the server answered 404`,
    );
    expect(media('Cd')?.image).toBeNull();
  });
});
