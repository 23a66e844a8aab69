/** The config drive the conductor builds from JSON: an ISO labelled config-2, as Ironic builds. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConfigDrive } from '../src/workflows/configdrive';

const run = promisify(execFile);

describe('buildConfigDrive', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'configdrive-test-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  /** Writes the drive out and reads one file of it back with xorriso. */
  const fileOf = async (drive: string, path: string): Promise<string | undefined> => {
    const iso = join(folder, 'drive.iso');
    await writeFile(iso, gunzipSync(Buffer.from(drive, 'base64')));
    const out = join(folder, path.replaceAll('/', '_'));
    await rm(out, { force: true });
    // prettier-ignore
    await run('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', path, out]).catch(() => undefined);
    return readFile(out, 'utf8').catch(() => undefined);
  };

  it('fills in the node’s uuid and name, and writes each part where cloud-init reads it', async () => {
    const drive = await buildConfigDrive(
      { uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', name: 'node-1' },
      {
        meta_data: { 'local-hostname': 'host-1' },
        network_data: { links: [] },
        user_data: { users: ['root'] },
        vendor_data: { v: 1 },
      },
    );
    const iso = gunzipSync(Buffer.from(drive, 'base64'));
    expect(iso.subarray(32769, 32774).toString('latin1')).toBe('CD001');
    expect(iso.subarray(32808, 32816).toString('latin1')).toBe('config-2');
    expect(JSON.parse((await fileOf(drive, '/openstack/latest/meta_data.json'))!)).toEqual({
      uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123',
      name: 'node-1',
      'local-hostname': 'host-1',
    });
    expect(JSON.parse((await fileOf(drive, '/openstack/latest/network_data.json'))!)).toEqual({
      links: [],
    });
    expect(JSON.parse((await fileOf(drive, '/openstack/latest/user_data'))!)).toEqual({
      users: ['root'],
    });
    expect(JSON.parse((await fileOf(drive, '/openstack/latest/vendor_data2.json'))!)).toEqual({
      v: 1,
    });
  });

  it('keeps a uuid and name given in meta_data, and leaves out what was not given', async () => {
    const drive = await buildConfigDrive(
      { uuid: '1be26c0b-03f2-4d2e-ae87-c02d7f33c123', name: null },
      { meta_data: { uuid: 'instance', name: 'given' }, user_data: '#!/bin/sh\n' },
    );
    expect(JSON.parse((await fileOf(drive, '/openstack/latest/meta_data.json'))!)).toEqual({
      uuid: 'instance',
      name: 'given',
    });
    expect(await fileOf(drive, '/openstack/latest/user_data')).toBe('#!/bin/sh\n');
    expect(await fileOf(drive, '/openstack/latest/network_data.json')).toBeUndefined();
  });
});
