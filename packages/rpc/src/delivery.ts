import { GalvanicError, RpcConnectionLost, RpcUnreachable } from '@galvanic/errors';

/**
 * The transport had no link to the broker, so it published nothing: the call certainly did not
 * run. Its kind stays RpcConnectionLost (503), as clients see it.
 */
export class RpcCallNotSent extends RpcConnectionLost {}

/**
 * The broker routed the call to no queue (its conductor was not consuming), so no conductor got
 * it: the call certainly did not run. Its kind stays RpcUnreachable (503).
 */
export class RpcCallNotDelivered extends RpcUnreachable {}

/**
 * Whether `error` proves the call never ran, so that sending it once more (to the node's owner as
 * now known) cannot run it twice: the broker delivered it to nobody, or the conductor answered
 * that it no longer owns the node or is leaving the cluster, and ran nothing. A timeout or a lost
 * link proves nothing.
 */
export function provesCallNotRun(error: unknown): boolean {
  if (error instanceof RpcCallNotSent || error instanceof RpcCallNotDelivered) return true;
  return (
    error instanceof GalvanicError &&
    (error.kind === 'NodeOwnerChanged' || error.kind === 'ConductorLeaving')
  );
}
