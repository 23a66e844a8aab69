import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedfishClient, RedfishTlsError } from '../src/index';
import type { RedfishClientOptions } from '../src/index';
import { BMC_PASSWORD, BMC_USER, FakeBmc } from './support/fake-bmc';
import { SYSTEM } from './support/mockup';
import { makeTestPki } from './support/tls';
import type { TestPki } from './support/tls';

let pki: TestPki;
let bmc: FakeBmc;

beforeAll(async () => {
  pki = makeTestPki();
  bmc = await FakeBmc.start({ tls: { key: pki.key, cert: pki.cert } });
});

afterAll(async () => {
  await bmc?.close();
  pki?.cleanup();
});

async function fetchSystem(options: Partial<RedfishClientOptions>) {
  const client = new RedfishClient({
    address: bmc.url,
    username: BMC_USER,
    password: BMC_PASSWORD,
    authType: 'session',
    retries: 2,
    retryBaseDelayMs: 5,
    ...options,
  });
  try {
    return await client.get(SYSTEM);
  } finally {
    await client.close();
  }
}

describe('TLS', () => {
  it('verifies the BMC certificate against a CA bundle file', async () => {
    expect((await fetchSystem({ verifyCa: pki.caFile })).Id).toBe('437XR1138R2');
  });

  it('refuses a self-signed BMC by default, as a typed TLS error, without retrying', async () => {
    const before = bmc.requests.length;
    const err = await fetchSystem({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedfishTlsError);
    expect((err as RedfishTlsError).requestMayHaveBeenSent).toBe(false);
    expect((err as RedfishTlsError).errno).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(bmc.requests.length).toBe(before);
  });

  it('refuses a BMC with a self-signed certificate unless verification is off', async () => {
    const selfSigned = await FakeBmc.start({ tls: pki.selfSigned });
    try {
      const options = {
        address: selfSigned.url,
        username: BMC_USER,
        password: BMC_PASSWORD,
        authType: 'basic' as const,
      };
      const verifying = new RedfishClient(options);
      const err = await verifying.get(SYSTEM).catch((e: unknown) => e);
      await verifying.close();
      expect(err).toBeInstanceOf(RedfishTlsError);
      expect((err as RedfishTlsError).errno).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(selfSigned.requests).toHaveLength(0);
      const trusting = new RedfishClient({ ...options, verifyCa: false });
      expect((await trusting.get(SYSTEM)).Id).toBe('437XR1138R2');
      await trusting.close();
    } finally {
      await selfSigned.close();
    }
  });

  it('refuses with verifyCa true (system CAs)', async () => {
    await expect(fetchSystem({ verifyCa: true })).rejects.toBeInstanceOf(RedfishTlsError);
  });

  it('refuses a certificate from another CA', async () => {
    await expect(fetchSystem({ verifyCa: pki.otherCaFile })).rejects.toBeInstanceOf(
      RedfishTlsError,
    );
  });

  it('accepts any certificate only with verifyCa false', async () => {
    expect((await fetchSystem({ verifyCa: false })).Id).toBe('437XR1138R2');
  });

  it('reports an unreadable CA bundle as a TLS error', async () => {
    const err = await fetchSystem({ verifyCa: '/nonexistent/ca.pem' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedfishTlsError);
    expect((err as RedfishTlsError).errno).toBe('ENOENT');
  });

  it('reports plain HTTP spoken to an HTTPS client as a TLS error', async () => {
    const plain = await FakeBmc.start();
    try {
      const client = new RedfishClient({
        address: `https://127.0.0.1:${plain.port}`,
        username: BMC_USER,
        password: BMC_PASSWORD,
        authType: 'basic',
      });
      await expect(client.get(SYSTEM)).rejects.toBeInstanceOf(RedfishTlsError);
      await client.close();
    } finally {
      await plain.close();
    }
  });
});
