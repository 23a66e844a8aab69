/** A table as a paged query names it. */
export interface PagedTable {
  /** The alias the query gives the table, e.g. `p`. */
  alias: string;
  table: string;
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}

/**
 * The condition that keeps rows after `marker` in the order `column dir, id dir`. PostgreSQL puts
 * NULLs last ascending and first descending, so a nullable column needs its NULLs placed by hand.
 */
export function afterMarker(
  { alias, table }: PagedTable,
  column: string,
  nullable: boolean,
  dir: 'asc' | 'desc',
  value: unknown,
  bind: (value: unknown) => string,
  markerId: number,
): string {
  const op = dir === 'desc' ? '<' : '>';
  const id = bind(markerId);
  if (column === `${alias}.id`) return `${alias}.id ${op} ${id}`;
  if (value === null || value === undefined) {
    return dir === 'asc'
      ? `(${column} IS NULL AND ${alias}.id > ${id})`
      : `(${column} IS NOT NULL OR ${alias}.id < ${id})`;
  }
  // A timestamp is compared as stored: its microseconds do not survive a JS Date, and the
  // rounded value would repeat the marker row forever.
  const v =
    value instanceof Date
      ? `(SELECT ${column} FROM ${table} ${alias} WHERE ${alias}.id = ${id})`
      : bind(value);
  const later = `(${column} ${op} ${v} OR (${column} = ${v} AND ${alias}.id ${op} ${id})`;
  return nullable && dir === 'asc' ? `${later} OR ${column} IS NULL)` : `${later})`;
}

/** A parameter list and the function that adds one and returns its placeholder. */
export function parameters(): { params: unknown[]; bind: (value: unknown) => string } {
  const params: unknown[] = [];
  return {
    params,
    bind: (value) => {
      params.push(value);
      return `$${params.length}`;
    },
  };
}
