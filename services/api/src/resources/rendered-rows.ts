/** What a list reads of a row whose rendering may be kept: enough to find it, and its version. */
export interface RowVersion {
  id: number;
  uuid: string;
  /** Differs for every write of the row (PostgreSQL's `xmin`). */
  row_version: string;
}

/** How many characters of renderings a cache keeps by default (one-byte strings: about 64 MB). */
export const DEFAULT_RENDERED_ROWS_CHARS = 64 * 1024 * 1024;

interface Entry {
  version: string;
  json: string;
}

/**
 * Rows rendered as JSON text, kept per request shape (microversion, fields, link base, caller:
 * whatever else the rendering depends on) by row id, with the version of the row each was made
 * from. A row written since has another version and is rendered afresh, so what is kept is never
 * shown stale. Least recently kept renderings go first once `maxChars` is reached.
 */
export class RenderedRowCache {
  private readonly shapes = new Map<string, Map<number, Entry>>();
  private chars = 0;

  constructor(private readonly maxChars = DEFAULT_RENDERED_ROWS_CHARS) {}

  /** The renderings kept for one request shape: look each row up by id and version. */
  shape(shape: string): RenderedShape {
    // Registered on its first rendering: shapes asked once and never kept cost nothing.
    const kept = this.shapes.get(shape) ?? new Map<number, Entry>();
    return {
      get: (id, version) => {
        const entry = kept.get(id);
        return entry !== undefined && entry.version === version ? entry.json : undefined;
      },
      set: (id, version, json) => this.set(shape, kept, id, { version, json }),
    };
  }

  /** How many renderings are kept, over all shapes. */
  get size(): number {
    let size = 0;
    for (const entries of this.shapes.values()) size += entries.size;
    return size;
  }

  private set(shape: string, entries: Map<number, Entry>, id: number, entry: Entry): void {
    const previous = entries.get(id);
    if (previous) {
      this.chars -= previous.json.length;
      // Map keeps insertion order: the entry goes last, the first one is the least recent.
      entries.delete(id);
    }
    if (entry.json.length > this.maxChars) return;
    entries.set(id, entry);
    this.chars += entry.json.length;
    if (!this.shapes.has(shape)) this.shapes.set(shape, entries);
    while (this.chars > this.maxChars) this.evictOne(entries);
  }

  /** Drops the oldest rendering of the oldest other shape, or of `current` when it is alone. */
  private evictOne(current: Map<number, Entry>): void {
    for (const [shape, entries] of this.shapes) {
      if (entries === current && this.shapes.size > 1) continue;
      const [oldest] = entries;
      if (oldest === undefined) {
        this.shapes.delete(shape);
        continue;
      }
      entries.delete(oldest[0]);
      this.chars -= oldest[1].json.length;
      if (entries.size === 0) this.shapes.delete(shape);
      return;
    }
  }
}

/** The renderings of one request shape, by row id and version. */
export interface RenderedShape {
  get(id: number, version: string): string | undefined;
  set(id: number, version: string, json: string): void;
}

/**
 * One object's JSON from two renderings of its parts: `kept` is JSON.stringify of an object with
 * its closing brace cut off (as a cache holds it), `fresh` JSON.stringify of another object.
 */
export function joinRenderings(kept: string, fresh: string): string {
  if (kept === '{') return fresh;
  if (fresh === '{}') return `${kept}}`;
  return `${kept},${fresh.slice(1)}`;
}
