/** Entry point: owns the socket pool and one Bmc handle per (host, port, user). */
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { Bmc } from './bmc';
import type { BmcOptions } from './bmc';
import { createStats, silentLogger } from './stats';
import type { IpmiLogger, IpmiStats } from './stats';
import { SocketPool } from './transport';

export interface IpmiClientOptions {
  /** UDP sockets shared by all BMCs (per address family), default 2. */
  readonly maxSockets?: number;
  readonly logger?: IpmiLogger;
  /** Defaults merged under every `bmc()` call's options. */
  readonly defaults?: Partial<Omit<BmcOptions, 'host' | 'username' | 'password' | 'kg'>>;
}

export class IpmiClient {
  /** Live counters (mutated in place). */
  readonly stats: IpmiStats = createStats();
  readonly #pool: SocketPool;
  readonly #logger: IpmiLogger;
  readonly #defaults: IpmiClientOptions['defaults'];
  readonly #bmcs = new Map<string, { bmc: Bmc; fingerprint: string }>();
  #closed = false;

  constructor(opts: IpmiClientOptions = {}) {
    this.#logger = opts.logger ?? silentLogger;
    this.#defaults = opts.defaults;
    this.#pool = new SocketPool({
      maxSockets: opts.maxSockets ?? 2,
      stats: this.stats,
      logger: this.#logger,
    });
  }

  /**
   * Returns the handle for a BMC. Calls with the same host, port and user name share one handle
   * (and so one session); if other options or credentials changed, the old handle is closed and
   * replaced.
   */
  bmc(options: BmcOptions): Bmc {
    if (this.#closed) throw new Error('IpmiClient is closed');
    const opts: BmcOptions = { ...this.#defaults, ...options };
    const key = `${opts.host}|${opts.port ?? 623}|${opts.username}`;
    const fingerprint = fingerprintOf(opts);
    const existing = this.#bmcs.get(key);
    if (existing && !existing.bmc.closed) {
      if (existing.fingerprint === fingerprint) return existing.bmc;
      void existing.bmc.close();
    }
    const bmc = new Bmc(opts, {
      pool: this.#pool,
      stats: this.stats,
      logger: this.#logger,
      onClose: (b) => {
        if (this.#bmcs.get(key)?.bmc === b) this.#bmcs.delete(key);
      },
    });
    this.#bmcs.set(key, { bmc, fingerprint });
    return bmc;
  }

  /** Number of live BMC handles. */
  get size(): number {
    return this.#bmcs.size;
  }

  /** Closes every session (best effort) and the sockets. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const all = [...this.#bmcs.values()].map((e) => e.bmc);
    this.#bmcs.clear();
    await Promise.allSettled(all.map((b) => b.close()));
    await this.#pool.close();
  }

  /** @internal for fuzz tests: the socket pool's datagram handler. */
  get pool(): SocketPool {
    return this.#pool;
  }

  toString(): string {
    return `IpmiClient(${this.#bmcs.size} BMCs, ${this.#pool.socketCount} sockets)`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function fingerprintOf(opts: BmcOptions): string {
  // Hash rather than keep a second copy of the secrets around.
  const h = createHash('sha256');
  for (const [k, v] of Object.entries(opts).sort(([a], [b]) => a.localeCompare(b))) {
    h.update(k).update('\0');
    h.update(typeof v === 'string' || v instanceof Uint8Array ? v : String(v)).update('\0');
  }
  return h.digest('hex');
}
