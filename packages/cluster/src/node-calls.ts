import { setTimeout as sleep } from 'node:timers/promises';
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
 * How many times one request is sent at most. A scale change moves a node once per conductor
 * that joins or leaves; a few sends cover changes that follow each other closely.
 */
const MAX_SENDS = 4;
/** Pause before sending again, times the number of sends so far: views converge meanwhile. */
const RESEND_BACKOFF_MS = 25;

/**
 * Calls a conductor chosen by `route` over the live conductors. When the call provably did not
 * run (the broker delivered it to nobody, or the conductor answered NodeOwnerChanged or
 * ConductorLeaving), membership is read again and the call is sent again to the conductor the
 * route now names, within the first deadline and with the first issue time, up to MAX_SENDS
 * times. Any other failure, a timeout above all, is final: the call may have run, and running it
 * twice is worse than a 503.
 */
export class RoutedCalls {
  constructor(
    private readonly directory: ConductorDirectory,
    private readonly rpc: RpcClient,
    private readonly logger: Logger = rpc.logger,
  ) {}

  async call<A, R>(
    route: (directory: ConductorDirectory) => string,
    method: RpcMethod<A, R>,
    args: A,
    options: Omit<CallOptions, 'issuedAt'> = {},
    /** What the call is about, for the log line of a resend. */
    subject: Record<string, string> = {},
  ): Promise<R> {
    const issuedAt = Date.now();
    const deadline = issuedAt + (options.timeoutMs ?? this.rpc.defaultTimeoutMs);
    let host = await this.directory.pick(route);
    for (let sends = 1; ; sends += 1) {
      try {
        return await this.rpc.call(host, method, args, {
          ...options,
          issuedAt,
          timeoutMs: deadline - Date.now(),
        });
      } catch (error) {
        if (!provesCallNotRun(error) || sends >= MAX_SENDS) throw error;
        await this.directory.refresh();
        const next = route(this.directory);
        // A queue that vanished under an unchanged membership is a conductor that died without
        // leaving: sending to it again would fail the same way.
        if (next === host && !refusedByConductor(error)) throw error;
        await sleep(RESEND_BACKOFF_MS * sends);
        if (deadline - Date.now() <= 0) throw error;
        this.logger.info('Sending a call again to the conductor now in charge; it did not run', {
          method: method.name,
          ...subject,
          from: host,
          to: next,
          reason: (error as Error).message,
        });
        host = next;
      }
    }
  }
}

/** Calls the conductor that owns a node on the hash ring, as {@link RoutedCalls} does. */
export class NodeOwnerCalls {
  private readonly calls: RoutedCalls;

  constructor(directory: ConductorDirectory, rpc: RpcClient, logger: Logger = rpc.logger) {
    this.calls = new RoutedCalls(directory, rpc, logger);
  }

  call<A, R>(
    node: RoutedNode,
    method: RpcMethod<A, R>,
    args: A,
    options: Omit<CallOptions, 'issuedAt'> = {},
  ): Promise<R> {
    return this.calls.call(
      (directory) => directory.hostForNode(node.uuid, node.driver, node.conductor_group),
      method,
      args,
      options,
      { node: node.uuid },
    );
  }
}

/** The conductor itself answered that it ran nothing (it may know a membership we do not yet). */
function refusedByConductor(error: unknown): boolean {
  const kind = (error as { kind?: unknown }).kind;
  return kind === 'NodeOwnerChanged' || kind === 'ConductorLeaving';
}
