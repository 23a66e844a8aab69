import { createHash } from 'node:crypto';

export interface HashRingOptions {
  /** Points each host gets on the ring; more points give a more even spread. */
  partitionsPerHost?: number;
}

// 128 points per host keeps every host within a few percent of its fair share for small fleets
// while a ring of 100 hosts is still only 12,800 points.
const DEFAULT_PARTITIONS_PER_HOST = 128;
/** Keys whose owner a ring remembers (about 100 bytes each) before it starts over. */
const MAX_REMEMBERED_KEYS = 100_000;

function point(text: string): number {
  return createHash('md5').update(text).digest().readUInt32BE(0);
}

/** Consistent hashing of keys (node ids) onto conductor hosts. */
export class HashRing {
  readonly hosts: readonly string[];
  private readonly points: Uint32Array;
  private readonly owners: string[];
  private readonly owned = new Map<string, string>();

  constructor(hosts: readonly string[], options: HashRingOptions = {}) {
    const partitions = options.partitionsPerHost ?? DEFAULT_PARTITIONS_PER_HOST;
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new RangeError('partitionsPerHost must be a positive integer');
    }
    this.hosts = Object.freeze([...new Set(hosts)].sort());
    const entries: Array<{ at: number; host: string }> = [];
    for (const host of this.hosts) {
      for (let i = 0; i < partitions; i++) entries.push({ at: point(`${host}#${i}`), host });
    }
    // Ties are broken by host name so every process builds the same ring.
    entries.sort((a, b) => a.at - b.at || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
    this.points = Uint32Array.from(entries, (e) => e.at);
    this.owners = entries.map((e) => e.host);
  }

  /** The host owning `key`; throws when the ring has no hosts. */
  get(key: string): string {
    const known = this.owned.get(key);
    if (known !== undefined) return known;
    const owner = this.locate(key);
    // Every node route asks, and a detailed list asks once per node: an MD5 each time shows in
    // profiles. A ring never changes (a new conductor list builds a new one), so answers keep.
    if (this.owned.size >= MAX_REMEMBERED_KEYS) this.owned.clear();
    this.owned.set(key, owner);
    return owner;
  }

  private locate(key: string): string {
    if (this.owners.length === 0) throw new Error('The hash ring has no hosts');
    const target = point(key);
    let low = 0;
    let high = this.points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.points[mid] ?? 0) < target) low = mid + 1;
      else high = mid;
    }
    return this.owners[low === this.owners.length ? 0 : low] as string;
  }
}
