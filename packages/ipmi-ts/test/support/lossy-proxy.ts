/** UDP proxy that drops a fraction of datagrams in both directions (seeded, reproducible). */
import dgram from 'node:dgram';

export interface LossyProxy {
  readonly port: number;
  readonly dropped: { up: number; down: number };
  close(): Promise<void>;
}

export async function startLossyProxy(
  targetPort: number,
  dropRate: number,
  seed = 12345,
): Promise<LossyProxy> {
  let state = seed >>> 0;
  const random = (): number => {
    // xorshift32
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
  const front = dgram.createSocket('udp4');
  const upstreams = new Map<string, dgram.Socket>();
  const dropped = { up: 0, down: 0 };
  front.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let up = upstreams.get(key);
    if (!up) {
      up = dgram.createSocket('udp4');
      up.on('message', (reply) => {
        if (random() < dropRate) {
          dropped.down++;
          return;
        }
        front.send(reply, rinfo.port, rinfo.address);
      });
      up.bind(0, '127.0.0.1');
      upstreams.set(key, up);
    }
    if (random() < dropRate) {
      dropped.up++;
      return;
    }
    up.send(msg, targetPort, '127.0.0.1');
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', () => resolve()));
  return {
    port: front.address().port,
    dropped,
    async close() {
      for (const s of upstreams.values()) s.close();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
