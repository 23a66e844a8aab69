import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  deriveSessionKeys,
  md5AuthCode,
  packetAuthCode,
  aesEncrypt,
} from '../src/crypto';
import { checksum, decodeResponse } from '../src/message';
import { decodeFrame, encodeV15, encodeV20, PayloadType } from '../src/rmcp';
import type { DecodedFrame } from '../src/rmcp';
import { createStats, silentLogger } from '../src/stats';
import { SocketPool } from '../src/transport';
import type { FrameListener } from '../src/transport';

const PEER = { address: '127.0.0.1', port: 623 };

function response(seq: number, data: number[]): Buffer {
  const b = Buffer.from([0x81, 0x1c, 0, 0x20, seq << 2, 0x01, 0x00, ...data, 0]);
  b[2] = checksum(b, 0, 2);
  b[b.length - 1] = checksum(b, 3, b.length - 1);
  return b;
}

const cs3 = CIPHER_SUITES.get(3);
if (!cs3) throw new Error('suite 3');
const keys = deriveSessionKeys('sha1', Buffer.alloc(20, 5));
const consoleId = 0x12345678;

/** Valid RMCP+ (suite 3) and IPMI 1.5 MD5 responses to mutate. */
const seeds: Buffer[] = [
  encodeV20(
    { payloadType: PayloadType.Ipmi, encrypted: true, sessionId: consoleId, sessionSeq: 3 },
    aesEncrypt(keys.k2, response(5, [0x01, 0x10, 0x00])),
    { authCodeLength: 12, sign: (d) => packetAuthCode(cs3, keys.k1, d) },
  ),
  encodeV20(
    { payloadType: PayloadType.OpenSessionResponse, encrypted: false, sessionId: 0, sessionSeq: 0 },
    Buffer.alloc(36, 1),
  ),
  encodeV20(
    { payloadType: PayloadType.Rakp2, encrypted: false, sessionId: 0, sessionSeq: 0 },
    Buffer.alloc(60, 2),
  ),
  encodeV15({
    authType: 2,
    sessionSeq: 9,
    sessionId: 0x01020304,
    authCode: md5AuthCode(Buffer.alloc(16, 1), 0x01020304, 9, response(7, [0x00])),
    payload: response(7, [0x00]),
  }),
  encodeV15({
    authType: 0,
    sessionSeq: 0,
    sessionId: 0,
    payload: response(1, [0x01, 0x80, 0x04, 0x02]),
  }),
];

/** A listener that does what a real session decoder does with a frame. */
const decodingListener: FrameListener = (frame: DecodedFrame) => {
  if (frame.kind === 'v20' && frame.sessionId === consoleId) {
    const resp = decodeResponse(frame.payload);
    return resp !== undefined;
  }
  if (frame.kind === 'v15')
    return decodeResponse(frame.payload) !== undefined && frame.sessionId !== 0;
  return false;
};

const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.uint8Array({ maxLength: 16 }),
  )
  .map(([seed, flips, cut, tail]) => {
    const b = Buffer.from(seed);
    for (const [pos, val] of flips) b[pos % b.length] = val;
    const truncated = cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
    return Buffer.concat([truncated, tail]);
  });

const anyPacket = fc.oneof(
  mutated,
  fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
  fc.uint8Array({ maxLength: 80 }).map((u) => Buffer.concat([Buffer.from([6, 0, 0xff, 7]), u])),
);

describe('packet parser fuzzing', () => {
  it('decodeFrame never throws on random or mutated datagrams', () => {
    fc.assert(
      fc.property(anyPacket, (pkt) => {
        decodeFrame(pkt);
      }),
      { numRuns: 5000 },
    );
  });

  it('the socket handler never throws and counts every dropped datagram', () => {
    const stats = createStats();
    const pool = new SocketPool({ maxSockets: 1, stats, logger: silentLogger });
    const throwing: FrameListener = () => {
      throw new Error('listener bug');
    };
    const listeners = new Map([[`${PEER.address}:${PEER.port}`, new Set([decodingListener])]]);
    let consumed = 0;
    const counting = new Map([
      [
        `${PEER.address}:${PEER.port}`,
        new Set<FrameListener>([
          (f) => {
            const ok = decodingListener(f);
            if (ok) consumed++;
            return ok;
          },
        ]),
      ],
    ]);
    fc.assert(
      fc.property(anyPacket, fc.boolean(), (pkt, useThrowing) => {
        const before = stats.packetsReceived;
        expect(() =>
          pool.handleDatagram(
            useThrowing
              ? new Map([[`${PEER.address}:${PEER.port}`, new Set([throwing])]])
              : counting,
            pkt,
            PEER,
          ),
        ).not.toThrow();
        expect(stats.packetsReceived).toBe(before + 1);
      }),
      { numRuns: 5000 },
    );
    expect(stats.packetsDropped + consumed).toBe(stats.packetsReceived);
    expect(stats.packetsDropped).toBeGreaterThan(1000);
    expect(stats.dropReasons['malformed']).toBeGreaterThan(0);
    expect(stats.dropReasons['handler-error']).toBeGreaterThan(0);
    // unknown peers are dropped too
    pool.handleDatagram(listeners, seeds[0] ?? Buffer.alloc(0), { address: '10.0.0.1', port: 623 });
    expect(stats.dropReasons['unknown-peer']).toBe(1);
  });
});

describe('hostile packets injected into live sessions (ipmi_sim)', () => {
  it.each([
    ['2.0', 3],
    ['1.5', 0],
  ] as const)(
    'IPMI %s: mutated copies of real responses are dropped, commands still succeed',
    async (protocol, cipherSuite) => {
      const { startSims, SIM_USER, SIM_PASSWORD } = await import('../src/testing');
      const { IpmiClient } = await import('../src/index');
      const fleet = await startSims(1);
      const client = new IpmiClient();
      try {
        const sim = fleet.sims[0];
        if (!sim) throw new Error('sim');
        const peer = { address: '127.0.0.1', port: sim.port };
        const captured: Buffer[] = [];
        const pool = client.pool;
        const orig = pool.handleDatagram.bind(pool);
        pool.handleDatagram = (l, msg, r) => {
          captured.push(Buffer.from(msg));
          orig(l, msg, r);
        };
        const bmc = client.bmc({
          host: '127.0.0.1',
          port: sim.port,
          username: SIM_USER,
          password: SIM_PASSWORD,
          protocol,
          cipherSuite: cipherSuite || 3,
        });
        await bmc.chassisControl('on');
        await bmc.getDeviceId();
        pool.handleDatagram = orig;
        const real = captured.slice();
        const hostile = fc.sample(
          fc
            .tuple(
              fc.constantFrom(...real),
              fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
                minLength: 1,
                maxLength: 6,
              }),
              fc.option(fc.nat(), { nil: undefined }),
            )
            .map(([seed, flips, cut]) => {
              const b = Buffer.from(seed);
              for (const [pos, val] of flips) b[pos % b.length] = val;
              return cut === undefined ? b : b.subarray(0, cut % (b.length + 1));
            }),
          { numRuns: 3000, seed: 42 },
        );
        const droppedBefore = client.stats.packetsDropped;
        for (let round = 0; round < 3; round++) {
          const pending = bmc.getChassisStatus();
          // Replays of captured genuine responses and mutations arrive while a request is pending.
          for (const pkt of hostile.slice(round * 1000, (round + 1) * 1000)) pool.inject(pkt, peer);
          for (const pkt of real) pool.inject(pkt, peer);
          expect((await pending).powerOn).toBe(true);
        }
        expect(client.stats.packetsDropped - droppedBefore).toBeGreaterThanOrEqual(2900);
        expect(bmc.stats.handshakes).toBe(1);
      } finally {
        await client.close();
        fleet.stop();
      }
    },
  );
});
