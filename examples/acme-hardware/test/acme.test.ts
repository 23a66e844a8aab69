import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidParameterValue,
  MissingParameterValue,
  passthruMethodsOf,
} from '@galvanic/driver-sdk';
import { buildInterface, makeTask, supportedInterfacesOf } from '@galvanic/driver-sdk/testing';
import { AcmeControllerError, AcmeHardware, AcmeManagement, AcmePower, AcmeVendor } from '../src';
import { startAcmeSim, type AcmeSim } from '../src/sim';

const options = { acme: { poll_interval: 0.01, power_timeout: 5 } };

describe('the Acme driver against acme-sim', () => {
  let sim: AcmeSim;
  let guarded: AcmeSim;

  beforeAll(async () => {
    sim = await startAcmeSim({ transitionMs: 80, chassis: ['rack1-u01', 'rack1-u02'] });
    guarded = await startAcmeSim({ password: 's3cret', chassis: ['locked-1'] });
  });
  afterAll(async () => {
    await sim.close();
    await guarded.close();
  });

  const acmeTask = (chassisId = 'rack1-u01', extra: Record<string, unknown> = {}) =>
    makeTask({
      driverName: 'acme-hardware',
      node: { driverInfo: { acme_address: sim.url, acme_chassis_id: chassisId, ...extra } },
    });

  describe('AcmePower', () => {
    const power = buildInterface(AcmePower, options);

    it('powers on and off, resolving once the controller reports the new state', async () => {
      const task = acmeTask();
      await expect(power.getPowerState(task)).resolves.toBe('power off');

      const started = performance.now();
      await power.setPowerState(task, 'power on');
      expect(performance.now() - started).toBeGreaterThanOrEqual(70);
      expect(sim.chassis('rack1-u01')?.power).toBe('on');
      await expect(power.getPowerState(task)).resolves.toBe('power on');

      await power.setPowerState(task, 'power off');
      await expect(power.getPowerState(task)).resolves.toBe('power off');
    });

    it('reboots through a reset, ending powered on', async () => {
      const task = acmeTask('rack1-u02');
      await power.reboot(task);
      const chassis = sim.chassis('rack1-u02');
      expect(chassis?.actions.at(-1)).toBe('reset');
      expect(chassis?.power).toBe('on');
      await power.setPowerState(task, 'soft power off');
      expect(chassis?.actions.at(-1)).toBe('graceful-off');
      await expect(power.getPowerState(task)).resolves.toBe('power off');
    });

    it('fails when the state is not reached within the timeout', async () => {
      const slow = await startAcmeSim({ transitionMs: 2000 });
      try {
        const task = makeTask({
          node: { driverInfo: { acme_address: slow.url, acme_chassis_id: 'chassis-1' } },
        });
        const attempt = power.setPowerState(task, 'power on', { timeout: 0.2 });
        await expect(attempt).rejects.toThrow(AcmeControllerError);
        await expect(attempt).rejects.toThrow('did not reach power on in 0.2 seconds');
      } finally {
        await slow.close();
      }
    });

    it("stops waiting when the task's signal aborts", async () => {
      const controller = new AbortController();
      const slow = await startAcmeSim({ transitionMs: 5000 });
      try {
        const task = makeTask({
          signal: controller.signal,
          node: { driverInfo: { acme_address: slow.url, acme_chassis_id: 'chassis-1' } },
        });
        setTimeout(() => controller.abort(new Error('caller gave up')), 100);
        await expect(power.setPowerState(task, 'power on')).rejects.toThrow('caller gave up');
      } finally {
        await slow.close();
      }
    });

    it('refuses a state it cannot set', async () => {
      await expect(power.setPowerState(acmeTask(), 'soft rebooting')).rejects.toThrow(
        InvalidParameterValue,
      );
    });

    it('names missing driver_info fields', () => {
      const task = makeTask({ node: { driverInfo: { acme_address: sim.url } } });
      expect(() => power.validate(task)).toThrow(MissingParameterValue);
      expect(() => power.validate(task)).toThrow(
        `Node ${task.node.uuid} is missing the following Acme parameters in driver_info: acme_chassis_id`,
      );
    });

    it('refuses an address that is not an http URL', () => {
      const task = acmeTask('rack1-u01', { acme_address: 'ftp://10.0.0.5' });
      expect(() => power.validate(task)).toThrow(InvalidParameterValue);
      expect(() => power.validate(acmeTask('rack1-u01', { acme_address: 'nope' }))).toThrow(
        'acme_address must be a URL, got "nope"',
      );
      expect(() => power.validate(acmeTask())).not.toThrow();
    });

    it("reports the controller's refusal of an unknown chassis", async () => {
      await expect(power.getPowerState(acmeTask('rack9-u42'))).rejects.toThrow(
        'answered 404: no such chassis: rack9-u42',
      );
    });

    it('sends acme_password to a controller that asks for one', async () => {
      const driverInfo = { acme_address: guarded.url, acme_chassis_id: 'locked-1' };
      await expect(power.getPowerState(makeTask({ node: { driverInfo } }))).rejects.toThrow(
        'answered 401',
      );
      const task = makeTask({ node: { driverInfo: { ...driverInfo, acme_password: 's3cret' } } });
      await expect(power.getPowerState(task)).resolves.toBe('power off');
    });
  });

  describe('AcmeManagement', () => {
    const management = buildInterface(AcmeManagement, options);

    it('sets and reads the boot device on the controller', async () => {
      const task = acmeTask();
      expect(management.getSupportedBootDevices()).toEqual(['pxe', 'disk', 'cdrom']);
      await management.setBootDevice(task, 'pxe', false);
      expect(sim.chassis('rack1-u01')?.boot).toEqual({ device: 'pxe', persistent: false });
      await expect(management.getBootDevice(task)).resolves.toEqual({
        boot_device: 'pxe',
        persistent: false,
      });
      await management.setBootDevice(task, 'disk', true);
      await expect(management.getBootDevice(task)).resolves.toEqual({
        boot_device: 'disk',
        persistent: true,
      });
    });

    it("refuses an unsupported device in Ironic's words", async () => {
      await expect(management.setBootDevice(acmeTask(), 'floppy', false)).rejects.toThrow(
        'Invalid boot device floppy specified.',
      );
    });
  });

  describe('AcmeVendor', () => {
    const vendor = buildInterface(AcmeVendor, options);

    it('declares blink_led (node, sync, shared lock) and list_chassis (driver, sync)', () => {
      expect(Object.fromEntries(passthruMethodsOf(vendor))).toEqual({
        blink_led: expect.objectContaining({
          scope: 'node',
          httpMethods: ['POST'],
          async: false,
          requireExclusiveLock: false,
        }),
        list_chassis: expect.objectContaining({
          scope: 'driver',
          httpMethods: ['POST'],
          async: false,
        }),
      });
    });

    it('blinks the LED of the chassis', async () => {
      const answer = await vendor.blink_led(acmeTask(), { seconds: 30 }, 'POST');
      expect(answer.blinking_until).toBe(sim.chassis('rack1-u01')?.ledBlinkingUntil);
      expect(Date.parse(answer.blinking_until)).toBeGreaterThan(Date.now() + 25_000);
    });

    it('checks the arguments of a call before it runs', () => {
      const task = acmeTask();
      expect(() => vendor.validateCall(task, 'blink_led', {})).toThrow(
        "Parameter 'seconds' not passed to method 'blink_led'.",
      );
      expect(() => vendor.validateCall(task, 'blink_led', { seconds: 9000 })).toThrow(
        InvalidParameterValue,
      );
      expect(() => vendor.validateCall(task, 'blink_led', { seconds: 5 })).not.toThrow();
      expect(() => vendor.validateCall(undefined, 'list_chassis', {})).toThrow(
        MissingParameterValue,
      );
    });

    it('lists the chassis of a controller, with no node', async () => {
      await expect(vendor.list_chassis({ acme_address: sim.url }, 'POST')).resolves.toEqual({
        chassis: ['rack1-u01', 'rack1-u02'],
      });
      await expect(
        vendor.list_chassis({ acme_address: guarded.url, acme_password: 's3cret' }, 'POST'),
      ).resolves.toEqual({ chassis: ['locked-1'] });
    });
  });
});

describe('AcmeHardware', () => {
  it('uses Acme power and management, and GenericHardware for the rest', () => {
    const type = new AcmeHardware();
    expect(supportedInterfacesOf(type)).toEqual({
      bios: ['no-bios'],
      boot: ['pxe', 'ipxe'],
      console: ['no-console'],
      deploy: ['direct', 'ramdisk'],
      firmware: ['no-firmware'],
      inspect: ['no-inspect', 'agent'],
      management: ['acme'],
      network: ['noop'],
      power: ['acme'],
      raid: ['no-raid'],
      rescue: ['no-rescue'],
      storage: ['noop'],
      vendor: ['acme', 'no-vendor'],
    });
  });
});
