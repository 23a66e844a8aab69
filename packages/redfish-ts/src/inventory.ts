/** Hardware inventory of a system, as Ironic's inspection reads it. */
import type { Connection } from './connection';
import { getMembers, getResource } from './navigation';
import { linkOf } from './resources';
import type {
  ComputerSystem,
  Drive,
  EthernetInterface,
  MemorySummary,
  Processor,
  ProcessorSummary,
  SimpleStorage,
  Storage,
} from './resources';

export interface NetworkInterfaceInfo {
  readonly id: string | undefined;
  readonly path: string | undefined;
  /** `MACAddress`, else `PermanentMACAddress`, lower-cased. */
  readonly macAddress: string | undefined;
  readonly speedMbps: number | undefined;
  readonly linkStatus: string | undefined;
  readonly state: string | undefined;
}

export interface DiskInfo {
  readonly name: string | undefined;
  readonly sizeBytes: number | undefined;
  readonly model: string | undefined;
  readonly serialNumber: string | undefined;
  readonly mediaType: string | undefined;
  readonly protocol: string | undefined;
  /** Where it was found: a SimpleStorage device or a Storage drive. */
  readonly source: 'SimpleStorage' | 'Storage';
}

export interface SystemInventory {
  readonly processorSummary: ProcessorSummary | undefined;
  readonly memorySummary: MemorySummary | undefined;
  readonly processors: Processor[];
  readonly networkInterfaces: NetworkInterfaceInfo[];
  readonly disks: DiskInfo[];
}

export async function listProcessors(conn: Connection, systemPath: string): Promise<Processor[]> {
  const system = await getResource<ComputerSystem>(conn, systemPath);
  const link = linkOf(system.Processors);
  return link ? getMembers<Processor>(conn, link) : [];
}

export async function listNetworkInterfaces(
  conn: Connection,
  systemPath: string,
): Promise<NetworkInterfaceInfo[]> {
  const system = await getResource<ComputerSystem>(conn, systemPath);
  return networkInterfacesOf(conn, system);
}

async function networkInterfacesOf(
  conn: Connection,
  system: ComputerSystem,
): Promise<NetworkInterfaceInfo[]> {
  const link = linkOf(system.EthernetInterfaces);
  if (!link) return [];
  const nics = await getMembers<EthernetInterface>(conn, link);
  return nics.map((nic) => {
    const mac = nic.MACAddress || nic.PermanentMACAddress;
    return {
      id: nic.Id,
      path: nic['@odata.id'],
      macAddress: typeof mac === 'string' ? mac.toLowerCase() : undefined,
      speedMbps: nic.SpeedMbps,
      linkStatus: nic.LinkStatus,
      state: nic.Status?.State,
    };
  });
}

/** Disks from SimpleStorage devices and from Storage drives (BMCs offer one or both). */
export async function listDisks(conn: Connection, systemPath: string): Promise<DiskInfo[]> {
  const system = await getResource<ComputerSystem>(conn, systemPath);
  return disksOf(conn, system);
}

async function disksOf(conn: Connection, system: ComputerSystem): Promise<DiskInfo[]> {
  const disks: DiskInfo[] = [];
  const simpleLink = linkOf(system.SimpleStorage);
  if (simpleLink) {
    for (const controller of await getMembers<SimpleStorage>(conn, simpleLink)) {
      for (const device of controller.Devices ?? []) {
        if (device.Status?.State === 'Absent') continue;
        disks.push({
          name: device.Name,
          sizeBytes: device.CapacityBytes,
          model: device.Model,
          serialNumber: undefined,
          mediaType: undefined,
          protocol: undefined,
          source: 'SimpleStorage',
        });
      }
    }
  }
  const storageLink = linkOf(system.Storage);
  if (storageLink) {
    for (const storage of await getMembers<Storage>(conn, storageLink)) {
      const drivePaths = (storage.Drives ?? [])
        .map((d) => linkOf(d))
        .filter((p): p is string => p !== undefined);
      const drives = await Promise.all(drivePaths.map((p) => getResource<Drive>(conn, p)));
      for (const drive of drives) {
        if (drive.Status?.State === 'Absent') continue;
        disks.push({
          name: drive.Name,
          sizeBytes: drive.CapacityBytes,
          model: drive.Model,
          serialNumber: drive.SerialNumber,
          mediaType: drive.MediaType,
          protocol: drive.Protocol,
          source: 'Storage',
        });
      }
    }
  }
  return disks;
}

/** Summaries, processors, NICs with MACs and disks of one system. */
export async function getInventory(conn: Connection, systemPath: string): Promise<SystemInventory> {
  const system = await getResource<ComputerSystem>(conn, systemPath);
  const processorsLink = linkOf(system.Processors);
  const [processors, networkInterfaces, disks] = await Promise.all([
    processorsLink ? getMembers<Processor>(conn, processorsLink) : Promise.resolve([]),
    networkInterfacesOf(conn, system),
    disksOf(conn, system),
  ]);
  return {
    processorSummary: system.ProcessorSummary,
    memorySummary: system.MemorySummary,
    processors,
    networkInterfaces,
    disks,
  };
}
