import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baremetalWith,
  createInProcess,
  makeTestCertificates,
  sendHttp,
  startPrivatePostgres,
  type InProcessEnvironment,
  type TestCertificates,
} from '@galvanic/testing';
import { connectDatabase, loadServiceConfig, startStatusServer } from '@galvanic/runtime';

/** GET over HTTPS verifying the server with `ca`; resolves with the status or rejects. */
function httpsStatus(url: string, ca: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    httpsGet(url, { ca, timeout: 10_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('TLS: the api, conductor status servers, and PostgreSQL verified with a CA', () => {
  let folder: string;
  let certs: TestCertificates;
  let otherCa: TestCertificates;
  let env: InProcessEnvironment;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'galvanic-tls-'));
    certs = await makeTestCertificates(folder);
    otherCa = await makeTestCertificates(folder, 'stranger');
    const userFile = join(folder, 'htpasswd');
    execFileSync('htpasswd', ['-cbB', userFile, 'admin', 'tls-password'], { stdio: 'ignore' });
    env = await createInProcess({
      env: {
        GALVANIC_DEFAULT__AUTH_STRATEGY: 'http_basic',
        GALVANIC_DEFAULT__HTTP_BASIC_AUTH_USER_FILE: userFile,
        GALVANIC_API__ENABLE_SSL_API: 'true',
        GALVANIC_SSL__CERT_FILE: certs.certFile,
        GALVANIC_SSL__KEY_FILE: certs.keyFile,
      },
    });
  }, 120_000);

  afterAll(async () => {
    await env?.teardown();
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves the API over HTTPS to the baremetal CLI given the CA, and not to one without it', async () => {
    expect(env.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const options = (ca: string) => [
      '--os-auth-type',
      'http_basic',
      '--os-username',
      'admin',
      '--os-password',
      'tls-password',
      '--os-endpoint',
      env.apiUrl,
      '--os-cacert',
      ca,
      '--os-baremetal-api-version',
      '1.82',
    ];
    const trusted = await baremetalWith(options(certs.caFile), 'node', 'list', '-f', 'json');
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(JSON.parse(trusted.stdout)).toEqual([]);
    const untrusted = await baremetalWith(options(otherCa.caFile), 'node', 'list', '-f', 'json');
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/certificate verify failed|SSL/i);
    // Plain HTTP to the HTTPS port gets nothing from the API.
    await expect(sendHttp(env.apiUrl.replace('https', 'http'), 'GET', '/v1')).rejects.toThrow();
  }, 120_000);

  it('serves a conductor status server over HTTPS', async () => {
    const status = await startStatusServer({
      host: '127.0.0.1',
      port: 0,
      registry: new Registry(),
      ready: async () => undefined,
      tls: { cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile) },
    });
    try {
      const url = `https://127.0.0.1:${status.port}/healthz`;
      expect(await httpsStatus(url, readFileSync(certs.caFile))).toBe(200);
      await expect(httpsStatus(url, readFileSync(otherCa.caFile))).rejects.toThrow();
    } finally {
      await status.close();
    }
  });

  it('connects to PostgreSQL over TLS when [database] ssl_ca_file names its CA, and refuses another', async () => {
    const postgres = await startPrivatePostgres({
      tls: { certFile: certs.certFile, keyFile: certs.keyFile },
    });
    const configWith = (ca: string) =>
      loadServiceConfig({
        argv: [],
        env: { DATABASE_URL: postgres.url, GALVANIC_DATABASE__SSL_CA_FILE: ca },
        driverSectionsCheckedLater: true,
      }).config;
    try {
      const dataSource = await connectDatabase(configWith(certs.caFile), 'tls-test');
      try {
        const rows = (await dataSource.query(
          'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
        )) as { ssl: boolean }[];
        expect(rows).toEqual([{ ssl: true }]);
      } finally {
        await dataSource.destroy();
      }
      await expect(connectDatabase(configWith(otherCa.caFile), 'tls-test')).rejects.toThrow(
        /certificate/,
      );
    } finally {
      await postgres.destroy();
    }
  }, 120_000);
});
