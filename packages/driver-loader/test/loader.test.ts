import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTERFACE_KINDS, type InterfaceKind } from '@galvanic/driver-sdk';
import { configReader, recordingLogger } from '@galvanic/driver-sdk/testing';
import {
  availableDrivers,
  buildCatalog,
  defaultInterface,
  findDriverPackage,
  loadDrivers,
  type DriverSelection,
} from '../src';
import {
  basePackage,
  className,
  FixtureInstall,
  hardwareTypeSource,
  interfaceSource,
} from './fixtures';

function selection(
  overrides: Partial<DriverSelection> & { enable?: Partial<Record<InterfaceKind, string[]>> } = {},
): DriverSelection {
  const interfaces = Object.fromEntries(
    INTERFACE_KINDS.map((kind) => [kind, overrides.enable?.[kind] ?? ['base']]),
  ) as Record<InterfaceKind, string[]>;
  return {
    hardwareTypes: overrides.hardwareTypes ?? ['base-hardware'],
    interfaces,
    defaults: overrides.defaults ?? {},
  };
}

describe('driver loader', () => {
  let install: FixtureInstall;

  beforeEach(() => {
    install = new FixtureInstall();
    install.add(basePackage());
    (globalThis as { __constructed?: string[] }).__constructed = [];
  });
  afterEach(() => install.remove());

  const catalogOf = (...names: string[]) =>
    buildCatalog(names.map((name) => findDriverPackage(name, [install.root])));
  const load = async (
    names: string[],
    chosen: DriverSelection,
    options: Record<string, Record<string, unknown>> = {},
  ) =>
    loadDrivers({
      catalog: await catalogOf(...names),
      selection: chosen,
      config: configReader(options),
      logger: recordingLogger(),
    });

  it('loads an installed package and registers what is enabled', async () => {
    const registry = await load(['base-drivers'], selection());
    expect([...registry.hardwareTypes.keys()]).toEqual(['base-hardware']);
    expect(registry.registration()).toHaveLength(INTERFACE_KINDS.length);
    expect(registry.registration()[0]).toEqual({
      hardwareType: 'base-hardware',
      interfaceType: 'bios',
      interfaceName: 'base',
      isDefault: true,
    });
  });

  it('instantiates only the enabled implementations', async () => {
    install.add({
      name: 'acme',
      galvanic: {
        sdkApiVersion: 1,
        interfaces: { power: { acme: 'AcmePower' }, management: { spare: 'SpareManagement' } },
      },
      source: `${interfaceSource('power', 'acme')}\n${interfaceSource('management', 'spare')}`,
    });
    await load(['base-drivers', 'acme'], selection({ enable: { power: ['base', 'acme'] } }));
    const built = (globalThis as { __constructed?: string[] }).__constructed!;
    expect(built).toContain('power:acme');
    expect(built).not.toContain('management:spare');
  });

  describe('refuses to start, naming the culprit, when', () => {
    it('an enabled hardware type is unknown', async () => {
      await expect(
        load(['base-drivers'], selection({ hardwareTypes: ['base-hardware', 'nope-hardware'] })),
      ).rejects.toThrow(
        /hardware type nope-hardware could not be loaded\. Reason: \[DEFAULT\] enabled_hardware_types names it, but no installed package declares it \(installed: base-hardware\)/,
      );
    });

    it('an enabled interface is unknown', async () => {
      await expect(
        load(['base-drivers'], selection({ enable: { power: ['base', 'ghost'] } })),
      ).rejects.toThrow(
        /power interface ghost could not be loaded\. Reason: \[DEFAULT\] enabled_power_interfaces names it/,
      );
    });

    it('an enabled hardware type has no enabled implementation of some kind', async () => {
      install.add({
        name: 'picky',
        galvanic: {
          sdkApiVersion: 1,
          hardwareTypes: { 'picky-hardware': 'PickyHardware' },
          interfaces: { power: { picky: 'PickyPower' } },
        },
        source: `${interfaceSource('power', 'picky')}\n${hardwareTypeSource('PickyHardware', { power: ['picky'] })}`,
      });
      await expect(
        load(['base-drivers', 'picky'], selection({ hardwareTypes: ['picky-hardware'] })),
      ).rejects.toThrow(
        /hardware type picky-hardware could not be loaded\. Reason: hardware type picky-hardware supports power interfaces \[picky\], none of which is enabled in \[DEFAULT\] enabled_power_interfaces \[base\]/,
      );
    });

    it('two packages claim the same name', async () => {
      install.add({ ...basePackage('copycat'), name: 'copycat' });
      await expect(catalogOf('base-drivers', 'copycat')).rejects.toThrow(
        /hardware type base-hardware could not be loaded\. Reason: both base-drivers and copycat declare it/,
      );
    });

    it('a package targets an incompatible SDK version', async () => {
      install.add({ name: 'future', galvanic: { sdkApiVersion: 2 }, source: '' });
      expect(() => findDriverPackage('future', [install.root])).toThrow(
        /future could not be loaded\. Reason: it targets driver SDK API version 2, but this conductor provides version 1 \(@galvanic\/driver-sdk \d+\.\d+\.\d+\)/,
      );
    });

    it('a declared class does not implement its interface', async () => {
      install.add({
        name: 'lazy',
        galvanic: { sdkApiVersion: 1, interfaces: { power: { lazy: 'LazyPower' } } },
        source: interfaceSource('power', 'lazy', ['reboot', 'setPowerState']),
      });
      await expect(catalogOf('base-drivers', 'lazy')).rejects.toThrow(
        /power interface lazy could not be loaded\. Reason: the class does not implement setPowerState, reboot/,
      );
    });

    it('a declared class is of another kind', async () => {
      install.add({
        name: 'mixed',
        galvanic: { sdkApiVersion: 1, interfaces: { management: { mixed: 'MixedPower' } } },
        source: interfaceSource('power', 'mixed'),
      });
      await expect(catalogOf('mixed')).rejects.toThrow(
        /management interface mixed could not be loaded\. Reason: the class is declared as a management interface but does not extend the SDK's management base class \(it is a power interface\)/,
      );
    });

    it('a declared export is missing', async () => {
      install.add({
        name: 'typo',
        galvanic: { sdkApiVersion: 1, interfaces: { power: { typo: 'TypoPowr' } } },
        source: interfaceSource('power', 'typo'),
      });
      await expect(catalogOf('typo')).rejects.toThrow(
        /declares it as export "TypoPowr", which its main module does not export/,
      );
    });

    it('a package has no galvanic declaration, or is not installed', async () => {
      install.add({ name: 'plain', galvanic: undefined, source: '' });
      expect(() => findDriverPackage('plain', [install.root])).toThrow(
        /declares no "galvanic" field/,
      );
      expect(() => findDriverPackage('missing-pkg', [install.root])).toThrow(
        /missing-pkg could not be loaded\. Reason: the package is not installed/,
      );
    });

    it('a default interface is not enabled', async () => {
      await expect(
        load(['base-drivers'], selection({ defaults: { power: 'other' } })),
      ).rejects.toThrow(
        /\[DEFAULT\] default_power_interface names it, but it is not enabled \(enabled: base\)/,
      );
    });
  });

  it('enables, where the operator left a kind unset, what the enabled types support and is installed', async () => {
    install.add({
      name: 'acme',
      galvanic: {
        sdkApiVersion: 1,
        hardwareTypes: { 'acme-hardware': 'AcmeHardware' },
        interfaces: { power: { acme: 'AcmePower' }, management: { spare: 'SpareManagement' } },
      },
      source: [
        interfaceSource('power', 'acme'),
        interfaceSource('management', 'spare'),
        hardwareTypeSource('AcmeHardware', { power: ['acme', 'not-installed', 'base'] }),
      ].join('\n'),
    });
    const registry = await load(['base-drivers', 'acme'], {
      hardwareTypes: ['base-hardware', 'acme-hardware'],
      interfaces: {},
      defaults: {},
    });
    expect(registry.hardwareType('acme-hardware')?.enabled.power).toEqual(['acme', 'base']);
    expect(registry.hardwareType('acme-hardware')?.defaults.power).toBe('acme');
    expect(registry.hardwareType('base-hardware')?.defaults.power).toBe('base');
    expect((globalThis as { __constructed?: string[] }).__constructed).not.toContain(
      'management:spare',
    );
  });

  it('refuses, with kinds left unset, an enabled type none of whose implementations is installed', async () => {
    install.add({
      name: 'orphan',
      galvanic: { sdkApiVersion: 1, hardwareTypes: { 'orphan-hardware': 'OrphanHardware' } },
      source: hardwareTypeSource('OrphanHardware', { power: ['ghost'] }),
    });
    await expect(
      load(['base-drivers', 'orphan'], {
        hardwareTypes: ['orphan-hardware'],
        interfaces: {},
        defaults: {},
      }),
    ).rejects.toThrow(
      /hardware type orphan-hardware could not be loaded\. Reason: it supports power interfaces \[ghost\], none of which is installed/,
    );
  });

  it('lists what is installed with its package, leaving fake ones out unless asked', async () => {
    install.add({
      name: 'fakes',
      galvanic: {
        sdkApiVersion: 1,
        hardwareTypes: { 'fake-thing': 'FakeThing' },
        interfaces: { power: { fake: className('power', 'fake') } },
      },
      source: `${interfaceSource('power', 'fake')}\n${hardwareTypeSource('FakeThing', {})}`,
    });
    const catalog = await catalogOf('base-drivers', 'fakes');
    const names = (all: boolean) =>
      availableDrivers(catalog, all).map((row) => `${row.kind}:${row.name}:${row.package}`);
    expect(names(false)).toContain('hardware type:base-hardware:base-drivers');
    expect(names(false).some((row) => row.includes('fake'))).toBe(false);
    expect(names(true)).toContain('hardware type:fake-thing:fakes');
    expect(names(true)).toContain('power interface:fake:fakes');
  });
});

describe('default interface', () => {
  it('is the configured default when the type supports it', () => {
    expect(defaultInterface('power', 't', ['a', 'b'], ['a', 'b'], 'b')).toEqual({ name: 'b' });
  });
  it('is the first supported and enabled one otherwise', () => {
    expect(defaultInterface('power', 't', ['a', 'b', 'c'], ['c', 'b'], undefined)).toEqual({
      name: 'b',
    });
    expect(defaultInterface('power', 't', ['a', 'b'], ['b', 'x'], 'x')).toEqual({ name: 'b' });
  });
  it('says why when there is none', () => {
    expect(defaultInterface('boot', 'acme', ['pxe'], ['ipxe'], undefined)).toEqual({
      reason:
        'hardware type acme supports boot interfaces [pxe], none of which is enabled in [DEFAULT] enabled_boot_interfaces [ipxe]',
    });
  });
});

describe('steps', () => {
  let install: FixtureInstall;
  beforeEach(() => {
    install = new FixtureInstall();
    install.add(basePackage());
  });
  afterEach(() => install.remove());

  it('are listed by priority, then by the rank of their interface, as Ironic orders them', async () => {
    const step = (kind: string, cls: string, method: string, priority: number) =>
      `sdk.${kind}Step({ priority: ${priority} })(${cls}.prototype.${method}, { kind: 'method', name: '${method}' });`;
    install.add({
      name: 'stepped',
      galvanic: {
        sdkApiVersion: 1,
        interfaces: {
          deploy: { stepped: 'SteppedDeploy' },
          power: { stepped: 'SteppedPower' },
          bios: { stepped: 'SteppedBios' },
        },
      },
      source: [
        interfaceSource('deploy', 'stepped'),
        interfaceSource('power', 'stepped'),
        interfaceSource('bios', 'stepped'),
        'SteppedBios.prototype.applySettings = async function () {};',
        'SteppedPower.prototype.warmUp = async function () {};',
        step('deploy', 'SteppedDeploy', 'deploy', 100),
        step('deploy', 'SteppedPower', 'warmUp', 80),
        step('deploy', 'SteppedBios', 'applySettings', 80),
        step('clean', 'SteppedBios', 'applySettings', 10),
      ].join('\n'),
    });
    const chosen = {
      hardwareTypes: ['base-hardware'],
      interfaces: Object.fromEntries(
        INTERFACE_KINDS.map((k) => [
          k,
          ['deploy', 'power', 'bios'].includes(k) ? ['base', 'stepped'] : ['base'],
        ]),
      ) as Record<InterfaceKind, string[]>,
      defaults: {},
    };
    const catalog = await buildCatalog(
      ['base-drivers', 'stepped'].map((name) => findDriverPackage(name, [install.root])),
    );
    const registry = loadDrivers({
      catalog,
      selection: chosen,
      config: configReader(),
      logger: recordingLogger(),
    });
    const names = Object.fromEntries(INTERFACE_KINDS.map((k) => [k, 'base'])) as Record<
      InterfaceKind,
      string
    >;
    Object.assign(names, { deploy: 'stepped', power: 'stepped', bios: 'stepped' });
    expect(
      registry.steps('deploy', names).map((s) => `${s.interface}.${s.step}:${s.priority}`),
    ).toEqual(['deploy.deploy:100', 'power.warmUp:80', 'bios.applySettings:80']);
    expect(registry.steps('clean', names)).toEqual([
      {
        interface: 'bios',
        step: 'applySettings',
        priority: 10,
        argsinfo: null,
        abortable: false,
        requiresRamdisk: true,
      },
    ]);
  });
});
