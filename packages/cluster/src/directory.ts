import type { ConductorRecord, ConductorStore, EnabledInterface } from '@galvanic/db';
import { NoValidHost } from '@galvanic/errors';
import type { Logger } from '@galvanic/logging';
import { ContractVersion, HashRing } from '@galvanic/rpc';

/**
 * The live conductors as last read from the database, and the routing built on them: a
 * consistent hash ring per (hardware type, conductor group), as Ironic keeps. Refreshed on an
 * interval, so a conductor that joins takes its share of nodes and a dead one leaves routing.
 * Only conductors that speak this directory's RPC contract major are routed to (as Ironic's RPC
 * version pins keep a rolling upgrade apart): the others are left out of every ring.
 */
export class ConductorDirectory {
  private conductors: readonly ConductorRecord[] = [];
  /** Live conductors left out of routing because they speak another contract major. */
  private otherContracts: readonly ConductorRecord[] = [];
  private readonly contractVersion: ContractVersion;
  private interfaces = new Map<string, DriverInterfaces>();
  private rings = new Map<string, HashRing>();
  private roundRobin = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ConductorStore,
    private readonly refreshIntervalMs: number,
    private readonly logger: Logger,
    /** The RPC contract version (`major.minor`) of the calls routed by this directory. */
    contractVersion: string,
  ) {
    this.contractVersion = ContractVersion.parse(contractVersion);
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((error: unknown) =>
        this.logger.error('could not refresh the conductor list', { error }),
      );
    }, this.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async refresh(): Promise<void> {
    const [alive, rows] = await Promise.all([
      this.store.listAlive(),
      this.store.listAliveInterfaces(),
    ]);
    const speaking = alive.filter((c) => this.contractVersion.interoperatesWith(c.contractVersion));
    const hosts = new Set(speaking.map((c) => c.hostname));
    this.interfaces = groupInterfaces(rows.filter((row) => hosts.has(row.hostname)));
    const before = this.conductors.map((c) => c.hostname).join(',');
    const after = speaking.map((c) => c.hostname).join(',');
    if (before !== after) this.logger.info('live conductors changed', { conductors: after });
    const others = alive.filter((c) => !hosts.has(c.hostname));
    const othersBefore = this.otherContracts.map(describeContract).join(', ');
    const othersAfter = others.map(describeContract).join(', ');
    if (othersAfter && othersAfter !== othersBefore) {
      this.logger.warn('live conductors speak another RPC contract major and get no calls', {
        contract_version: this.contractVersion.toString(),
        conductors: othersAfter,
      });
    }
    this.conductors = speaking;
    this.otherContracts = others;
    this.rings = new Map();
  }

  /**
   * Picks a host, reading the live conductors again once if the cached list has none that
   * fits: a conductor that joined since the last refresh is used at once.
   */
  async pick(choose: (directory: this) => string): Promise<string> {
    try {
      return choose(this);
    } catch (error) {
      if (!(error instanceof NoValidHost)) throw error;
      await this.refresh();
      return choose(this);
    }
  }

  /** Enabled and default interfaces of a hardware type on live conductors, as last read. */
  interfacesOf(hardwareType: string): DriverInterfaces | undefined {
    return this.interfaces.get(hardwareType);
  }

  /** The live conductors that speak this directory's contract: those it routes to. */
  alive(): readonly ConductorRecord[] {
    return this.conductors;
  }

  /** The conductor that owns a node: the ring of its hardware type and group, keyed by node uuid. */
  hostForNode(nodeUuid: string, hardwareType: string, conductorGroup = ''): string {
    return this.ring(hardwareType, conductorGroup).get(nodeUuid);
  }

  /** Any live conductor with the hardware type, taken in turn so driver calls spread out. */
  hostForDriver(hardwareType: string): string {
    const hosts = this.conductors.filter((c) => c.drivers.includes(hardwareType));
    if (hosts.length === 0) throw this.noValidHost(noConductorFor(hardwareType));
    this.roundRobin = (this.roundRobin + 1) % hosts.length;
    return hosts[this.roundRobin]!.hostname;
  }

  /** Any live conductor at all, in turn. */
  anyHost(): string {
    if (this.conductors.length === 0) throw this.noValidHost('No conductor service is alive.');
    this.roundRobin = (this.roundRobin + 1) % this.conductors.length;
    return this.conductors[this.roundRobin]!.hostname;
  }

  private ring(hardwareType: string, conductorGroup: string): HashRing {
    const group = conductorGroup.toLowerCase();
    const key = `${hardwareType}\u0000${group}`;
    let ring = this.rings.get(key);
    if (!ring) {
      const hosts = this.conductors
        .filter((c) => c.drivers.includes(hardwareType) && c.conductorGroup.toLowerCase() === group)
        .map((c) => c.hostname);
      if (hosts.length === 0) throw this.noValidHost(noConductorFor(hardwareType, group));
      ring = new HashRing(hosts);
      this.rings.set(key, ring);
    }
    return ring;
  }

  /** Ironic's 503, naming the live conductors left out for speaking another contract major. */
  private noValidHost(reason: string): NoValidHost {
    if (this.otherContracts.length === 0) return new NoValidHost(reason);
    const major = this.contractVersion.major;
    return new NoValidHost(
      `${reason} Live conductors that speak another RPC contract than ${major}.x ` +
        `(this service's ${this.contractVersion.toString()}) get no calls: ` +
        `${this.otherContracts.map(describeContract).join(', ')}.`,
    );
  }
}

function describeContract(conductor: ConductorRecord): string {
  return `${conductor.hostname} (${conductor.contractVersion ?? 'no contract version'})`;
}

/** Per interface kind: the enabled implementations (preference order) and the default. */
export type DriverInterfaces = ReadonlyMap<
  string,
  { enabled: readonly string[]; default: string | undefined }
>;

function groupInterfaces(rows: readonly EnabledInterface[]): Map<string, DriverInterfaces> {
  const byType = new Map<string, Map<string, { enabled: string[]; default: string | undefined }>>();
  for (const row of rows) {
    let kinds = byType.get(row.hardwareType);
    if (!kinds) byType.set(row.hardwareType, (kinds = new Map()));
    let kind = kinds.get(row.interfaceType);
    if (!kind) kinds.set(row.interfaceType, (kind = { enabled: [], default: undefined }));
    if (!kind.enabled.includes(row.interfaceName)) kind.enabled.push(row.interfaceName);
    if (row.isDefault) kind.default ??= row.interfaceName;
  }
  return byType;
}

function noConductorFor(hardwareType: string, group?: string): string {
  const where = group === undefined ? '' : ` for conductor group "${group}"`;
  return `No conductor service registered which supports driver ${hardwareType}${where}.`;
}
