import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  BootOverride,
  IndicatorLed,
  InsertMediaRequest,
  MediaState,
  PowerState,
  RedfishEmulator,
  ResetType,
  SystemBackend,
  SystemInventory,
} from '../src/index';
import { MemorySystemBackend, SystemBackendError, defaultInventory } from '../src/index';
import { redfishRequest, startRedfishEmulator } from '../src/testing';

/** A backend that records calls, as a QEMU one would turn them into VM operations. */
class RecordingBackend implements SystemBackend {
  readonly inventory: SystemInventory;
  readonly mediaSlots = [{ id: 'Cdrom0', name: 'VM CD-ROM', mediaTypes: ['CD' as const] }];
  readonly resetTypes: readonly ResetType[] = ['On', 'ForceOff', 'ForceRestart'];
  readonly calls: string[] = [];
  failNextWith: SystemBackendError | Error | undefined;
  #power: PowerState = 'Off';
  #boot: BootOverride = { target: 'Hdd', enabled: 'Continuous', mode: 'UEFI', httpBootUri: null };
  #media: MediaState = {
    image: null,
    inserted: false,
    writeProtected: true,
    transferProtocolType: null,
    transferMethod: null,
    userName: null,
  };
  readonly #listeners = new Set<() => void>();
  closed = false;

  constructor(inventory: SystemInventory) {
    this.inventory = inventory;
  }

  powerState(): PowerState {
    return this.#power;
  }

  async reset(type: ResetType): Promise<void> {
    this.#maybeFail();
    this.calls.push(`reset ${type}`);
    this.#power = type === 'ForceOff' ? 'Off' : 'On';
    if (type !== 'ForceOff') for (const listener of this.#listeners) listener();
  }

  bootOverride(): BootOverride {
    return this.#boot;
  }

  async setBootOverride(next: BootOverride): Promise<void> {
    this.#maybeFail();
    this.calls.push(`boot ${next.target} ${next.enabled} ${next.mode}`);
    this.#boot = next;
  }

  indicatorLed(): IndicatorLed {
    return 'Off';
  }

  async setIndicatorLed(state: IndicatorLed): Promise<void> {
    this.calls.push(`led ${state}`);
  }

  media(): MediaState {
    return this.#media;
  }

  async insertMedia(slotId: string, request: InsertMediaRequest): Promise<void> {
    this.#maybeFail();
    this.calls.push(`insert ${slotId} ${request.image}`);
    this.#media = { ...this.#media, image: request.image, inserted: request.inserted };
  }

  async ejectMedia(slotId: string): Promise<void> {
    this.calls.push(`eject ${slotId}`);
    this.#media = { ...this.#media, image: null, inserted: false };
  }

  onBoot(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  #maybeFail(): void {
    const error = this.failNextWith;
    this.failNextWith = undefined;
    if (error) throw error;
  }
}

describe('a pluggable System backend', () => {
  let emulator: RedfishEmulator;
  const backends: RecordingBackend[] = [];

  beforeAll(async () => {
    emulator = await startRedfishEmulator({
      systems: [{ id: 'vm-a' }, { id: 'vm-b', inventory: { model: 'QEMU Standard PC' } }],
      backendFactory: (_index, inventory) => {
        const backend = new RecordingBackend(inventory);
        backends.push(backend);
        return backend;
      },
    });
  });

  afterAll(async () => {
    await emulator?.close();
    expect(backends.every((backend) => backend.closed)).toBe(true);
  });

  it('serves what the backend reports, under the ids given', async () => {
    const res = await redfishRequest(emulator, 'GET', '/redfish/v1/Systems/vm-b');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      Id: 'vm-b',
      Model: 'QEMU Standard PC',
      PowerState: 'Off',
      Boot: { BootSourceOverrideTarget: 'Hdd', BootSourceOverrideEnabled: 'Continuous' },
      Actions: {
        '#ComputerSystem.Reset': {
          'ResetType@Redfish.AllowableValues': ['On', 'ForceOff', 'ForceRestart'],
        },
      },
    });
    const media = await redfishRequest(emulator, 'GET', '/redfish/v1/Managers/vm-b/VirtualMedia');
    expect(media.json).toMatchObject({
      Members: [{ '@odata.id': '/redfish/v1/Managers/vm-b/VirtualMedia/Cdrom0' }],
    });
  });

  it('sends resets, boot changes and media to the backend', async () => {
    const backend = backends[0] as RecordingBackend;
    await redfishRequest(emulator, 'PATCH', '/redfish/v1/Systems/vm-a', {
      body: { Boot: { BootSourceOverrideTarget: 'Cd', BootSourceOverrideEnabled: 'Once' } },
    });
    await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Managers/vm-a/VirtualMedia/Cdrom0/Actions/VirtualMedia.InsertMedia',
      {
        body: { Image: 'http://192.0.2.1/live.iso' },
      },
    );
    await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/vm-a/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'On' },
      },
    );
    expect(backend.calls).toEqual([
      'boot Cd Once UEFI',
      'insert Cdrom0 http://192.0.2.1/live.iso',
      'reset On',
    ]);
    expect(emulator.system('vm-a').state()).toMatchObject({
      powerState: 'On',
      media: { Cdrom0: { image: 'http://192.0.2.1/live.iso', inserted: true } },
    });
  });

  it('refuses reset types the backend does not offer', async () => {
    const res = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/vm-a/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'Nmi' },
      },
    );
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      error: { code: expect.stringContaining('ActionParameterValueNotInList') },
    });
  });

  it('turns backend refusals into Redfish errors: conflict 409, failure 500', async () => {
    const backend = backends[1] as RecordingBackend;
    backend.failNextWith = new SystemBackendError('conflict', 'VM is migrating');
    const conflict = await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/vm-b/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'On' },
      },
    );
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({
      error: { code: expect.stringContaining('ResourceInUse') },
    });
    backend.failNextWith = new Error('qmp socket closed');
    const failed = await redfishRequest(emulator, 'PATCH', '/redfish/v1/Systems/vm-b', {
      body: { Boot: { BootSourceOverrideTarget: 'Pxe' } },
    });
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({
      error: { code: expect.stringContaining('InternalError') },
    });
    expect(failed.text).not.toContain('qmp');
  });

  it('applies pending BIOS settings when the backend reports a boot', async () => {
    await redfishRequest(emulator, 'PATCH', '/redfish/v1/Systems/vm-b/Bios/Settings', {
      body: { Attributes: { ProcVirtualization: 'Disabled' } },
    });
    expect(emulator.system('vm-b').state().bios.attributes.ProcVirtualization).toBe('Enabled');
    await redfishRequest(
      emulator,
      'POST',
      '/redfish/v1/Systems/vm-b/Actions/ComputerSystem.Reset',
      {
        body: { ResetType: 'ForceRestart' },
      },
    );
    expect(emulator.system('vm-b').state().bios.attributes.ProcVirtualization).toBe('Disabled');
  });
});

describe('System ids', () => {
  it('refuses ids that cannot be one URI segment, and duplicates', async () => {
    await expect(startRedfishEmulator({ systems: [{ id: 'a/b' }] })).rejects.toThrow(/must be/);
    await expect(startRedfishEmulator({ systems: [{ id: 'x' }, { id: 'x' }] })).rejects.toThrow(
      /duplicate/,
    );
  });
});

describe('MemorySystemBackend', () => {
  it('restarting a host that is off powers it on; PowerCycle goes off then on', async () => {
    const backend = new MemorySystemBackend({ inventory: defaultInventory(0) });
    let boots = 0;
    backend.onBoot(() => (boots += 1));
    await backend.reset('GracefulRestart');
    expect(backend.powerState()).toBe('On');
    await backend.reset('PowerCycle');
    expect(backend.powerState()).toBe('On');
    expect(boots).toBe(2);
    backend.setPowerState('Off');
    expect(backend.powerState()).toBe('Off');
    await backend.close();
  });

  it('a later reset replaces a transition under way', async () => {
    let transition = 10_000;
    const backend = new MemorySystemBackend({
      inventory: defaultInventory(1),
      transitionMs: () => transition,
    });
    await backend.reset('On');
    expect(backend.powerState()).toBe('PoweringOn');
    transition = 0;
    await backend.reset('ForceOff');
    expect(backend.powerState()).toBe('Off');
    await backend.close();
  });

  it('gives each index its own MACs and UUID', () => {
    const a = defaultInventory(0);
    const b = defaultInventory(300);
    expect(a.uuid).not.toBe(b.uuid);
    expect(a.ethernetInterfaces[0]?.macAddress).not.toBe(b.ethernetInterfaces[0]?.macAddress);
    expect(
      new Set([...a.ethernetInterfaces, ...b.ethernetInterfaces].map((n) => n.macAddress)).size,
    ).toBe(4);
  });
});
