import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RedfishEmulatorOptions } from '../src/index';
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

async function runSushyCheck(options: Omit<RedfishEmulatorOptions, 'systems'>): Promise<void> {
  const emulator = await startRedfishFleet(2, {
    tls: true,
    auth: { username: 'ironic', password: 'sushy-pass' },
    asyncActions: { actions: ['VirtualMedia.InsertMedia'], durationMs: 200, retryAfterSeconds: 0 },
    ...options,
  });
  try {
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
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr.split('\n').filter((l) => /Error|assert/.test(l))).toEqual([]);
    expect(stdout).toContain('sushy-check: ok');
    expect(status).toBe(0);
    expect(emulator.system('1').state().bootOverride.target).toBe('Pxe');
  } finally {
    await emulator.close();
  }
}

describe.skipIf(python === undefined)(
  'sushy (Ironic’s Redfish library) against the emulator',
  () => {
    it('runs power, boot, BIOS, inventory, virtual media, events and a firmware task', async () => {
      await runSushyCheck({});
    });

    it('does the same with weak ETags (sushy retries a 412 with the strong form)', async () => {
      await runSushyCheck({ weakEtags: true });
    });

    it('does the same with virtual media PATCHed instead of actions', async () => {
      await runSushyCheck({ virtualMedia: 'patch' });
    });
  },
);
