import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import {
  redfishDriverInfo,
  redfishRequest,
  startRedfishBmcs,
  startRedfishFleet,
} from '../src/testing';

let emulator: RedfishEmulator;

beforeAll(async () => {
  emulator = await startRedfishFleet(1, { tls: true });
});

afterAll(async () => {
  await emulator?.close();
});

function getWith(options: https.RequestOptions, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ...options, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

describe('HTTPS with a generated CA', () => {
  it('serves https and exposes the CA as PEM and as a file', async () => {
    expect(emulator.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.caPem).toContain('BEGIN CERTIFICATE');
    expect(emulator.caPath).toBeDefined();
    expect(await readFile(emulator.caPath as string, 'utf8')).toBe(emulator.caPem);
    const ca = new X509Certificate(emulator.caPem as string);
    expect(ca.ca).toBe(true);
  });

  it('is verified with the CA, for 127.0.0.1 and for localhost', async () => {
    expect(await getWith({ ca: emulator.caPem }, `${emulator.url}/redfish/v1/`)).toBe(200);
    const localhost = emulator.url.replace('127.0.0.1', 'localhost');
    expect(await getWith({ ca: emulator.caPem }, `${localhost}/redfish/v1/`)).toBe(200);
    const res = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/1');
    expect(res.status).toBe(200);
  });

  it('gives Ironic driver_info for a System, with the CA to verify', () => {
    expect(redfishDriverInfo(emulator, emulator.system('1'))).toEqual({
      redfish_address: emulator.url,
      redfish_system_id: '/redfish/v1/Systems/1',
      redfish_username: 'admin',
      redfish_password: 'password',
      redfish_verify_ca: emulator.caPath,
    });
  });

  it('is refused without the CA', async () => {
    await expect(getWith({}, `${emulator.url}/redfish/v1/`)).rejects.toMatchObject({
      code: expect.stringMatching(
        /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
      ),
    });
    await expect(fetch(`${emulator.url}/redfish/v1/`)).rejects.toThrow();
  });

  it('is refused with another CA', async () => {
    const other = await startRedfishFleet(1, { tls: true });
    try {
      await expect(getWith({ ca: other.caPem }, `${emulator.url}/redfish/v1/`)).rejects.toThrow();
    } finally {
      await other.close();
    }
  });

  it('removes the generated files when the process exits without close()', async () => {
    const script = fileURLToPath(new URL('./support/exit-without-close.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script]);
    const caPath = stdout.trim();
    expect(caPath).toMatch(/ca\.pem$/);
    expect(existsSync(caPath)).toBe(false);
  });

  it('removes the generated files on close', async () => {
    const temporary = await startRedfishFleet(1, { tls: true });
    const path = temporary.caPath as string;
    expect(existsSync(path)).toBe(true);
    await temporary.close();
    expect(existsSync(path)).toBe(false);
  });
});

describe('a fleet of BMCs, one System each', () => {
  it('serves each System from its own port, all verified with one CA', async () => {
    const fleet = await startRedfishBmcs(3, { tls: true });
    const caPath = fleet.caPath as string;
    try {
      const ports = new Set(fleet.bmcs.map((bmc) => bmc.port));
      expect(ports.size).toBe(3);
      const uuids = new Set<string>();
      const macs = new Set<string>();
      for (const bmc of fleet.bmcs) {
        expect(bmc.caPath).toBe(caPath);
        expect(bmc.caPem).toBe(fleet.caPem);
        const res = await redfishRequest(bmc, 'GET', '/redfish/v1/Systems/1');
        expect(res.status).toBe(200);
        const system = res.json as { UUID: string };
        uuids.add(system.UUID);
        macs.add(bmc.system('1').macAddresses[0] as string);
        expect(redfishDriverInfo(bmc, bmc.system('1')).redfish_verify_ca).toBe(caPath);
      }
      expect(uuids.size).toBe(3);
      expect(macs.size).toBe(3);
      const manager = (
        await redfishRequest(fleet.bmcs[2] as RedfishEmulator, 'GET', '/redfish/v1/Managers/1')
      ).json as { UUID: string };
      const first = (
        await redfishRequest(fleet.bmcs[0] as RedfishEmulator, 'GET', '/redfish/v1/Managers/1')
      ).json as { UUID: string };
      expect(manager.UUID).not.toBe(first.UUID);
    } finally {
      await fleet.close();
    }
    expect(existsSync(caPath)).toBe(false);
  });
});
