/**
 * Redfish documents for the test BMC, shaped after the DMTF public-rackmount1 mockup
 * (ComputerSystem 437XR1138R2, Manager BMC, Chassis 1U).
 */
export type Doc = Record<string, unknown>;

export const SYSTEM = '/redfish/v1/Systems/437XR1138R2';
export const MANAGER = '/redfish/v1/Managers/BMC';
export const CD1 = `${MANAGER}/VirtualMedia/CD1`;
export const SESSIONS = '/redfish/v1/SessionService/Sessions';
export const SUBSCRIPTIONS = '/redfish/v1/EventService/Subscriptions';
export const RESET_TARGET = `${SYSTEM}/Actions/ComputerSystem.Reset`;

const ref = (id: string) => ({ '@odata.id': id });

function collection(path: string, type: string, members: string[]): Doc {
  return {
    '@odata.type': `#${type}.${type}`,
    '@odata.id': path,
    Name: `${type}`,
    Members: members.map(ref),
    'Members@odata.count': members.length,
  };
}

export function serviceRoot(options: { sessions: boolean }): Doc {
  const root: Doc = {
    '@odata.type': '#ServiceRoot.v1_15_0.ServiceRoot',
    '@odata.id': '/redfish/v1/',
    Id: 'RootService',
    Name: 'Root Service',
    RedfishVersion: '1.15.0',
    UUID: '92384634-2938-2342-8820-489239905423',
    Systems: ref('/redfish/v1/Systems'),
    Chassis: ref('/redfish/v1/Chassis'),
    Managers: ref('/redfish/v1/Managers'),
    Tasks: ref('/redfish/v1/TaskService'),
    EventService: ref('/redfish/v1/EventService'),
    Oem: {},
  };
  if (options.sessions) {
    root.SessionService = ref('/redfish/v1/SessionService');
    root.Links = { Sessions: ref(SESSIONS) };
  }
  return root;
}

export function mockupDocuments(): Map<string, Doc> {
  const docs = new Map<string, Doc>();
  const add = (doc: Doc) => docs.set(doc['@odata.id'] as string, doc);

  add(collection('/redfish/v1/Systems', 'ComputerSystemCollection', [SYSTEM]));
  add({
    '@odata.type': '#ComputerSystem.v1_22_0.ComputerSystem',
    '@odata.id': SYSTEM,
    Id: '437XR1138R2',
    Name: 'WebFrontEnd483',
    SystemType: 'Physical',
    Manufacturer: 'Contoso',
    Model: '3500',
    SerialNumber: '437XR1138R2',
    UUID: '38947555-7742-3448-3784-823347823834',
    Status: { State: 'Enabled', Health: 'OK', HealthRollup: 'OK' },
    PowerState: 'On',
    Boot: {
      BootSourceOverrideEnabled: 'Disabled',
      BootSourceOverrideTarget: 'None',
      'BootSourceOverrideTarget@Redfish.AllowableValues': [
        'None',
        'Pxe',
        'Cd',
        'Usb',
        'Hdd',
        'BiosSetup',
        'Utilities',
        'Diags',
        'SDCard',
        'UefiTarget',
      ],
      BootSourceOverrideMode: 'UEFI',
      UefiTargetBootSourceOverride: '/0x31/0x33/0x01/0x01',
    },
    BiosVersion: 'P79 v1.45 (12/06/2017)',
    ProcessorSummary: {
      Count: 2,
      Model: 'Intel(R) Xeon(R) E5-2640 v4',
      LogicalProcessorCount: 40,
      CoreCount: 20,
      Status: { State: 'Enabled', Health: 'OK', HealthRollup: 'OK' },
    },
    MemorySummary: {
      TotalSystemMemoryGiB: 64,
      TotalSystemPersistentMemoryGiB: 0,
      Status: { State: 'Enabled', Health: 'OK', HealthRollup: 'OK' },
    },
    Bios: ref(`${SYSTEM}/Bios`),
    Processors: ref(`${SYSTEM}/Processors`),
    Memory: ref(`${SYSTEM}/Memory`),
    EthernetInterfaces: ref(`${SYSTEM}/EthernetInterfaces`),
    SimpleStorage: ref(`${SYSTEM}/SimpleStorage`),
    Storage: ref(`${SYSTEM}/Storage`),
    Links: { Chassis: [ref('/redfish/v1/Chassis/1U')], ManagedBy: [ref(MANAGER)] },
    Actions: {
      '#ComputerSystem.Reset': {
        target: RESET_TARGET,
        'ResetType@Redfish.AllowableValues': [
          'On',
          'ForceOff',
          'GracefulShutdown',
          'GracefulRestart',
          'ForceRestart',
          'Nmi',
          'ForceOn',
          'PushPowerButton',
        ],
      },
      Oem: {
        '#Contoso.Reset': { target: `${SYSTEM}/Oem/Contoso/Actions/Contoso.Reset` },
      },
    },
  });
  add({
    '@odata.type': '#Bios.v1_2_0.Bios',
    '@odata.id': `${SYSTEM}/Bios`,
    Id: 'Bios',
    Name: 'BIOS Configuration Current Settings',
    AttributeRegistry: 'BiosAttributeRegistryP89.v1_0_0',
    Attributes: {
      AdminPhone: '',
      BootMode: 'Uefi',
      EmbeddedSata: 'Raid',
      NicBoot1: 'NetworkBoot',
      ProcCoreDisable: 0,
      ProcHyperthreading: 'Enabled',
      ProcTurboMode: 'Enabled',
    },
    '@Redfish.Settings': {
      '@odata.type': '#Settings.v1_3_5.Settings',
      ETag: '9234ac83b9700123cc32',
      SettingsObject: ref(`${SYSTEM}/Bios/Settings`),
      Time: '2016-03-07T14:44.30-05:00',
    },
    Actions: {
      '#Bios.ResetBios': { target: `${SYSTEM}/Bios/Actions/Bios.ResetBios` },
      '#Bios.ChangePassword': { target: `${SYSTEM}/Bios/Actions/Bios.ChangePassword` },
    },
  });
  add({
    '@odata.type': '#Bios.v1_2_0.Bios',
    '@odata.id': `${SYSTEM}/Bios/Settings`,
    Id: 'Settings',
    Name: 'BIOS Configuration Pending Settings',
    AttributeRegistry: 'BiosAttributeRegistryP89.v1_0_0',
    Attributes: { ProcTurboMode: 'Disabled' },
  });
  add(
    collection(`${SYSTEM}/Processors`, 'ProcessorCollection', [
      `${SYSTEM}/Processors/CPU1`,
      `${SYSTEM}/Processors/CPU2`,
    ]),
  );
  for (const cpu of ['CPU1', 'CPU2']) {
    add({
      '@odata.type': '#Processor.v1_18_0.Processor',
      '@odata.id': `${SYSTEM}/Processors/${cpu}`,
      Id: cpu,
      Name: 'Processor',
      Socket: cpu,
      ProcessorType: 'CPU',
      ProcessorArchitecture: 'x86',
      InstructionSet: 'x86-64',
      Manufacturer: 'Intel(R) Corporation',
      Model: 'Multi-Core Intel(R) Xeon(R) processor 7xxx Series',
      MaxSpeedMHz: 3700,
      TotalCores: 8,
      TotalThreads: 16,
      Status: { State: 'Enabled', Health: 'OK' },
    });
  }
  add(
    collection(`${SYSTEM}/EthernetInterfaces`, 'EthernetInterfaceCollection', [
      `${SYSTEM}/EthernetInterfaces/12446A3B0411`,
      `${SYSTEM}/EthernetInterfaces/12446A3B8890`,
    ]),
  );
  add({
    '@odata.type': '#EthernetInterface.v1_12_0.EthernetInterface',
    '@odata.id': `${SYSTEM}/EthernetInterfaces/12446A3B0411`,
    Id: '12446A3B0411',
    Name: 'Ethernet Interface',
    Status: { State: 'Enabled', Health: 'OK' },
    LinkStatus: 'LinkUp',
    PermanentMACAddress: '12:44:6A:3B:04:11',
    MACAddress: '12:44:6A:3B:04:11',
    SpeedMbps: 1000,
  });
  add({
    '@odata.type': '#EthernetInterface.v1_12_0.EthernetInterface',
    '@odata.id': `${SYSTEM}/EthernetInterfaces/12446A3B8890`,
    Id: '12446A3B8890',
    Name: 'Ethernet Interface',
    Status: { State: 'Enabled', Health: 'OK' },
    LinkStatus: 'LinkUp',
    PermanentMACAddress: '12:44:6A:3B:88:90',
    SpeedMbps: 10000,
  });
  add(
    collection(`${SYSTEM}/SimpleStorage`, 'SimpleStorageCollection', [`${SYSTEM}/SimpleStorage/1`]),
  );
  add({
    '@odata.type': '#SimpleStorage.v1_3_1.SimpleStorage',
    '@odata.id': `${SYSTEM}/SimpleStorage/1`,
    Id: '1',
    Name: 'Simple Storage Controller',
    UefiDevicePath: 'Acpi(PNP0A03,0)/Pci(1F|1)/Ata(Primary,Master)/HD(Part3, Sig00110011)',
    Devices: [
      {
        Name: 'SATA Bay 1',
        Manufacturer: 'Contoso',
        Model: '3000GT8',
        CapacityBytes: 8000000000000,
        Status: { State: 'Enabled', Health: 'OK' },
      },
      { Name: 'SATA Bay 2', Status: { State: 'Absent' } },
    ],
  });
  add(collection(`${SYSTEM}/Storage`, 'StorageCollection', [`${SYSTEM}/Storage/1`]));
  add({
    '@odata.type': '#Storage.v1_15_0.Storage',
    '@odata.id': `${SYSTEM}/Storage/1`,
    Id: '1',
    Name: 'Local Storage Controller',
    Drives: [ref(`${SYSTEM}/Storage/1/Drives/3D58ECBC375FD9F2`)],
  });
  add({
    '@odata.type': '#Drive.v1_17_0.Drive',
    '@odata.id': `${SYSTEM}/Storage/1/Drives/3D58ECBC375FD9F2`,
    Id: '3D58ECBC375FD9F2',
    Name: 'Drive Sample',
    Model: 'C123',
    SerialNumber: '1234570',
    CapacityBytes: 899527000000,
    Protocol: 'SAS',
    MediaType: 'HDD',
    Status: { State: 'Enabled', Health: 'OK' },
  });
  add(collection('/redfish/v1/Managers', 'ManagerCollection', [MANAGER]));
  add({
    '@odata.type': '#Manager.v1_19_0.Manager',
    '@odata.id': MANAGER,
    Id: 'BMC',
    Name: 'Manager',
    ManagerType: 'BMC',
    FirmwareVersion: '1.00',
    Status: { State: 'Enabled', Health: 'OK' },
    VirtualMedia: ref(`${MANAGER}/VirtualMedia`),
    Links: { ManagerForServers: [ref(SYSTEM)] },
  });
  add(
    collection(`${MANAGER}/VirtualMedia`, 'VirtualMediaCollection', [
      CD1,
      `${MANAGER}/VirtualMedia/Floppy1`,
    ]),
  );
  add({
    '@odata.type': '#VirtualMedia.v1_6_3.VirtualMedia',
    '@odata.id': CD1,
    Id: 'CD1',
    Name: 'Virtual CD',
    MediaTypes: ['CD', 'DVD'],
    Image: null,
    Inserted: false,
    WriteProtected: true,
    ConnectedVia: 'NotConnected',
    Actions: {
      '#VirtualMedia.EjectMedia': { target: `${CD1}/Actions/VirtualMedia.EjectMedia` },
      '#VirtualMedia.InsertMedia': { target: `${CD1}/Actions/VirtualMedia.InsertMedia` },
    },
  });
  add({
    '@odata.type': '#VirtualMedia.v1_0_0.VirtualMedia',
    '@odata.id': `${MANAGER}/VirtualMedia/Floppy1`,
    Id: 'Floppy1',
    Name: 'Virtual Removable Media',
    MediaTypes: ['Floppy', 'USBStick'],
    Image: null,
    Inserted: false,
    WriteProtected: false,
    ConnectedVia: 'NotConnected',
  });
  add(collection('/redfish/v1/Chassis', 'ChassisCollection', ['/redfish/v1/Chassis/1U']));
  add({
    '@odata.type': '#Chassis.v1_23_0.Chassis',
    '@odata.id': '/redfish/v1/Chassis/1U',
    Id: '1U',
    Name: 'Computer System Chassis',
    ChassisType: 'RackMount',
    Manufacturer: 'Contoso',
    Model: '3500RX',
    SerialNumber: '437XR1138R2',
    Status: { State: 'Enabled', Health: 'OK' },
  });
  add({
    '@odata.type': '#SessionService.v1_1_8.SessionService',
    '@odata.id': '/redfish/v1/SessionService',
    Id: 'SessionService',
    Name: 'Session Service',
    ServiceEnabled: true,
    SessionTimeout: 30,
    Sessions: ref(SESSIONS),
  });
  add({
    '@odata.type': '#EventService.v1_10_0.EventService',
    '@odata.id': '/redfish/v1/EventService',
    Id: 'EventService',
    Name: 'Event Service',
    ServiceEnabled: true,
    DeliveryRetryAttempts: 3,
    DeliveryRetryIntervalSeconds: 60,
    Subscriptions: ref(SUBSCRIPTIONS),
  });
  add(collection(SUBSCRIPTIONS, 'EventDestinationCollection', []));
  return docs;
}

/** A Redfish error body as BMCs send them. */
export function errorBody(messageId: string, message: string, args: string[] = []): Doc {
  return {
    error: {
      code: 'Base.1.8.GeneralError',
      message: 'A general error has occurred. See ExtendedInfo for more information.',
      '@Message.ExtendedInfo': [
        {
          '@odata.type': '#Message.v1_1_1.Message',
          MessageId: messageId,
          Message: message,
          MessageArgs: args,
          MessageSeverity: 'Warning',
          Resolution: 'Correct the request and resubmit.',
        },
      ],
    },
  };
}
