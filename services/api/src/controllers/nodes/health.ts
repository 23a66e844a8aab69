import type { NodeRow } from '@galvanic/db';

/** Ironic's hardware health states (1.109), plus null for "not known". */
export type NodeHealth = 'OK' | 'Warning' | 'Critical' | null;

/**
 * A node's `health` (API 1.109), derived from what Galvanic knows of its hardware, since no
 * driver reports a BMC's own health yet:
 * - `Critical`: a fault is recorded (power sync gave up on the BMC: `power failure`, or any other
 *   fault a conductor sets), or the power interface reported the power state as `error`;
 * - `Warning`: the node is in maintenance without a fault (someone took it out of service);
 * - `OK`: the BMC answered with a power state (verification, power sync or a power action);
 * - null: nothing read from the BMC yet (a fake node before its first power change, say).
 */
export function nodeHealth(row: NodeRow): NodeHealth {
  if (row.fault || row.power_state === 'error') return 'Critical';
  if (row.maintenance) return 'Warning';
  if (row.power_state === null) return null;
  return 'OK';
}
