/**
 * A small pool of UDP sockets shared by every BMC of a client. Responses are routed by source
 * address and port to the registered endpoints, which further match on session id and rqSeq.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { decodeFrame } from './rmcp';
import type { DecodedFrame } from './rmcp';
import { countDrop } from './stats';
import type { IpmiLogger, IpmiStats } from './stats';

/** Returns true when the frame was consumed. Must not throw (exceptions are caught and counted). */
export type FrameListener = (frame: DecodedFrame) => boolean;

export interface Registration {
  send(datagram: Buffer): Promise<void>;
  unregister(): void;
}

interface PooledSocket {
  readonly socket: dgram.Socket;
  readonly ready: Promise<void>;
  readonly listeners: Map<string, Set<FrameListener>>;
  registrations: number;
}

export class SocketPool {
  readonly #maxSockets: number;
  readonly #stats: IpmiStats;
  readonly #logger: IpmiLogger;
  readonly #sockets: { udp4: PooledSocket[]; udp6: PooledSocket[] } = { udp4: [], udp6: [] };
  #next = 0;
  #closed = false;

  constructor(opts: { maxSockets: number; stats: IpmiStats; logger: IpmiLogger }) {
    this.#maxSockets = Math.max(1, Math.floor(opts.maxSockets));
    this.#stats = opts.stats;
    this.#logger = opts.logger;
  }

  /** Registers a listener for datagrams from `address:port` (address must be a resolved IP). */
  register(address: string, port: number, listener: FrameListener): Registration {
    if (this.#closed) throw new Error('socket pool is closed');
    const family = isIPv6(address) ? 'udp6' : 'udp4';
    const pooled = this.#pick(family);
    const key = `${address}:${port}`;
    let set = pooled.listeners.get(key);
    if (!set) pooled.listeners.set(key, (set = new Set()));
    set.add(listener);
    pooled.registrations++;
    let active = true;
    return {
      send: async (datagram) => {
        await pooled.ready;
        await new Promise<void>((resolve, reject) => {
          pooled.socket.send(datagram, port, address, (err) => (err ? reject(err) : resolve()));
        });
        this.#stats.packetsSent++;
      },
      unregister: () => {
        if (!active) return;
        active = false;
        pooled.registrations--;
        const s = pooled.listeners.get(key);
        s?.delete(listener);
        if (s?.size === 0) pooled.listeners.delete(key);
      },
    };
  }

  #pick(family: 'udp4' | 'udp6'): PooledSocket {
    const list = this.#sockets[family];
    if (list.length < this.#maxSockets) {
      const pooled = this.#open(family);
      list.push(pooled);
      return pooled;
    }
    const pooled = list[this.#next++ % list.length];
    if (!pooled) throw new Error('unreachable: empty socket pool');
    return pooled;
  }

  #open(family: 'udp4' | 'udp6'): PooledSocket {
    const socket = dgram.createSocket({ type: family, recvBufferSize: 4 * 1024 * 1024 });
    const listeners = new Map<string, Set<FrameListener>>();
    socket.on('message', (msg, rinfo) => this.handleDatagram(listeners, msg, rinfo));
    socket.on('error', (err) => this.#logger.warn('ipmi socket error', { error: err.message }));
    const ready = new Promise<void>((resolve) => socket.bind(0, () => resolve()));
    socket.unref();
    this.#stats.sockets++;
    return { socket, ready, listeners, registrations: 0 };
  }

  /** Socket 'message' handler body; exposed for fuzzing. Never throws. */
  handleDatagram(
    listeners: ReadonlyMap<string, ReadonlySet<FrameListener>>,
    msg: Buffer,
    rinfo: { address: string; port: number },
  ): void {
    try {
      this.#stats.packetsReceived++;
      const frame = decodeFrame(msg);
      if (!frame) return countDrop(this.#stats, 'malformed');
      if (frame.kind === 'asf') return countDrop(this.#stats, 'asf');
      const set = listeners.get(`${rinfo.address}:${rinfo.port}`);
      if (!set) return countDrop(this.#stats, 'unknown-peer');
      for (const listener of set) {
        if (listener(frame)) return;
      }
      countDrop(this.#stats, 'unmatched');
    } catch {
      countDrop(this.#stats, 'handler-error');
    }
  }

  /**
   * @internal Delivers a datagram as if it had arrived from `rinfo` on the socket that serves
   * that peer (tests use it to inject hostile packets into live sessions).
   */
  inject(msg: Buffer, rinfo: { address: string; port: number }): void {
    const key = `${rinfo.address}:${rinfo.port}`;
    const family = isIPv6(rinfo.address) ? 'udp6' : 'udp4';
    const pooled = this.#sockets[family].find((p) => p.listeners.has(key));
    this.handleDatagram(pooled?.listeners ?? new Map(), msg, rinfo);
  }

  get socketCount(): number {
    return this.#sockets.udp4.length + this.#sockets.udp6.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#sockets.udp4, ...this.#sockets.udp6];
    this.#sockets.udp4 = [];
    this.#sockets.udp6 = [];
    await Promise.all(
      all.map(
        (p) =>
          new Promise<void>((resolve) => {
            p.ready.then(
              () => p.socket.close(() => resolve()),
              () => resolve(),
            );
          }),
      ),
    );
    this.#stats.sockets -= all.length;
  }
}
