import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { poolOf } from './data-source';
import type { SqlFence } from './nodes';

/** Where Ironic's network interfaces keep a tenant VIF: in a port's (or port group's) internal_info. */
export const TENANT_VIF_KEY = 'tenant_vif_port_id';

/**
 * A port, or a port group, as VIF attachment sees it: what Ironic's VIF selection reads (a VIF
 * in Ironic's legacy `extra.vif_port_id` counts as attached).
 */
export interface VifCarrier {
  kind: 'port' | 'portgroup';
  id: number;
  uuid: string;
  pxe_enabled: boolean;
  physical_network: string | null;
  /** The port group a port is in, if any. */
  portgroup_id: number | null;
  /** The VIF attached to it, if any. */
  vif: string | null;
}

const TABLES = { port: 'ports', portgroup: 'portgroups' } as const;

/** VIFs of a node's ports and port groups, by parameterised SQL. */
export class VifStore {
  private readonly pool: pg.Pool;

  constructor(dataSource: DataSource) {
    this.pool = poolOf(dataSource);
  }

  /** The node's ports, then its port groups, each with its VIF, oldest first. */
  async carriers(nodeId: number): Promise<VifCarrier[]> {
    const { rows } = await this.pool.query<VifCarrier>(
      `SELECT 'port' AS kind, id, uuid, pxe_enabled, physical_network, portgroup_id,
              COALESCE(internal_info ->> $2, extra ->> 'vif_port_id') AS vif
       FROM ports WHERE node_id = $1
       UNION ALL
       SELECT 'portgroup', id, uuid, true, physical_network, NULL,
              COALESCE(internal_info ->> $2, extra ->> 'vif_port_id')
       FROM portgroups WHERE node_id = $1
       ORDER BY kind, id`,
      [nodeId, TENANT_VIF_KEY],
    );
    return rows;
  }

  /**
   * Sets (or with null clears, with Ironic's legacy `extra.vif_port_id`) the VIF of one of the
   * node's ports, fenced by `fence` (the node id is `$1`); returns whether it was written.
   */
  async setVif(
    nodeId: number,
    carrier: Pick<VifCarrier, 'kind' | 'id'>,
    vif: string | null,
    fence: SqlFence,
  ): Promise<boolean> {
    const params: unknown[] = [nodeId, carrier.id, TENANT_VIF_KEY];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const change =
      vif === null
        ? `internal_info = internal_info - $3, extra = extra - 'vif_port_id'`
        : `internal_info = jsonb_set(internal_info, ARRAY[$3::text], to_jsonb(${bind(vif)}::text))`;
    const condition = fence(bind);
    const result = await this.pool.query(
      `UPDATE ${TABLES[carrier.kind]} SET ${change}, updated_at = now()
       WHERE id = $2 AND node_id = $1 AND ${condition}`,
      params,
    );
    return (result.rowCount ?? 0) > 0;
  }
}
