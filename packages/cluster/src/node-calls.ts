import type { Logger } from '@galvanic/logging';
import { provesCallNotRun, type CallOptions, type RpcClient, type RpcMethod } from '@galvanic/rpc';
import type { ConductorDirectory } from './directory';

/** What routing needs of a node: its ring key and the ring it belongs to. */
export interface RoutedNode {
  uuid: string;
  driver: string;
  conductor_group: string;
}

/**
 * Calls the conductor that owns a node on the hash ring. When the call provably did not run (the
 * broker delivered it to nobody, or the conductor answered NodeOwnerChanged), membership is read
 * again and the call is sent once more to the owner as now known, within the first deadline and
 * with the first issue time. Any other failure, a timeout above all, is final: the call may have
 * run, and running it twice is worse than a 503.
 */
export class NodeOwnerCalls {
  constructor(
    private readonly directory: ConductorDirectory,
    private readonly rpc: RpcClient,
    private readonly logger: Logger = rpc.logger,
  ) {}

  async call<A, R>(
    node: RoutedNode,
    method: RpcMethod<A, R>,
    args: A,
    options: Omit<CallOptions, 'issuedAt'> = {},
  ): Promise<R> {
    const issuedAt = Date.now();
    const deadline = issuedAt + (options.timeoutMs ?? this.rpc.defaultTimeoutMs);
    const owner = () => this.directory.hostForNode(node.uuid, node.driver, node.conductor_group);
    const first = await this.directory.pick(owner);
    try {
      return await this.rpc.call(first, method, args, { ...options, issuedAt });
    } catch (error) {
      if (!provesCallNotRun(error)) throw error;
      await this.directory.refresh();
      const second = owner();
      const remainingMs = deadline - Date.now();
      const unchanged = second === first && !isOwnerChanged(error);
      if (unchanged || remainingMs <= 0) throw error;
      this.logger.info('Sending a node call again to its owner as now known; it did not run', {
        method: method.name,
        node: node.uuid,
        from: first,
        to: second,
        reason: (error as Error).message,
      });
      return this.rpc.call(second, method, args, {
        ...options,
        issuedAt,
        timeoutMs: remainingMs,
      });
    }
  }
}

function isOwnerChanged(error: unknown): boolean {
  return (error as { kind?: unknown }).kind === 'NodeOwnerChanged';
}
