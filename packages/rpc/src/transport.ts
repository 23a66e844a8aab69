/**
 * What RpcClient and RpcServer need from a transport. Bodies are JSON text so every transport,
 * including the in-process one, serializes exactly as the wire does.
 */

/** One call as the client hands it to its transport. */
export interface OutgoingCall {
  target: string;
  /** Method name, for error messages and logs; the body carries it too. */
  method: string;
  body: string;
  requestId: string;
  caller: string;
  /** Absolute deadline, epoch ms. */
  deadline: number;
  /** When the caller sent the call, epoch ms: orders calls for the same node across retries. */
  issuedAt: number;
  /** The contract version (`major.minor`) the caller speaks. */
  contractVersion: string;
}

export interface RpcClientTransport {
  /**
   * Delivers the call and resolves with the reply body. Rejects with RpcUnreachable when no server
   * consumes for `target`, RpcConnectionLost when the link drops while waiting, and with
   * `signal.reason` when the signal aborts (the caller's deadline).
   */
  send(call: OutgoingCall, signal: AbortSignal): Promise<string>;
  readonly connected: boolean;
  close(): Promise<void>;
}

/** Metadata of a received call; absent fields were missing or unreadable on the wire. */
export interface IncomingHeaders {
  requestId?: string;
  caller?: string;
  deadline?: number;
  issuedAt?: number;
  contractVersion?: string;
}

export interface IncomingCall {
  body: string;
  headers: IncomingHeaders;
  /** Whether the sender gave an address to reply to. */
  readonly replyable: boolean;
  /** Sends the reply body; a no-op when not replyable or when the link is gone. */
  reply(body: string): void;
  /** Acknowledges the message: call once, after replying. */
  settle(): void;
}

/** What the broker counts of a server's own queue. */
export interface QueueStats {
  /** Calls waiting in the queue, not yet handed to the server. */
  messagesReady: number;
  consumers: number;
}

export interface RpcServerTransport {
  /**
   * The broker's count of this server's queue now; undefined while not connected. Absent on
   * transports without a broker.
   */
  queueStats?(): Promise<QueueStats | undefined>;
  /** Messages dropped unexecuted because they failed authentication (0 where nothing is checked). */
  readonly unauthenticatedDropped: number;
  /** Starts delivering calls to `onCall`; resolves once the transport is consuming. */
  listen(onCall: (call: IncomingCall) => void): Promise<void>;
  /** Stops taking new calls; calls already delivered can still reply and settle. */
  stopListening(): Promise<void>;
  readonly connected: boolean;
  close(): Promise<void>;
}
