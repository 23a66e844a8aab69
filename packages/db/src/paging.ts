/**
 * The condition that starts a page after its marker row, for a table sorted by `column` then
 * `id` in `dir`. PostgreSQL sorts NULLs last ascending and first descending, so a NULL marker
 * value is handled apart; a non-null one is read back from the row as stored (a timestamp's
 * microseconds do not survive a JS Date).
 */
export function afterMarkerSql(
  table: string,
  column: string,
  dir: 'asc' | 'desc',
  marker: { id: number } & Record<string, unknown>,
  bind: (value: unknown) => string,
): string {
  const op = dir === 'desc' ? '<' : '>';
  const id = bind(marker.id);
  if (column === 'id') return `id ${op} ${id}`;
  const value = marker[column];
  if (value === null || value === undefined) {
    return dir === 'asc'
      ? `(${column} IS NULL AND id > ${id})`
      : `(${column} IS NOT NULL OR id < ${id})`;
  }
  const stored = `(SELECT ${column} FROM ${table} WHERE id = ${id})`;
  const later = `(${column} ${op} ${stored} OR (${column} = ${stored} AND id ${op} ${id}))`;
  return dir === 'asc' ? `(${later} OR ${column} IS NULL)` : later;
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

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === constraint;
}
