import type pg from 'pg';
import type { DataSource } from 'typeorm';
import {
  AllocationAlreadyExists,
  AllocationDuplicateName,
  InstanceAssociated,
  InvalidParameterValue,
} from '@galvanic/errors';
import { poolOf } from './data-source';
import type { SqlFence } from './nodes';
import { afterMarker, isUniqueViolation, parameters } from './paging';

/** Ironic's allocation states. */
export type AllocationState = 'allocating' | 'active' | 'error';

/** An allocation as stored: Ironic's field names are the column names. */
export interface AllocationRow {
  id: number;
  uuid: string;
  name: string | null;
  node_id: number | null;
  state: AllocationState;
  owner: string | null;
  last_error: string | null;
  resource_class: string | null;
  traits: string[];
  /** Node UUIDs (the api resolves names before storing). */
  candidate_nodes: string[];
  extra: Record<string, unknown>;
  /** The conductor working on it last. */
  conductor_affinity: string | null;
  created_at: Date;
  updated_at: Date | null;
}

export interface NewAllocation {
  uuid: string;
  name: string | null;
  owner: string | null;
  resource_class: string | null;
  traits: string[];
  candidate_nodes: string[];
  extra: Record<string, unknown>;
}

/** Columns a list may be sorted by (Ironic refuses extra, candidate_nodes and traits). */
export const ALLOCATION_SORT_KEYS = [
  'id',
  'uuid',
  'name',
  'node_id',
  'state',
  'owner',
  'resource_class',
  'last_error',
  'created_at',
  'updated_at',
] as const;
const SORT_KEY_SET: ReadonlySet<string> = new Set(ALLOCATION_SORT_KEYS);
const NULLABLE_SORT_KEYS: ReadonlySet<string> = new Set([
  'name',
  'node_id',
  'owner',
  'resource_class',
  'last_error',
  'updated_at',
]);

export interface AllocationFilters {
  node_id?: number;
  resource_class?: string;
  state?: string;
  owner?: string;
}

export interface AllocationListQuery {
  filters: AllocationFilters;
  limit: number;
  marker?: AllocationRow;
  sortKey: string;
  sortDir: 'asc' | 'desc';
}

/** A node an allocation may take, as the first pass over the candidates reads it. */
export interface AllocationCandidate {
  id: number;
  uuid: string;
  name: string | null;
  traits: string[];
}

/** What trying to reserve one node came to. */
export type ReserveOutcome =
  | { kind: 'reserved'; allocation: AllocationRow }
  /** The node no longer fits (taken, no longer available, changed) or the lock was lost. */
  | { kind: 'unsuitable' }
  /** The allocation was deleted or is no longer allocating. */
  | { kind: 'gone' };

/** Thrown inside a reservation's transaction to roll it back when the allocation went away. */
class AllocationGone extends Error {}

/** The node-side conditions of a reservation, beyond those it was picked by. */
const STILL_SUITABLE = `allocation_id IS NULL AND instance_uuid IS NULL
  AND provision_state = 'available' AND NOT maintenance AND power_state IS NOT NULL`;

/**
 * Allocations in PostgreSQL. The writes that tie an allocation to a node change both rows in one
 * transaction, as Ironic's `update_allocation` and `destroy_allocation` do.
 */
export class AllocationStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  private async rows(sql: string, params: unknown[]): Promise<AllocationRow[]> {
    return (await this.pool.query<AllocationRow>(sql, params)).rows;
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Stores a new allocation in `allocating`, for the conductor named by `conductor`. */
  async create(values: NewAllocation, conductor: string | null): Promise<AllocationRow> {
    try {
      const [row] = await this.rows(
        `INSERT INTO allocations (uuid, name, state, owner, resource_class, traits,
           candidate_nodes, extra, conductor_affinity)
         VALUES ($1, $2, 'allocating', $3, $4, $5, $6, $7, $8) RETURNING *`,
        [
          values.uuid,
          values.name,
          values.owner,
          values.resource_class,
          JSON.stringify(values.traits),
          JSON.stringify(values.candidate_nodes),
          JSON.stringify(values.extra),
          conductor,
        ],
      );
      return row!;
    } catch (error) {
      if (isUniqueViolation(error, 'allocations_uuid_key'))
        throw new AllocationAlreadyExists(values.uuid);
      if (isUniqueViolation(error, 'allocations_name_key'))
        throw new AllocationDuplicateName(String(values.name));
      throw error;
    }
  }

  async getByUuid(uuid: string): Promise<AllocationRow | undefined> {
    return (await this.rows('SELECT * FROM allocations WHERE uuid = $1', [uuid]))[0];
  }

  async getByName(name: string): Promise<AllocationRow | undefined> {
    return (await this.rows('SELECT * FROM allocations WHERE name = $1', [name]))[0];
  }

  async getById(id: number): Promise<AllocationRow | undefined> {
    return (await this.rows('SELECT * FROM allocations WHERE id = $1', [id]))[0];
  }

  async getByNodeId(nodeId: number): Promise<AllocationRow | undefined> {
    return (await this.rows('SELECT * FROM allocations WHERE node_id = $1', [nodeId]))[0];
  }

  /** The UUIDs of allocations by id, in one statement. */
  async uuidsOf(ids: readonly number[]): Promise<ReadonlyMap<number, string>> {
    const { rows } = await this.pool.query<{ id: number; uuid: string }>(
      'SELECT id, uuid FROM allocations WHERE id = ANY($1::int[])',
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row.uuid]));
  }

  async list(query: AllocationListQuery): Promise<AllocationRow[]> {
    // The sort key becomes SQL: only the listed ones get that far.
    if (!SORT_KEY_SET.has(query.sortKey))
      throw new InvalidParameterValue(`Allocations cannot be sorted by ${query.sortKey}.`);
    const { params, bind } = parameters();
    const where: string[] = [];
    const f = query.filters;
    if (f.node_id !== undefined) where.push(`node_id = ${bind(f.node_id)}`);
    if (f.resource_class !== undefined) where.push(`resource_class = ${bind(f.resource_class)}`);
    if (f.state !== undefined) where.push(`state = ${bind(f.state)}`);
    if (f.owner !== undefined) where.push(`owner = ${bind(f.owner)}`);
    const dir = query.sortDir === 'desc' ? 'desc' : 'asc';
    if (query.marker) {
      const column = query.sortKey as (typeof ALLOCATION_SORT_KEYS)[number];
      where.push(
        afterMarker(
          { alias: 'a', table: 'allocations' },
          `a.${column}`,
          NULLABLE_SORT_KEYS.has(column),
          dir,
          query.marker[column],
          bind,
          query.marker.id,
        ),
      );
    }
    const order = query.sortKey === 'id' ? `id ${dir}` : `${query.sortKey} ${dir}, id ${dir}`;
    return this.rows(
      `SELECT * FROM allocations a${where.length ? ` WHERE ${where.join(' AND ')}` : ''}` +
        ` ORDER BY ${order} LIMIT ${bind(query.limit)}`,
      params,
    );
  }

  /** Sets the fields a PATCH may change (Ironic's `name` and `extra`). */
  async update(
    id: number,
    changes: { name?: string | null; extra?: Record<string, unknown> },
  ): Promise<AllocationRow | undefined> {
    const { params, bind } = parameters();
    const sets = ['updated_at = now()'];
    if (changes.name !== undefined) sets.push(`name = ${bind(changes.name)}`);
    if (changes.extra !== undefined) sets.push(`extra = ${bind(JSON.stringify(changes.extra))}`);
    try {
      return (
        await this.rows(
          `UPDATE allocations SET ${sets.join(', ')} WHERE id = ${bind(id)} RETURNING *`,
          params,
        )
      )[0];
    } catch (error) {
      if (isUniqueViolation(error, 'allocations_name_key'))
        throw new AllocationDuplicateName(String(changes.name));
      throw error;
    }
  }

  /** Records the conductor working on an allocation. */
  async claim(id: number, host: string): Promise<void> {
    await this.pool.query(
      'UPDATE allocations SET conductor_affinity = $2, updated_at = now() WHERE id = $1',
      [id, host],
    );
  }

  /** Allocations still allocating whose last conductor was `host`. */
  async allocatingFor(host: string): Promise<AllocationRow[]> {
    return this.rows(
      "SELECT * FROM allocations WHERE state = 'allocating' AND conductor_affinity = $1 ORDER BY id",
      [host],
    );
  }

  /**
   * Ironic's take-over of allocations whose conductor is gone: those still allocating whose
   * conductor is not among `liveHosts` become `host`'s, each claimed by one conditional update so
   * that two conductors checking at once never both take one.
   */
  async takeOverOrphans(host: string, liveHosts: readonly string[]): Promise<AllocationRow[]> {
    return this.rows(
      `UPDATE allocations SET conductor_affinity = $1, updated_at = now()
       WHERE state = 'allocating'
         AND (conductor_affinity IS NULL OR NOT (conductor_affinity = ANY($2)))
       RETURNING *`,
      [host, [...liveHosts]],
    );
  }

  /**
   * Deletes an allocation and frees its node (its `allocation_id` and `instance_uuid`) in one
   * transaction. With `fence` (about the node, whose id is then `$1`), nothing happens unless it
   * holds. Returns whether the allocation was deleted.
   */
  async delete(allocation: AllocationRow, fence?: SqlFence): Promise<boolean> {
    return this.transaction(async (client) => {
      const locked = await client.query('SELECT id FROM allocations WHERE id = $1 FOR UPDATE', [
        allocation.id,
      ]);
      if (locked.rowCount === 0) return false;
      if (allocation.node_id !== null) {
        const { params, bind } = parameters();
        bind(allocation.node_id);
        const condition = fence ? ` AND ${fence(bind)}` : '';
        const freed = await client.query(
          `UPDATE nodes SET allocation_id = NULL, instance_uuid = NULL, updated_at = now()
           WHERE id = $1 AND allocation_id = ${bind(allocation.id)}${condition}`,
          params,
        );
        if (fence && freed.rowCount === 0) {
          // The node is not ours any more, or it no longer carries this allocation: only the
          // latter allows going on.
          const still = await client.query('SELECT 1 FROM nodes WHERE allocation_id = $1', [
            allocation.id,
          ]);
          if ((still.rowCount ?? 0) > 0) throw new Error('the node lock was lost');
        }
      }
      await client.query('DELETE FROM allocations WHERE id = $1', [allocation.id]);
      return true;
    });
  }

  /**
   * Nodes an allocation may take: available, powered (a known power state), not in maintenance,
   * holding no instance or allocation, of its resource class, among its candidates and owned or
   * leased by its owner when it names one (Ironic's `project` filter). Traits are left to the caller, which words the refusals.
   */
  async candidates(allocation: AllocationRow): Promise<AllocationCandidate[]> {
    const { params, bind } = parameters();
    const where = [STILL_SUITABLE, `resource_class = ${bind(allocation.resource_class)}`];
    if (allocation.candidate_nodes.length > 0)
      where.push(`uuid = ANY(${bind(allocation.candidate_nodes)}::uuid[])`);
    if (allocation.owner !== null) {
      const project = bind(allocation.owner);
      where.push(`(owner = ${project} OR lessee = ${project})`);
    }
    const { rows } = await this.pool.query<AllocationCandidate>(
      `SELECT id, uuid, name, traits FROM nodes WHERE ${where.join(' AND ')}`,
      params,
    );
    return rows;
  }

  /**
   * Reserves one node for an allocation, in one transaction: the node gets `allocation_id`,
   * `instance_uuid` (the allocation's UUID) and the allocation's traits in `instance_info`, and
   * the allocation becomes active on it. The node's row is a compare-and-set: the update matches
   * only while the node is still unreserved and suitable, so of two conductors racing for one
   * node PostgreSQL lets exactly one through (the second re-reads the row after the first
   * commits and matches nothing). `fence` (node id `$1`) keeps the write under the node's lock.
   */
  async reserve(
    allocation: AllocationRow,
    nodeId: number,
    fence: SqlFence,
  ): Promise<ReserveOutcome> {
    return this.transaction(async (client) => {
      const { params, bind } = parameters();
      bind(nodeId);
      const node = await client.query(
        `UPDATE nodes SET allocation_id = ${bind(allocation.id)},
           instance_uuid = ${bind(allocation.uuid)},
           instance_info = instance_info || jsonb_build_object('traits', ${bind(JSON.stringify(allocation.traits))}::jsonb),
           updated_at = now()
         WHERE id = $1 AND ${STILL_SUITABLE}
           AND resource_class = ${bind(allocation.resource_class)}
           AND traits @> ${bind(JSON.stringify(allocation.traits))}::jsonb
           AND ${fence(bind)}
         RETURNING id`,
        params,
      );
      if (node.rowCount === 0) return { kind: 'unsuitable' } as const;
      const updated = await client.query<AllocationRow>(
        `UPDATE allocations SET node_id = $2, state = 'active', last_error = NULL,
           updated_at = now()
         WHERE id = $1 AND state = 'allocating' RETURNING *`,
        [allocation.id, nodeId],
      );
      // Undoes the node's reservation with the transaction.
      if (updated.rowCount === 0) throw new AllocationGone();
      return { kind: 'reserved', allocation: updated.rows[0]! } as const;
    }).catch((error: unknown) => {
      if (error instanceof AllocationGone) return { kind: 'gone' } as const;
      throw error;
    });
  }

  /**
   * Backfills an allocation onto a node that already runs an instance: the node gets the
   * allocation (its `instance_uuid` is the allocation's UUID, or becomes it), in one transaction
   * fenced by the node's lock. Returns false when the node already has another instance or
   * allocation; throws InstanceAssociated when the UUID is another node's instance.
   */
  async backfill(
    allocation: AllocationRow,
    node: { id: number; uuid: string },
    fence: SqlFence,
  ): Promise<AllocationRow | undefined> {
    try {
      return await this.transaction(async (client) => {
        const { params, bind } = parameters();
        bind(node.id);
        const uuid = bind(allocation.uuid);
        const updated = await client.query(
          `UPDATE nodes SET allocation_id = ${bind(allocation.id)}, instance_uuid = ${uuid},
             instance_info = instance_info || jsonb_build_object('traits', ${bind(JSON.stringify(allocation.traits))}::jsonb),
             updated_at = now()
           WHERE id = $1 AND allocation_id IS NULL
             AND (instance_uuid IS NULL OR instance_uuid = ${uuid}) AND ${fence(bind)}
           RETURNING id`,
          params,
        );
        if (updated.rowCount === 0) return undefined;
        const { rows } = await client.query<AllocationRow>(
          `UPDATE allocations SET node_id = $2, state = 'active', last_error = NULL,
             updated_at = now() WHERE id = $1 RETURNING *`,
          [allocation.id, node.id],
        );
        return rows[0];
      });
    } catch (error) {
      if (isUniqueViolation(error, 'nodes_instance_uuid_idx'))
        throw new InstanceAssociated(allocation.uuid, node.uuid);
      throw error;
    }
  }

  /** Deletes an allocation whose node already let it go (a torn-down instance). */
  async deleteById(id: number): Promise<void> {
    await this.pool.query('DELETE FROM allocations WHERE id = $1', [id]);
  }

  /**
   * Ironic's failure handler: the allocation goes to `error` with the reason, and no node. Only
   * an allocation still allocating fails: one that another conductor finished meanwhile (after
   * a take-over) keeps its node.
   */
  async fail(id: number, reason: string): Promise<void> {
    await this.pool.query(
      `UPDATE allocations SET state = 'error', last_error = $2, node_id = NULL, updated_at = now()
       WHERE id = $1 AND state = 'allocating'`,
      [id, reason],
    );
  }
}
