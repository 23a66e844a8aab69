import type { Request } from 'express';
import type { AllocationStore, ChassisStore, NodeRow } from '@galvanic/db';
import { baseUrl } from '../../http/links';
import { fieldsAt } from '../../resources/declaration';
import { fieldRedactor } from '../../resources/policy';
import { renderResource, type ComputedField } from '../../resources/render';
import { nodeHealth } from './health';
import type { NodeOwners } from './owner';
import { NODE_POLICY } from './policy';
import { NODE_RESOURCE } from './resource';
import { MINOR_2_AVAILABLE_STATE } from '../../resources/versions';

/** Which host holds each node's exclusive lock now. */
export type ReservationLookup = (
  nodeIds: readonly number[],
) => Promise<ReadonlyMap<number, string>>;

/** What the node's computed fields are read from, gathered once per request. */
export interface NodeRenderContext {
  reservations: ReadonlyMap<number, string>;
  chassisUuids: ReadonlyMap<number, string>;
  allocationUuids: ReadonlyMap<number, string>;
  owners: NodeOwners;
  /** The request's microversion (1.N). */
  minor: number;
}

const NONE: ReadonlyMap<number, string> = new Map();

/** The node's fields that are not its columns. */
export const nodeComputedField: ComputedField<NodeRow, NodeRenderContext> = (
  row,
  field,
  context,
) => {
  switch (field) {
    case 'reservation':
      // Single-node reads carry it from their own statement; lists ask once for all.
      return row.reservation !== undefined
        ? row.reservation
        : (context.reservations.get(row.id) ?? null);
    case 'conductor':
      return context.owners.conductorOf(row);
    case 'provision_state':
      return row.provision_state === 'available' && context.minor < MINOR_2_AVAILABLE_STATE
        ? null
        : row.provision_state;
    case 'chassis_uuid':
      return row.chassis_id === null || row.chassis_id === undefined
        ? null
        : (context.chassisUuids.get(row.chassis_id) ?? null);
    case 'health':
      return nodeHealth(row);
    case 'allocation_uuid':
      return row.allocation_id === null || row.allocation_id === undefined
        ? null
        : (context.allocationUuids.get(row.allocation_id) ?? null);
    default:
      return null;
  }
};

export interface NodeViewDependencies {
  reservations: ReservationLookup;
  chassis: ChassisStore;
  allocations: AllocationStore;
  owners: NodeOwners;
  publicEndpoint: string | undefined;
}

/**
 * Nodes as the API shows them, from the node declaration. Reservations and chassis UUIDs are
 * read only when a shown field needs them, in one statement for all the rows.
 */
export class NodeViews {
  constructor(private readonly deps: NodeViewDependencies) {}

  /** What rendering these rows with these fields needs, read in at most one statement each. */
  async context(
    rows: readonly NodeRow[],
    fields: readonly string[],
    minor: number,
  ): Promise<NodeRenderContext> {
    const unreserved = fields.includes('reservation')
      ? rows.filter((row) => row.reservation === undefined).map((row) => row.id)
      : [];
    const chassisIds = fields.includes('chassis_uuid')
      ? rows.flatMap((row) => (row.chassis_id === null ? [] : [row.chassis_id]))
      : [];
    const allocationIds = fields.includes('allocation_uuid')
      ? rows.flatMap((row) => (row.allocation_id === null ? [] : [row.allocation_id]))
      : [];
    const [reservations, chassisUuids, allocationUuids] = await Promise.all([
      unreserved.length > 0 ? this.deps.reservations(unreserved) : NONE,
      chassisIds.length > 0 ? this.deps.chassis.uuidsOf(chassisIds) : NONE,
      allocationIds.length > 0 ? this.deps.allocations.uuidsOf(allocationIds) : NONE,
    ]);
    return { reservations, chassisUuids, allocationUuids, owners: this.deps.owners, minor };
  }

  async render(
    req: Request,
    rows: readonly NodeRow[],
    fields: readonly string[],
  ): Promise<Record<string, unknown>[]> {
    const context = await this.context(rows, fields, req.apiVersion.minor);
    const base = baseUrl(req, this.deps.publicEndpoint);
    const redact = fieldRedactor(req, NODE_POLICY);
    return rows.map((row) =>
      renderResource(NODE_RESOURCE, row, fields, { base, context, redact }, nodeComputedField),
    );
  }

  /** One node, with every field of the negotiated microversion unless `fields` are given. */
  async show(
    req: Request,
    row: NodeRow,
    fields?: readonly string[],
  ): Promise<Record<string, unknown>> {
    const [shown] = await this.render(
      req,
      [row],
      fields ?? fieldsAt(NODE_RESOURCE, req.apiVersion.minor),
    );
    return shown!;
  }

  /** The UUID of the node's chassis, if it is in one. */
  async chassisUuidOf(row: NodeRow): Promise<string | null> {
    if (row.chassis_id === null) return null;
    return (await this.deps.chassis.uuidsOf([row.chassis_id])).get(row.chassis_id) ?? null;
  }
}
