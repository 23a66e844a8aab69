import { describe, expect, it } from 'vitest';
import { InvalidParameterValue } from '@galvanic/driver-sdk';
import { buildInterface, makeTask } from '@galvanic/driver-sdk/testing';
import { NoopManagement, NoopNetwork, NoopStorage } from '../src';

describe('the noop interfaces', () => {
  it('noop storage validates and lets the image be written', () => {
    const storage = buildInterface(NoopStorage);
    expect(() => storage.validate()).not.toThrow();
    expect(storage.shouldWriteImage(makeTask())).toBe(true);
  });

  it('noop network validates', () => {
    expect(() => buildInterface(NoopNetwork).validate()).not.toThrow();
  });

  it('noop management accepts the preconfigured devices and knows no current one', async () => {
    const management = buildInterface(NoopManagement);
    const task = makeTask();
    expect(management.getSupportedBootDevices()).toEqual(['pxe', 'disk']);
    await expect(management.setBootDevice(task, 'pxe', true)).resolves.toBeUndefined();
    expect(task.node.driverInternalInfo).toEqual({});
    await expect(management.getBootDevice()).resolves.toEqual({
      boot_device: null,
      persistent: null,
    });
    await expect(management.setBootDevice(task, 'cdrom', false)).rejects.toThrow(
      InvalidParameterValue,
    );
  });
});
