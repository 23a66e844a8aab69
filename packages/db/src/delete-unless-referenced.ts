import type { DataSource } from 'typeorm';

/** What deleting a row that others may still reference came to. */
export type GuardedDeletion = 'deleted' | 'not-found' | 'not-empty';

/** A parent table and the table whose rows reference it. */
export interface ReferencedTable {
  table: string;
  /** The referencing table and its column holding the parent's id. */
  children: { table: string; column: string };
}

/**
 * Deletes the row with `uuid` unless rows of the children table still reference it, in one
 * statement. A child added between the check and the delete makes the foreign key refuse it,
 * which is reported as not empty too.
 */
export async function deleteUnlessReferenced(
  dataSource: DataSource,
  { table, children }: ReferencedTable,
  uuid: string,
): Promise<GuardedDeletion> {
  try {
    const [outcome] = (await dataSource.query(
      `WITH gone AS (
         DELETE FROM ${table} t WHERE t.uuid = $1
           AND NOT EXISTS (SELECT 1 FROM ${children.table} c WHERE c.${children.column} = t.id)
         RETURNING t.id)
       SELECT (SELECT count(*) FROM gone)::int AS deleted,
              EXISTS (SELECT 1 FROM ${table} WHERE uuid = $1) AS present`,
      [uuid],
    )) as { deleted: number; present: boolean }[];
    if (outcome!.deleted > 0) return 'deleted';
    return outcome!.present ? 'not-empty' : 'not-found';
  } catch (error) {
    if ((error as { code?: string }).code === '23503') return 'not-empty';
    throw error;
  }
}
