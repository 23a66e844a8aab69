import { describe, expect, it } from 'vitest';
import type { TaskContext } from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import {
  FakeBios,
  FakeBoot,
  FakeConsole,
  FakeDeploy,
  FakeFirmware,
  FakeInspect,
  FakeManagement,
  FakeNetwork,
  FakePower,
  FakeRaid,
  FakeRescue,
  FakeStorage,
  FakeVendor,
} from '../src';

const DELAY = 0.15;

async function elapsedMs(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

/** One action per fake kind, each expected to wait for its own `[fake] <kind>_delay`. */
const ACTIONS: Record<
  string,
  (options: Record<string, number>, task: TaskContext) => Promise<unknown>
> = {
  bios: (o, t) => buildInterface(FakeBios, { fake: o }).factory_reset(t, {}),
  boot: (o, t) => buildInterface(FakeBoot, { fake: o }).prepareRamdisk(t),
  console: (o, t) => buildInterface(FakeConsole, { fake: o }).startConsole(t),
  deploy: (o, t) => buildInterface(FakeDeploy, { fake: o }).deploy(t, {}),
  firmware: (o, t) => buildInterface(FakeFirmware, { fake: o }).update(t, {}),
  inspect: (o, t) => buildInterface(FakeInspect, { fake: o }).inspectHardware(t),
  management: (o, t) => buildInterface(FakeManagement, { fake: o }).setBootDevice(t, 'pxe', false),
  network: (o, t) => buildInterface(FakeNetwork, { fake: o }).addProvisioningNetwork(t),
  power: (o, t) => buildInterface(FakePower, { fake: o }).setPowerState(t, 'power on'),
  raid: (o, t) => buildInterface(FakeRaid, { fake: o }).delete_configuration(t, {}),
  rescue: (o, t) => buildInterface(FakeRescue, { fake: o }).rescue(t),
  storage: (o, t) => buildInterface(FakeStorage, { fake: o }).attachVolumes(t),
  vendor: (o, t) => buildInterface(FakeVendor, { fake: o }).second_method(t, { bar: 'x' }, 'POST'),
};

describe('fake delays', () => {
  it.each(Object.keys(ACTIONS))('%s waits for its configured delay', async (kind) => {
    const action = ACTIONS[kind]!;
    const waited = await elapsedMs(() => action({ [`${kind}_delay`]: DELAY }, makeTask()));
    expect(waited).toBeGreaterThanOrEqual(DELAY * 1000 - 10);
    expect(waited).toBeLessThan(DELAY * 1000 + 500);
  });

  it('take no time by default', async () => {
    const waited = await elapsedMs(() =>
      buildInterface(FakePower).setPowerState(makeTask(), 'power on'),
    );
    expect(waited).toBeLessThan(500);
  });

  it("read the delay from the config file's text", async () => {
    const power = buildInterface(FakePower, { fake: { power_delay: '0.1' } });
    const waited = await elapsedMs(() => power.reboot(makeTask()));
    expect(waited).toBeGreaterThanOrEqual(90);
  });

  it("stop when the task's signal aborts", async () => {
    const controller = new AbortController();
    const power = buildInterface(FakePower, { fake: { power_delay: 30 } });
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('deadline passed')), 50);
    await expect(
      power.setPowerState(makeTask({ signal: controller.signal }), 'power on'),
    ).rejects.toThrow('deadline passed');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuse a negative delay', async () => {
    await expect(() =>
      buildInterface(FakePower, { fake: { power_delay: -1 } }).reboot(makeTask()),
    ).rejects.toThrow('must be at least 0');
  });
});
