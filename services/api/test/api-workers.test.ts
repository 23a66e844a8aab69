import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  makeTestCertificates,
  startSplitMode,
  type SplitMode,
  type TestCertificates,
} from '@galvanic/testing';

/** Established connections to `port` by the pid of the process holding each, read with `ss`. */
function connectionsByPid(port: number): Map<number, number> {
  const out = execFileSync('ss', ['-Htnp', 'state', 'established', `( sport = :${port} )`], {
    encoding: 'utf8',
  });
  const counts = new Map<number, number>();
  for (const match of out.matchAll(/pid=(\d+)/g)) {
    const pid = Number(match[1]);
    counts.set(pid, (counts.get(pid) ?? 0) + 1);
  }
  return counts;
}

/** GET over a given keep-alive agent; resolves with the status. */
function get(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { agent, headers: { 'X-OpenStack-Ironic-API-Version': '1.82' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

describe('api workers: one listening socket, connections handed to the least busy worker', () => {
  let cluster: SplitMode;
  let folder: string;
  let certs: TestCertificates;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'galvanic-workers-'));
    certs = await makeTestCertificates(folder);
    cluster = await startSplitMode({
      conductors: ['workers-c1'],
      env: { GALVANIC_API__API_WORKERS: '2' },
    });
  }, 120_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('spreads a burst of 16 keep-alive connections 8 and 8 over the two workers', async () => {
    const port = Number(new URL(cluster.apiUrl).port);
    // Sent as soon as the first worker is up (startSplitMode waited for its line only): the
    // connections wait for the second rather than all staying with the first for their lives.
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 16 }, () => get(agent, `${cluster.apiUrl}/v1/nodes`)),
      );
      expect(statuses).toEqual(Array(16).fill(200));
      const byPid = connectionsByPid(port);
      expect([...byPid.values()].sort()).toEqual([8, 8]);
      // The connections stay usable: each serves again on the same worker.
      expect(
        await Promise.all(Array.from({ length: 16 }, () => get(agent, `${cluster.apiUrl}/v1`))),
      ).toEqual(Array(16).fill(200));
      expect([...connectionsByPid(port).values()].sort()).toEqual([8, 8]);
    } finally {
      agent.destroy();
    }
  });

  it('serves HTTPS through the handed connections', async () => {
    const port = await freePort();
    const api = cluster.start('services/api/src/main.ts', {
      GALVANIC_DEFAULT__HOST: 'api-tls',
      GALVANIC_API__PORT: String(port),
      GALVANIC_API__API_WORKERS: '2',
      GALVANIC_API__ENABLE_SSL_API: 'true',
      GALVANIC_SSL__CERT_FILE: certs.certFile,
      GALVANIC_SSL__KEY_FILE: certs.keyFile,
    });
    await api.waitFor(/api listening[\s\S]*api listening/);
    expect(api.output()).toContain(`https://127.0.0.1:${port}`);
    const ca = readFileSync(certs.caFile);
    const statuses = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<number>((resolve, reject) => {
            httpsGet(`https://127.0.0.1:${port}/v1`, { ca, agent: false }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            }).on('error', reject);
          }),
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200]);
  });
});
