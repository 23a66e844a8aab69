/**
 * One client per BMC for a driver: clients are keyed by (address, username, auth type, verify
 * CA), as Ironic's redfish SessionCache keys sessions; the least recently used is closed when
 * the cache is full. Clients of one BMC origin share one connection pool and in-flight bound.
 */
import { createHash } from 'node:crypto';
import { RedfishClient } from './client';
import type { RedfishClientOptions } from './client';
import { RedfishPools } from './pool';

export interface RedfishClientCacheOptions {
  /** Clients kept at most (Ironic's `[redfish] connection_cache_size`). Default 1000. */
  readonly maxClients?: number;
  /** Options merged under every `get()` (not address or credentials). */
  readonly defaults?: Partial<
    Omit<
      RedfishClientOptions,
      'address' | 'username' | 'password' | 'authType' | 'verifyCa' | 'pools'
    >
  >;
}

interface Entry {
  readonly client: RedfishClient;
  /** Hash of every option, password included: a changed password replaces the client. */
  readonly fingerprint: string;
}

export class RedfishClientCache {
  readonly #maxClients: number;
  readonly #defaults: RedfishClientCacheOptions['defaults'];
  /** Insertion order is recency order: a hit moves its entry to the end. */
  readonly #entries = new Map<string, Entry>();
  /** Clients of the same BMC share its pool and in-flight bound, whatever their user. */
  readonly #pools = new RedfishPools();
  #closed = false;

  constructor(options: RedfishClientCacheOptions = {}) {
    this.#maxClients = options.maxClients ?? 1000;
    this.#defaults = options.defaults;
  }

  /** The client for these options, created on first use; replaced if other options changed. */
  get(options: RedfishClientOptions): RedfishClient {
    if (this.#closed) throw new Error('RedfishClientCache is closed');
    const opts: RedfishClientOptions = { ...this.#defaults, ...options, pools: this.#pools };
    const key = JSON.stringify([
      opts.address,
      opts.username,
      opts.authType ?? 'auto',
      opts.verifyCa ?? true,
    ]);
    const fingerprint = fingerprintOf(opts);
    const existing = this.#entries.get(key);
    if (existing) {
      this.#entries.delete(key);
      if (existing.fingerprint === fingerprint && !existing.client.closed) {
        this.#entries.set(key, existing);
        return existing.client;
      }
      void existing.client.close();
    }
    const client = new RedfishClient(opts);
    this.#entries.set(key, { client, fingerprint });
    while (this.#entries.size > this.#maxClients) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry];
      this.#entries.delete(oldestKey);
      void oldest.client.close();
    }
    return client;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Closes every client (deleting their sessions). */
  async close(): Promise<void> {
    this.#closed = true;
    const clients = [...this.#entries.values()].map((e) => e.client);
    this.#entries.clear();
    await Promise.allSettled(clients.map((c) => c.close()));
  }

  toString(): string {
    return `RedfishClientCache(${this.#entries.size} clients)`;
  }
}

function fingerprintOf(options: RedfishClientOptions): string {
  // A hash rather than a second copy of the password.
  const hash = createHash('sha256');
  for (const [k, v] of Object.entries(options).sort(([a], [b]) => a.localeCompare(b))) {
    if (k === 'logger' || k === 'pools') continue;
    hash.update(k).update('\0').update(String(v)).update('\0');
  }
  return hash.digest('hex');
}
