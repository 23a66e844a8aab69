import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@galvanic/logging';
import { sendHttp } from '@galvanic/testing';
import { startHttpRootServer, type RunningHttpRootServer } from '../src/http-root-server';

describe('the boot HTTP server over http_root', () => {
  let root: string;
  let outside: string;
  let server: RunningHttpRootServer;
  let base: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'httproot-'));
    outside = mkdtempSync(join(tmpdir(), 'outside-'));
    mkdirSync(join(root, 'node-1'));
    writeFileSync(join(root, 'boot.ipxe'), '#!ipxe\n');
    writeFileSync(join(root, 'node-1', 'boot_ramdisk_kernel'), 'kernel bytes');
    writeFileSync(join(outside, 'secret'), 'not served');
    symlinkSync(join(outside, 'secret'), join(root, 'escape'));
    server = await startHttpRootServer({
      root,
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger(),
    });
    base = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
    for (const dir of [root, outside]) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the files under http_root, with their length', async () => {
    const script = await sendHttp(base, 'GET', '/boot.ipxe', {});
    expect(script.status).toBe(200);
    expect(script.text).toBe('#!ipxe\n');
    const head = await sendHttp(base, 'HEAD', '/node-1/boot_ramdisk_kernel', {});
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('12');
  });

  it('serves nothing outside http_root, no directories, and nothing but GET and HEAD', async () => {
    // An encoded slash survives URL normalisation: decoded, it climbs out of http_root.
    const climb = `/..%2F${basename(outside)}%2Fsecret`;
    for (const path of [climb, '/escape', '/node-1', '/missing']) {
      expect((await sendHttp(base, 'GET', path, {})).status, path).toBe(404);
    }
    const put = await sendHttp(base, 'PUT', '/boot.ipxe', {}, 'x');
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD');
  });
});
