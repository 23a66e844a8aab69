import type { Request } from 'express';
import { NodeOwnerCalls, type ConductorDirectory } from '@galvanic/cluster';
import type { NodeRef } from '@galvanic/conductor-api';
import type { NodeRow } from '@galvanic/db';
import type { RpcClient, RpcMethod } from '@galvanic/rpc';

/**
 * Owner routing, in one place: which conductor owns a node on the hash ring, and calls to it.
 * Anything that needs a driver or the node's lock goes through here.
 */
export class NodeOwners {
  private readonly calls: NodeOwnerCalls;

  constructor(
    private readonly directory: ConductorDirectory,
    rpc: RpcClient,
  ) {
    this.calls = new NodeOwnerCalls(directory, rpc);
  }

  /** The conductor the ring gives the node to now, as the `conductor` field shows it. */
  conductorOf(node: NodeRow): string | null {
    try {
      return this.directory.hostForNode(node.uuid, node.driver, node.conductor_group);
    } catch {
      return null;
    }
  }

  /**
   * Calls the conductor that owns the node, by the hash ring; a new conductor is found at once,
   * and a call that provably did not run goes once more to the owner as now known.
   */
  call<A extends NodeRef, R>(
    req: Request,
    node: NodeRow,
    method: RpcMethod<A, R>,
    args: Omit<A, keyof NodeRef>,
  ): Promise<R> {
    return this.calls.call(node, method, { ...args, node_id: node.id, node_uuid: node.uuid } as A, {
      requestId: req.requestId,
    });
  }
}
