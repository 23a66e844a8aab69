import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import https from 'node:https';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { redfishRequest, startRedfishFleet } from '../src/testing';

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

  it('removes the generated files on close', async () => {
    const temporary = await startRedfishFleet(1, { tls: true });
    const path = temporary.caPath as string;
    expect(existsSync(path)).toBe(true);
    await temporary.close();
    expect(existsSync(path)).toBe(false);
  });
});
