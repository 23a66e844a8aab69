/** What a list reads of a row whose rendering may be kept: enough to find it, and its version. */
export interface RowVersion {
  id: number;
  uuid: string;
  /** Differs for every write of the row (for nodes: PostgreSQL's `xmin` and `updated_at`). */
  row_version: string;
}

/** How many bytes of renderings a cache keeps by default. */
export const DEFAULT_RENDERED_ROWS_BYTES = 64 * 1024 * 1024;

interface Entry {
  version: string;
  json: Buffer;
}

/**
 * Rows rendered as JSON (UTF-8 bytes, ready to send), kept per request shape (microversion,
 * fields, link base, caller: whatever else the rendering depends on) by row id, with the version
 * of the row each was made from. A row written since has another version and is rendered afresh,
 * so what is kept is never shown stale. Least recently kept renderings go first once `maxBytes`
 * is reached.
 */
export class RenderedRowCache {
  private readonly shapes = new Map<string, Map<number, Entry>>();
  private bytes = 0;

  constructor(private readonly maxBytes = DEFAULT_RENDERED_ROWS_BYTES) {}

  /**
   * The renderings kept for one request shape, to look rows up by id and version and keep new
   * ones. Lookups see what was kept when the shape was asked for: ask again for later renderings.
   */
  shape(shape: string): RenderedShape {
    const kept = this.shapes.get(shape);
    return {
      get: (id, version) => {
        const entry = kept?.get(id);
        return entry !== undefined && entry.version === version ? entry.json : undefined;
      },
      set: (id, version, json) => this.set(shape, id, { version, json }),
    };
  }

  /** How many renderings are kept, over all shapes. */
  get size(): number {
    let size = 0;
    for (const entries of this.shapes.values()) size += entries.size;
    return size;
  }

  private set(shape: string, id: number, entry: Entry): void {
    // Looked up on every write: a shape's map may have been dropped and made anew meanwhile (two
    // requests of a new shape at once), and a map no longer registered would hold bytes that
    // eviction never finds.
    let entries = this.shapes.get(shape);
    if (!entries) {
      entries = new Map();
      this.shapes.set(shape, entries);
    }
    const previous = entries.get(id);
    if (previous) {
      this.bytes -= previous.json.length;
      // Map keeps insertion order: the entry goes last, the first one is the least recent.
      entries.delete(id);
    }
    if (entry.json.length <= this.maxBytes) {
      entries.set(id, entry);
      this.bytes += entry.json.length;
    }
    while (this.bytes > this.maxBytes && this.evictOne(entries));
    if (entries.size === 0) this.shapes.delete(shape);
  }

  /**
   * Drops the oldest rendering of the oldest other shape, or of `current` when it is alone;
   * false when nothing is left to drop.
   */
  private evictOne(current: Map<number, Entry>): boolean {
    for (const [shape, entries] of this.shapes) {
      if (entries === current && this.shapes.size > 1) continue;
      const [oldest] = entries;
      if (oldest === undefined) {
        this.shapes.delete(shape);
        continue;
      }
      entries.delete(oldest[0]);
      this.bytes -= oldest[1].json.length;
      if (entries.size === 0) this.shapes.delete(shape);
      return true;
    }
    return false;
  }
}

/** The renderings of one request shape, by row id and version. */
export interface RenderedShape {
  get(id: number, version: string): Buffer | undefined;
  set(id: number, version: string, json: Buffer): void;
}

const COMMA = Buffer.from(',');
const CLOSING_BRACE = Buffer.from('}');

/**
 * Appends to `out` one object's JSON made of two renderings of its parts: `kept`, the UTF-8 of
 * JSON.stringify of an object with its closing brace cut off (as the cache holds it), and
 * `fresh`, JSON.stringify of another object (undefined for none).
 */
export function appendJoined(out: Buffer[], kept: Buffer, fresh: string | undefined): void {
  if (fresh === undefined || fresh === '{}') {
    out.push(kept, CLOSING_BRACE);
  } else if (kept.length === 1) {
    out.push(Buffer.from(fresh));
  } else {
    out.push(kept, COMMA, Buffer.from(fresh.slice(1)));
  }
}
