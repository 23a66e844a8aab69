import type { Worker } from 'node:cluster';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { listenAt } from './http/server-url';

/** IPC messages between the api's primary process and its workers. */
export const HANDED_CONNECTION = 'galvanic:api-connection';
export const CONNECTION_CLOSED = 'galvanic:api-connection-closed';
export const WORKER_READY = 'galvanic:api-worker-ready';

export interface BalancerMessage {
  galvanic: typeof HANDED_CONNECTION | typeof CONNECTION_CLOSED | typeof WORKER_READY;
}

export function isBalancerMessage(message: unknown, kind: BalancerMessage['galvanic']): boolean {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as Partial<BalancerMessage>).galvanic === kind
  );
}

/**
 * The api's listening socket, held by the primary process: each accepted connection goes to the
 * ready worker with the fewest open connections (ties in turn).
 *
 * node:cluster's own round robin gives a connection to whichever worker acknowledges first, so a
 * burst of keep-alive connections (a load balancer's pool, a benchmark's clients) piled onto one
 * worker while the other idled: 14 of 16 here. Connections that arrive at start-up wait, paused,
 * until all `startingWorkers` are ready (or `startupGraceMs` has passed), instead of being refused
 * or all kept by the first worker up.
 */
export class ConnectionBalancer {
  private readonly server: Server;
  private readonly openByWorker = new Map<Worker, number>();
  private readonly waiting = new Set<Socket>();
  private turn = 0;
  private starting = true;
  private readonly graceTimer: NodeJS.Timeout;

  constructor(
    private readonly startingWorkers: number,
    startupGraceMs = 30_000,
  ) {
    this.server = createServer({ pauseOnConnect: true }, (socket) => this.dispatch(socket));
    this.graceTimer = setTimeout(() => this.started(), startupGraceMs).unref();
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return listenAt(this.server, port, host);
  }

  /** Stops accepting; connections already handed over stay with their workers. */
  close(): void {
    clearTimeout(this.graceTimer);
    this.server.close();
    for (const socket of this.waiting) socket.destroy();
    this.waiting.clear();
  }

  /** The worker can take connections from now on; connections waiting for one go to it. */
  workerReady(worker: Worker): void {
    this.openByWorker.set(worker, 0);
    if (!this.starting || this.openByWorker.size >= this.startingWorkers) this.started();
  }

  private started(): void {
    this.starting = false;
    clearTimeout(this.graceTimer);
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const socket of waiting) this.dispatch(socket);
  }

  /** The worker is gone, and its connections with it. */
  workerGone(worker: Worker): void {
    this.openByWorker.delete(worker);
  }

  connectionClosed(worker: Worker): void {
    const open = this.openByWorker.get(worker);
    if (open !== undefined && open > 0) this.openByWorker.set(worker, open - 1);
  }

  private dispatch(socket: Socket): void {
    const worker = this.starting ? undefined : this.leastLoaded();
    if (!worker) {
      this.waiting.add(socket);
      socket.once('close', () => this.waiting.delete(socket));
      return;
    }
    this.openByWorker.set(worker, (this.openByWorker.get(worker) ?? 0) + 1);
    const message: BalancerMessage = { galvanic: HANDED_CONNECTION };
    worker.send(message, socket, (error: Error | null) => {
      if (!error) return;
      // The worker went away while the handle was on its way: the client sees the connection
      // close and retries, as with a worker that dies holding it.
      this.connectionClosed(worker);
      socket.destroy();
    });
  }

  private leastLoaded(): Worker | undefined {
    const workers = [...this.openByWorker.keys()].filter((worker) => worker.isConnected());
    if (workers.length === 0) return undefined;
    this.turn = (this.turn + 1) % workers.length;
    let best: Worker | undefined;
    let bestOpen = Infinity;
    for (let i = 0; i < workers.length; i += 1) {
      const worker = workers[(this.turn + i) % workers.length]!;
      const open = this.openByWorker.get(worker) ?? 0;
      if (open < bestOpen) {
        best = worker;
        bestOpen = open;
      }
    }
    return best;
  }
}

/**
 * A worker's side: serves the connections the primary hands over on `server` (HTTP or HTTPS,
 * not listening itself), tells the primary when each closes, and that it is ready. Returns a
 * function that stops taking connections.
 */
export function serveHandedConnections(server: Server): () => void {
  // A worker whose primary has gone (it is stopping) has no channel left to tell.
  const send = (message: BalancerMessage) => {
    if (process.connected) process.send?.(message);
  };
  const onMessage = (message: unknown, socket: unknown) => {
    if (!isBalancerMessage(message, HANDED_CONNECTION) || !isSocket(socket)) return;
    socket.once('close', () => send({ galvanic: CONNECTION_CLOSED }));
    server.emit('connection', socket);
    socket.resume();
  };
  process.on('message', onMessage);
  send({ galvanic: WORKER_READY });
  return () => process.off('message', onMessage);
}

function isSocket(value: unknown): value is Socket {
  return (
    typeof value === 'object' && value !== null && 'resume' in value && 'remoteAddress' in value
  );
}
