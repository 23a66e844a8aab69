import pg from 'pg';

/**
 * A jsonb column's value as PostgreSQL sent it: JSON text, neither parsed nor checked
 * again. For rows that only go back out as JSON (API lists), where parsing every map of every
 * node to serialise it again at once was most of the work.
 */
export class RawJson {
  constructor(readonly text: string) {}

  /** The value itself, for the rare reader that needs to look inside. */
  parse(): unknown {
    return JSON.parse(this.text);
  }
}

// jsonb only: PostgreSQL writes it out normalised (no escaped letters, no duplicate keys), while
// json keeps its input text as it came.
const JSONB_OID = 3802;
const wrap = (text: string) => new RawJson(text);

/** Per-query type parsers that give jsonb columns as {@link RawJson}. */
export const RAW_JSON_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === JSONB_OID) return wrap;
    return format === 'binary'
      ? pg.types.getTypeParser(oid, 'binary')
      : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;
