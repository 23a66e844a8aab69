import { RpcConnectionLost } from '@galvanic/errors';
import { RpcCallNotDelivered } from './delivery';
import type {
  IncomingCall,
  OutgoingCall,
  RpcClientTransport,
  RpcServerTransport,
} from './transport';

type Deliver = (call: IncomingCall) => void;

/**
 * Client and servers in one process (the all-in-one mode), with the AMQP transport's semantics:
 * bodies travel as JSON text, a host nobody listens for is unreachable at once, and the server
 * sees the same deadline metadata.
 */
export class InProcessTransport {
  private readonly listeners = new Map<string, Deliver>();

  client(): RpcClientTransport {
    return new InProcessClient(this.listeners);
  }

  server(host: string): RpcServerTransport {
    return new InProcessServer(this.listeners, host);
  }
}

class InProcessClient implements RpcClientTransport {
  private closed = false;
  private readonly pending = new Set<(error: Error) => void>();

  constructor(private readonly listeners: Map<string, Deliver>) {}

  readonly connected = true;

  send(call: OutgoingCall, signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new RpcConnectionLost('The RPC client is closed.'));
      const deliver = this.listeners.get(call.target);
      if (!deliver) {
        return reject(
          new RpcCallNotDelivered(
            `Conductor ${call.target} is not reachable over the message bus.`,
          ),
        );
      }
      let settled = false;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        this.pending.delete(fail);
        fn();
      };
      const fail = (error: Error) => finish(() => reject(error));
      const onAbort = () => fail(signal.reason as Error);
      signal.addEventListener('abort', onAbort);
      this.pending.add(fail);
      // Delivered on a later turn, as a broker would, so callers never see a synchronous reply.
      setImmediate(() => {
        if (settled) return;
        deliver({
          body: call.body,
          headers: {
            requestId: call.requestId,
            caller: call.caller,
            deadline: call.deadline,
            issuedAt: call.issuedAt,
            contractVersion: call.contractVersion,
          },
          replyable: true,
          reply: (body) => finish(() => resolve(body)),
          settle: () => undefined,
        });
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const fail of [...this.pending]) fail(new RpcConnectionLost('The RPC client was closed.'));
  }
}

class InProcessServer implements RpcServerTransport {
  private deliver: Deliver | undefined;

  constructor(
    private readonly listeners: Map<string, Deliver>,
    private readonly host: string,
  ) {}

  readonly connected = true;
  /** Calls never leave the process, so there is nothing to authenticate. */
  readonly unauthenticatedDropped = 0;

  async listen(onCall: Deliver): Promise<void> {
    const existing = this.listeners.get(this.host);
    if (existing && existing !== this.deliver) {
      throw new Error(`A server already listens for conductor ${this.host} in this process`);
    }
    this.deliver = onCall;
    this.listeners.set(this.host, onCall);
  }

  async stopListening(): Promise<void> {
    if (this.deliver && this.listeners.get(this.host) === this.deliver) {
      this.listeners.delete(this.host);
    }
  }

  async close(): Promise<void> {
    await this.stopListening();
    this.deliver = undefined;
  }
}
