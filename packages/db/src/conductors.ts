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
  /** The RPC contract version (`major.minor`) the conductor speaks. */
  contractVersion: string;
}

/** A conductor as the API and the router see it, with liveness computed by the database clock. */
export interface ConductorRecord {
  hostname: string;
  conductorGroup: string;
  drivers: string[];
  /** The RPC contract version it speaks; null for a conductor registered before versions. */
  contractVersion: string | null;
  alive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

interface ConductorQueryRow {
  hostname: string;
  conductor_group: string;
  drivers: string[];
  contract_version: string | null;
  alive: boolean;
  created_at: Date;
  updated_at: Date;
}

/**
 * The database's own clock and restarts: when the server last started, and the newest heartbeat
 * it recorded before that (about when it went down). Heartbeats cannot be recorded while the
 * database is down, so that stretch is not counted against anyone.
 */
const DATABASE_CLOCK = `database_clock AS (
  SELECT pg_postmaster_start_time() AS started,
    (SELECT max(updated_at) FROM conductors WHERE updated_at < pg_postmaster_start_time())
      AS last_heartbeat_before_start)`;

/**
 * Whether conductor row `c` is alive, against the heartbeat timeout `timeoutParam` (seconds),
 * with {@link DATABASE_CLOCK} as `d`. A heartbeat's age is the database's time since it, less the
 * time the database itself was down: for a heartbeat recorded before the last start, the time
 * from it to the last heartbeat recorded before the start plus the time since the start. So after
 * an outage, conductors that beat up to it stay alive for what was left of their timeout, counted
 * from the restart, and beat again in that time; one that died stays dead or dies by then.
 */
function aliveSql(c: string, timeoutParam: string): string {
  const timeout = `make_interval(secs => ${timeoutParam})`;
  return `(${c}.online AND (
    ${c}.updated_at > now() - ${timeout}
    OR (${c}.updated_at < d.started
      AND (now() - d.started) + (d.last_heartbeat_before_start - ${c}.updated_at) < ${timeout})))`;
}

const SELECT_CONDUCTORS = `
  WITH ${DATABASE_CLOCK}
  SELECT c.hostname, c.conductor_group, c.drivers, c.contract_version, c.created_at, c.updated_at,
         ${aliveSql('c', '$1')} AS alive
  FROM conductors c CROSS JOIN database_clock d`;

/** What a heartbeat found. */
export interface HeartbeatOutcome {
  /** False when the row is gone or was marked offline by someone else: nothing was recorded. */
  recorded: boolean;
  /** Whether the conductor still counted as alive just before this heartbeat. */
  wasAlive: boolean;
}

function toRecord(row: ConductorQueryRow): ConductorRecord {
  return {
    hostname: row.hostname,
    conductorGroup: row.conductor_group,
    drivers: row.drivers,
    contractVersion: row.contract_version,
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
        `WITH ${DATABASE_CLOCK}
         SELECT c.id, ${aliveSql('c', '$2')} AS alive
         FROM conductors c CROSS JOIN database_clock d WHERE c.hostname = $1 FOR UPDATE OF c`,
        [registration.hostname, this.heartbeatTimeoutSeconds],
      );
      const rows: { id: number }[] = await manager.query(
        `INSERT INTO conductors
           (hostname, conductor_group, drivers, contract_version, online, created_at, updated_at)
         VALUES ($1, $2, $3, $4, true, now(), now())
         ON CONFLICT (hostname) DO UPDATE SET conductor_group = EXCLUDED.conductor_group,
           drivers = EXCLUDED.drivers, contract_version = EXCLUDED.contract_version,
           online = true, created_at = now(), updated_at = now()
         RETURNING id`,
        [
          registration.hostname,
          registration.conductorGroup,
          JSON.stringify(registration.hardwareTypes),
          registration.contractVersion,
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

  /** Records a heartbeat, and says whether the conductor still counted as alive before it. */
  async heartbeat(hostname: string): Promise<HeartbeatOutcome> {
    const rows: { recorded: number; was_alive: boolean | null }[] = await this.dataSource.query(
      `WITH ${DATABASE_CLOCK},
       before AS (SELECT c.id, ${aliveSql('c', '$2')} AS alive
         FROM conductors c CROSS JOIN database_clock d WHERE c.hostname = $1 AND c.online),
       beat AS (UPDATE conductors SET updated_at = now() WHERE id IN (SELECT id FROM before)
         RETURNING id)
       SELECT (SELECT count(*) FROM beat)::int AS recorded,
         (SELECT alive FROM before) AS was_alive`,
      [hostname, this.heartbeatTimeoutSeconds],
    );
    const row = rows[0];
    return { recorded: (row?.recorded ?? 0) > 0, wasAlive: row?.was_alive === true };
  }

  /** Marks a conductor offline; it stays listed as dead, as Ironic keeps it. */
  async unregister(hostname: string): Promise<void> {
    await this.dataSource.query('UPDATE conductors SET online = false WHERE hostname = $1', [
      hostname,
    ]);
  }

  async list(): Promise<ConductorRecord[]> {
    const rows: ConductorQueryRow[] = await this.dataSource.query(
      `${SELECT_CONDUCTORS} ORDER BY c.hostname`,
      [this.heartbeatTimeoutSeconds],
    );
    return rows.map(toRecord);
  }

  async get(hostname: string): Promise<ConductorRecord | undefined> {
    const rows: ConductorQueryRow[] = await this.dataSource.query(
      `${SELECT_CONDUCTORS} WHERE c.hostname = $2`,
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
      `WITH ${DATABASE_CLOCK}
       SELECT c.hostname, i.hardware_type, i.interface_type, i.interface_name, i."default"
       FROM conductor_hardware_interfaces i JOIN conductors c ON c.id = i.conductor_id
         CROSS JOIN database_clock d
       WHERE ${aliveSql('c', '$1')}`,
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
