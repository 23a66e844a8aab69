import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedfishEmulator } from '../src/index';
import { startRedfishFleet } from '../src/testing';

const SCRIPT = fileURLToPath(new URL('./support/sushy_check.py', import.meta.url));

/** A Python with sushy (Debian: python3-sushy), if this machine has one. */
function pythonWithSushy(): string | undefined {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import sushy'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

const python = pythonWithSushy();

describe.skipIf(python === undefined)(
  'sushy (Ironic’s Redfish library) against the emulator',
  () => {
    let emulator: RedfishEmulator;

    beforeAll(async () => {
      emulator = await startRedfishFleet(2, {
        tls: true,
        auth: { username: 'ironic', password: 'sushy-pass' },
        asyncActions: {
          actions: ['VirtualMedia.InsertMedia'],
          durationMs: 200,
          retryAfterSeconds: 0,
        },
      });
    });

    afterAll(async () => {
      await emulator?.close();
    });

    it('runs power, boot, BIOS, inventory, virtual media and events through sushy', async () => {
      // requests lets REQUESTS_CA_BUNDLE override a session's CA: leave it out.
      const env = { ...process.env };
      delete env.REQUESTS_CA_BUNDLE;
      delete env.CURL_CA_BUNDLE;
      // Asynchronously: the emulator answers from this process's event loop.
      const child = spawn(
        python as string,
        [SCRIPT, emulator.url, emulator.caPath as string, 'ironic', 'sushy-pass'],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const result = { stdout: '', stderr: '', status: null as number | null };
      child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
      result.status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(result.stderr.split('\n').filter((l) => /Error|assert/.test(l))).toEqual([]);
      expect(result.stdout).toContain('sushy-check: ok');
      expect(result.status).toBe(0);
      expect(emulator.system('1').state().bootOverride.target).toBe('Pxe');
    });
  },
);
