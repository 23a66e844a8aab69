import type { DataSource } from 'typeorm';

export interface EnabledInterface {
  hardwareType: string;
  interfaceType: string;
  interfaceName: string;
  isDefault: boolean;
}

export interface ConductorRegistration {
  hostname: string;
  conductorGroup: string;
  hardwareTypes: readonly string[];
  interfaces: readonly EnabledInterface[];
}

/** A conductor as the API and the router see it, with liveness computed by the database clock. */
export interface ConductorRecord {
  hostname: string;
  conductorGroup: string;
  drivers: string[];
  alive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface ConductorQueryRow {
  hostname: string;
  conductor_group: string;
  drivers: string[];
  alive: boolean;
  created_at: Date;
  updated_at: Date;
}

const SELECT_CONDUCTORS = `
  SELECT hostname, conductor_group, drivers, created_at, updated_at,
         online AND updated_at > now() - make_interval(secs => $1) AS alive
  FROM conductors`;

function toRecord(row: ConductorQueryRow): ConductorRecord {
  return {
    hostname: row.hostname,
    conductorGroup: row.conductor_group,
    drivers: row.drivers,
    alive: row.alive,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Conductor membership in PostgreSQL: registration, heartbeats, and who counts as alive.
 * Every time comparison uses the database's clock, so skewed hosts agree on liveness.
 */
export class ConductorStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly heartbeatTimeoutSeconds: number,
  ) {}

  /**
   * Registers a conductor, taking over an earlier registration of the same hostname as Ironic
   * does (a conductor restarted after a crash must not wait for its old heartbeat to expire).
   * Resolves with whether that earlier registration still counted as alive. Two live processes
   * never share a hostname: each conductor's RPC queue is exclusive to one connection.
   */
  async register(registration: ConductorRegistration): Promise<{ tookOverLive: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      const existing: { id: number; alive: boolean }[] = await manager.query(
        `SELECT id, online AND updated_at > now() - make_interval(secs => $2) AS alive
         FROM conductors WHERE hostname = $1 FOR UPDATE`,
        [registration.hostname, this.heartbeatTimeoutSeconds],
      );
      const rows: { id: number }[] = await manager.query(
        `INSERT INTO conductors (hostname, conductor_group, drivers, online, created_at, updated_at)
         VALUES ($1, $2, $3, true, now(), now())
         ON CONFLICT (hostname) DO UPDATE SET conductor_group = EXCLUDED.conductor_group,
           drivers = EXCLUDED.drivers, online = true, created_at = now(), updated_at = now()
         RETURNING id`,
        [
          registration.hostname,
          registration.conductorGroup,
          JSON.stringify(registration.hardwareTypes),
        ],
      );
      const id = rows[0]!.id;
      await manager.query('DELETE FROM conductor_hardware_interfaces WHERE conductor_id = $1', [
        id,
      ]);
      for (const iface of registration.interfaces) {
        await manager.query(
          `INSERT INTO conductor_hardware_interfaces
             (conductor_id, hardware_type, interface_type, interface_name, "default")
           VALUES ($1, $2, $3, $4, $5)`,
          [id, iface.hardwareType, iface.interfaceType, iface.interfaceName, iface.isDefault],
        );
      }
      return { tookOverLive: existing[0]?.alive ?? false };
    });
  }

  /** Records a heartbeat; returns false when the row is gone or was marked offline by someone else. */
  async heartbeat(hostname: string): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query(
      'UPDATE conductors SET updated_at = now() WHERE hostname = $1 AND online RETURNING id',
      [hostname],
    );
    return result[1] > 0;
  }

  /** Marks a conductor offline; it stays listed as dead, as Ironic keeps it. */
  async unregister(hostname: string): Promise<void> {
    await this.dataSource.query('UPDATE conductors SET online = false WHERE hostname = $1', [
      hostname,
    ]);
  }

  async list(): Promise<ConductorRecord[]> {
    const rows: ConductorQueryRow[] = await this.dataSource.query(
      `${SELECT_CONDUCTORS} ORDER BY hostname`,
      [this.heartbeatTimeoutSeconds],
    );
    return rows.map(toRecord);
  }

  async get(hostname: string): Promise<ConductorRecord | undefined> {
    const rows: ConductorQueryRow[] = await this.dataSource.query(
      `${SELECT_CONDUCTORS} WHERE hostname = $2`,
      [this.heartbeatTimeoutSeconds, hostname],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async listAlive(): Promise<ConductorRecord[]> {
    return (await this.list()).filter((conductor) => conductor.alive);
  }

  /** Interfaces enabled by live conductors, for routing and the driver API. */
  async listAliveInterfaces(): Promise<(EnabledInterface & { hostname: string })[]> {
    const rows: {
      hostname: string;
      hardware_type: string;
      interface_type: string;
      interface_name: string;
      default: boolean;
    }[] = await this.dataSource.query(
      `SELECT c.hostname, i.hardware_type, i.interface_type, i.interface_name, i."default"
       FROM conductor_hardware_interfaces i JOIN conductors c ON c.id = i.conductor_id
       WHERE c.online AND c.updated_at > now() - make_interval(secs => $1)`,
      [this.heartbeatTimeoutSeconds],
    );
    return rows.map((row) => ({
      hostname: row.hostname,
      hardwareType: row.hardware_type,
      interfaceType: row.interface_type,
      interfaceName: row.interface_name,
      isDefault: row.default,
    }));
  }
}
