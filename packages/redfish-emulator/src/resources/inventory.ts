/** A System's hardware inventory: Processors, Memory, EthernetInterfaces, SimpleStorage, Storage. */
import type { DiskInfo, EthernetInterfaceInfo, MemoryInfo, ProcessorInfo } from '../backend/types';
import type { Router } from '../http/router';
import type { EmulatedSystem, EmulatorModel } from '../model';
import { SYSTEMS_PATH } from '../model';
import { STATUS_OK, collectionReply, lookup, ref, resourceReply } from './common';

interface InventoryKind<T extends { id: string }> {
  readonly segment: string;
  readonly collectionType: string;
  readonly collectionName: string;
  readonly items: (system: EmulatedSystem) => readonly T[];
  readonly render: (system: EmulatedSystem, item: T, path: string) => object;
}

const processors: InventoryKind<ProcessorInfo> = {
  segment: 'Processors',
  collectionType: 'ProcessorCollection',
  collectionName: 'Processors Collection',
  items: (system) => system.backend.inventory.processors,
  render: (_system, cpu, path) => ({
    '@odata.id': path,
    '@odata.type': '#Processor.v1_18_0.Processor',
    Id: cpu.id,
    Name: 'Processor',
    Socket: cpu.socket,
    ProcessorType: 'CPU',
    ProcessorArchitecture: cpu.architecture,
    InstructionSet: cpu.instructionSet,
    Manufacturer: cpu.manufacturer,
    Model: cpu.model,
    MaxSpeedMHz: cpu.maxSpeedMHz,
    TotalCores: cpu.cores,
    TotalThreads: cpu.threads,
    Status: STATUS_OK,
  }),
};

const memory: InventoryKind<MemoryInfo> = {
  segment: 'Memory',
  collectionType: 'MemoryCollection',
  collectionName: 'Memory Module Collection',
  items: (system) => system.backend.inventory.memory,
  render: (_system, dimm, path) => ({
    '@odata.id': path,
    '@odata.type': '#Memory.v1_17_0.Memory',
    Id: dimm.id,
    Name: `Memory ${dimm.deviceLocator}`,
    DeviceLocator: dimm.deviceLocator,
    MemoryType: 'DRAM',
    MemoryDeviceType: dimm.memoryDeviceType,
    CapacityMiB: dimm.capacityMiB,
    OperatingSpeedMhz: dimm.operatingSpeedMhz,
    Status: STATUS_OK,
  }),
};

const ethernetInterfaces: InventoryKind<EthernetInterfaceInfo> = {
  segment: 'EthernetInterfaces',
  collectionType: 'EthernetInterfaceCollection',
  collectionName: 'Ethernet Interface Collection',
  items: (system) => system.backend.inventory.ethernetInterfaces,
  render: (_system, nic, path) => ({
    '@odata.id': path,
    '@odata.type': '#EthernetInterface.v1_11_0.EthernetInterface',
    Id: nic.id,
    Name: `Ethernet Interface ${nic.id}`,
    InterfaceEnabled: true,
    LinkStatus: nic.linkUp ? 'LinkUp' : 'LinkDown',
    MACAddress: nic.macAddress,
    PermanentMACAddress: nic.macAddress,
    SpeedMbps: nic.speedMbps,
    FullDuplex: true,
    Status: { State: 'Enabled', Health: 'OK' },
  }),
};

function simpleStorageResource(system: EmulatedSystem, path: string): object {
  return {
    '@odata.id': path,
    '@odata.type': '#SimpleStorage.v1_3_1.SimpleStorage',
    Id: '1',
    Name: 'Simple Storage Controller',
    UefiDevicePath: 'PciRoot(0x0)/Pci(0x17,0x0)',
    Devices: system.backend.inventory.disks.map((disk) => ({
      Name: disk.name,
      Manufacturer: system.backend.inventory.manufacturer,
      Model: disk.model,
      CapacityBytes: disk.capacityBytes,
      Status: STATUS_OK,
    })),
    Status: STATUS_OK,
  };
}

function storageResource(system: EmulatedSystem, path: string): object {
  const disks = system.backend.inventory.disks;
  return {
    '@odata.id': path,
    '@odata.type': '#Storage.v1_15_0.Storage',
    Id: '1',
    Name: 'Storage Controller',
    StorageControllers: [
      {
        '@odata.id': `${path}#/StorageControllers/0`,
        MemberId: '0',
        Name: 'Emulated SATA/SAS controller',
        SupportedControllerProtocols: ['PCIe'],
        SupportedDeviceProtocols: [...new Set(disks.map((disk) => disk.protocol))],
        Status: STATUS_OK,
      },
    ],
    Drives: disks.map((disk) => ref(`${path}/Drives/${disk.id}`)),
    'Drives@odata.count': disks.length,
    Controllers: ref(`${path}/Controllers`),
    Volumes: ref(`${path}/Volumes`),
    Status: STATUS_OK,
  };
}

function storageControllerResource(system: EmulatedSystem, path: string): object {
  const disks = system.backend.inventory.disks;
  return {
    '@odata.id': path,
    '@odata.type': '#StorageController.v1_7_0.StorageController',
    Id: '0',
    Name: 'Emulated SATA/SAS controller',
    SupportedControllerProtocols: ['PCIe'],
    SupportedDeviceProtocols: [...new Set(disks.map((disk) => disk.protocol))],
    SupportedRAIDTypes: ['RAID0', 'RAID1'],
    Status: STATUS_OK,
  };
}

function driveResource(system: EmulatedSystem, disk: DiskInfo, path: string): object {
  return {
    '@odata.id': path,
    '@odata.type': '#Drive.v1_17_0.Drive',
    Id: disk.id,
    Name: disk.name,
    Manufacturer: system.backend.inventory.manufacturer,
    Model: disk.model,
    SerialNumber: disk.serialNumber,
    CapacityBytes: disk.capacityBytes,
    MediaType: disk.mediaType,
    Protocol: disk.protocol,
    Status: STATUS_OK,
  };
}

function registerKind<T extends { id: string }>(
  router: Router,
  model: EmulatorModel,
  kind: InventoryKind<T>,
): void {
  const base = `${SYSTEMS_PATH}/{system}/${kind.segment}`;
  router.on('GET', base, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    const path = `${system.path}/${kind.segment}`;
    return collectionReply(
      ctx,
      {
        path,
        type: kind.collectionType,
        name: kind.collectionName,
        members: kind.items(system).map((item) => `${path}/${item.id}`),
      },
      model.settings.pageSize,
    );
  });
  router.on('GET', `${base}/{item}`, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    const items = new Map(kind.items(system).map((item) => [item.id, item]));
    const item = lookup(items, params.item as string, ctx);
    return resourceReply(kind.render(system, item, `${system.path}/${kind.segment}/${item.id}`));
  });
}

export function registerInventoryRoutes(router: Router, model: EmulatorModel): void {
  registerKind(router, model, processors);
  registerKind(router, model, memory);
  registerKind(router, model, ethernetInterfaces);

  const singleController = (segment: string, type: string, name: string): void => {
    router.on('GET', `${SYSTEMS_PATH}/{system}/${segment}`, (ctx, params) => {
      const system = lookup(model.systemsById, params.system as string, ctx);
      const path = `${system.path}/${segment}`;
      return collectionReply(
        ctx,
        { path, type, name, members: [`${path}/1`] },
        model.settings.pageSize,
      );
    });
  };
  singleController('SimpleStorage', 'SimpleStorageCollection', 'Simple Storage Collection');
  singleController('Storage', 'StorageCollection', 'Storage Collection');

  const controllers = new Map([['1', true]]);
  router.on('GET', `${SYSTEMS_PATH}/{system}/SimpleStorage/{controller}`, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    lookup(controllers, params.controller as string, ctx);
    return resourceReply(simpleStorageResource(system, `${system.path}/SimpleStorage/1`));
  });
  router.on('GET', `${SYSTEMS_PATH}/{system}/Storage/{controller}`, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    lookup(controllers, params.controller as string, ctx);
    return resourceReply(storageResource(system, `${system.path}/Storage/1`));
  });
  router.on('GET', `${SYSTEMS_PATH}/{system}/Storage/{controller}/Controllers`, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    lookup(controllers, params.controller as string, ctx);
    const path = `${system.path}/Storage/1/Controllers`;
    return collectionReply(
      ctx,
      {
        path,
        type: 'StorageControllerCollection',
        name: 'Storage Controller Collection',
        members: [`${path}/0`],
      },
      model.settings.pageSize,
    );
  });
  router.on(
    'GET',
    `${SYSTEMS_PATH}/{system}/Storage/{controller}/Controllers/{id}`,
    (ctx, params) => {
      const system = lookup(model.systemsById, params.system as string, ctx);
      lookup(controllers, params.controller as string, ctx);
      lookup(new Map([['0', true]]), params.id as string, ctx);
      return resourceReply(
        storageControllerResource(system, `${system.path}/Storage/1/Controllers/0`),
      );
    },
  );
  // No volumes, and none can be made: RAID configuration is not emulated.
  router.on('GET', `${SYSTEMS_PATH}/{system}/Storage/{controller}/Volumes`, (ctx, params) => {
    const system = lookup(model.systemsById, params.system as string, ctx);
    lookup(controllers, params.controller as string, ctx);
    const reply = collectionReply(
      ctx,
      {
        path: `${system.path}/Storage/1/Volumes`,
        type: 'VolumeCollection',
        name: 'Volume Collection',
        members: [],
      },
      model.settings.pageSize,
    );
    return {
      ...reply,
      body: {
        ...reply.body,
        '@Redfish.OperationApplyTimeSupport': {
          '@odata.type': '#Settings.v1_3_5.OperationApplyTimeSupport',
          SupportedValues: ['Immediate'],
        },
      },
    };
  });
  router.on(
    'GET',
    `${SYSTEMS_PATH}/{system}/Storage/{controller}/Drives/{drive}`,
    (ctx, params) => {
      const system = lookup(model.systemsById, params.system as string, ctx);
      lookup(controllers, params.controller as string, ctx);
      const disks = new Map(system.backend.inventory.disks.map((disk) => [disk.id, disk]));
      const disk = lookup(disks, params.drive as string, ctx);
      return resourceReply(
        driveResource(system, disk, `${system.path}/Storage/1/Drives/${disk.id}`),
      );
    },
  );
}
